import { createOrAdopt, type Adopted } from "../../adopt";
import type { CallOptions, Session } from "../../client";
import { deleteIfExists } from "../../delete";
import { listAll } from "../../pagination";
import { atLeast, computeRequest, microversion, withMicroversion } from "../versions/requests";
import { toServerGroup, type ServerGroup, type ServerGroupPolicy } from "./results";
import { serverGroupsUrl, serverGroupUrl } from "./urls";

export interface CreateServerGroupOpts {
  name: string;
  policy: ServerGroupPolicy;
  /** Only with 2.64+ and the anti-affinity policy. */
  maxServerPerHost?: number;
  adoptExisting?: boolean;
}

/** Request shape by microversion: `policy` + `rules` from 2.64, a one-element `policies` list before. */
export function toServerGroupCreateBody(o: CreateServerGroupOpts, negotiated: string): Record<string, unknown> {
  if (o.policy.startsWith("soft-") && !atLeast(negotiated, "2.15")) {
    throw new Error(`Policy ${o.policy} needs compute microversion 2.15; the cloud speaks ${negotiated}`);
  }
  if (atLeast(negotiated, "2.64")) {
    const rules = o.maxServerPerHost !== undefined ? { rules: { max_server_per_host: o.maxServerPerHost } } : {};
    return { server_group: { name: o.name, policy: o.policy, ...rules } };
  }
  if (o.maxServerPerHost !== undefined) throw new Error(`max_server_per_host needs compute microversion 2.64; the cloud speaks ${negotiated}`);
  return { server_group: { name: o.name, policies: [o.policy] } };
}

export async function list(session: Session, call: CallOptions = {}): Promise<ServerGroup[]> {
  const req = await withMicroversion(session, { ...call, method: "GET", path: serverGroupsUrl() });
  return (await listAll<Record<string, unknown>>(session, req, "server_groups")).map(toServerGroup);
}

export async function get(session: Session, id: string, call: CallOptions = {}): Promise<ServerGroup> {
  const res = await computeRequest(session, { ...call, method: "GET", path: serverGroupUrl(id) });
  return toServerGroup((res.data as { server_group: Record<string, unknown> }).server_group);
}

/** Server groups have no tags or metadata: a lost create is adopted by name. */
export async function create(session: Session, opts: CreateServerGroupOpts, call: CallOptions = {}): Promise<Adopted<ServerGroup>> {
  const body = toServerGroupCreateBody(opts, await microversion(session, call));
  return createOrAdopt(session, {
    ...call,
    service: "compute",
    describe: `server group ${opts.name}`,
    adoptExisting: opts.adoptExisting,
    create: async () => {
      const res = await computeRequest(session, { ...call, method: "POST", path: serverGroupsUrl(), json: body });
      return toServerGroup((res.data as { server_group: Record<string, unknown> }).server_group);
    },
    find: async () => (await list(session, call)).filter((g) => g.name === opts.name),
  });
}

export function remove(session: Session, id: string, call: CallOptions = {}): Promise<boolean> {
  return deleteIfExists(session, "compute", serverGroupUrl(id), call);
}
