import type { CallOptions, Session } from "../../client";
import { getResource, listResources } from "../collection";
import { toTagQuery, type TagFilters } from "../tags/requests";
import { toNetwork, type Network } from "./results";
import { networksUrl, networkUrl } from "./urls";

export interface ListNetworksOpts extends TagFilters {
  ids?: string[];
  name?: string;
  external?: boolean;
  shared?: boolean;
}

export function toNetworkListQuery(o: ListNetworksOpts) {
  return { ...toTagQuery(o), id: o.ids, name: o.name, "router:external": o.external, shared: o.shared };
}

export function list(session: Session, opts: ListNetworksOpts = {}, call: CallOptions = {}): Promise<Network[]> {
  return listResources(session, networksUrl(), "networks", toNetworkListQuery(opts), toNetwork, call);
}

export function get(session: Session, id: string, call: CallOptions = {}): Promise<Network> {
  return getResource(session, networkUrl(id), "network", toNetwork, call);
}
