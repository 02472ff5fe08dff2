import type { CallOptions, Session } from "../../client";
import { getResource, listResources } from "../collection";
import { toTagQuery, type TagFilters } from "../tags/requests";
import { toSubnet, type Subnet } from "./results";
import { subnetsUrl, subnetUrl } from "./urls";

export interface ListSubnetsOpts extends TagFilters {
  ids?: string[];
  name?: string;
  networkId?: string;
  ipVersion?: 4 | 6;
  cidr?: string;
}

export function toSubnetListQuery(o: ListSubnetsOpts) {
  return { ...toTagQuery(o), id: o.ids, name: o.name, network_id: o.networkId, ip_version: o.ipVersion, cidr: o.cidr };
}

export function list(session: Session, opts: ListSubnetsOpts = {}, call: CallOptions = {}): Promise<Subnet[]> {
  return listResources(session, subnetsUrl(), "subnets", toSubnetListQuery(opts), toSubnet, call);
}

export function get(session: Session, id: string, call: CallOptions = {}): Promise<Subnet> {
  return getResource(session, subnetUrl(id), "subnet", toSubnet, call);
}
