import type { CallOptions, Session } from "../../client";
import { getResource, listResources } from "../collection";
import { toRouter, type Router } from "./results";
import { routersUrl, routerUrl } from "./urls";

export interface ListRoutersOpts {
  ids?: string[];
  name?: string;
}

export function toRouterListQuery(o: ListRoutersOpts) {
  return { id: o.ids, name: o.name };
}

export function list(session: Session, opts: ListRoutersOpts = {}, call: CallOptions = {}): Promise<Router[]> {
  return listResources(session, routersUrl(), "routers", toRouterListQuery(opts), toRouter, call);
}

export function get(session: Session, id: string, call: CallOptions = {}): Promise<Router> {
  return getResource(session, routerUrl(id), "router", toRouter, call);
}
