// A whole cluster's cloud-side state in a constant number of calls (5 once the session has its token and compute
// microversion), whatever the node count: every collection is read once, filtered by the cluster tag server-side
// where the API can (Neutron tags, Nova server tags) and client-side where it cannot (server groups, metadata).
import type { CallOptions, Session } from "./client";
import { isNotFound } from "./errors";
import { list as listPorts } from "./neutron/ports/requests";
import type { Port } from "./neutron/ports/results";
import { list as listSecurityGroups } from "./neutron/security-groups/requests";
import type { SecurityGroup } from "./neutron/security-groups/results";
import { list as listServerGroups } from "./nova/server-groups/requests";
import type { ServerGroup } from "./nova/server-groups/results";
import { list as listServers } from "./nova/servers/requests";
import type { Server } from "./nova/servers/results";
import { atLeast, microversion } from "./nova/versions/requests";
import { listObjects } from "./swift/containers/requests";
import type { ObjectListing } from "./swift/containers/results";

export interface InventoryOptions extends CallOptions {
  /** The cluster tag on ports and security groups, the server tag, and the value of `metadataKey` on servers. */
  tag: string;
  /** Server metadata key holding the tag (servers created before 2.52 carry no tags). Default "tripod_cluster". */
  metadataKey?: string;
  /** Default: the tag itself. A group whose members include one of the cluster's servers is found as well. */
  serverGroupName?: string;
  /** Container holding the cluster's objects (bootstrap Ignition); default: the tag. A missing container is empty. */
  container?: string;
}

export interface ClusterInventory {
  ports: Port[];
  servers: Server[];
  securityGroups: SecurityGroup[];
  serverGroup?: ServerGroup;
  objects: ObjectListing[];
}

export const DEFAULT_METADATA_KEY = "tripod_cluster";

export async function readClusterInventory(session: Session, opts: InventoryOptions): Promise<ClusterInventory> {
  const call: CallOptions = { signal: opts.signal };
  const metadataKey = opts.metadataKey ?? DEFAULT_METADATA_KEY;
  // nova/servers.create tags servers from 2.52 (tags in the create body); before that only the metadata marks them.
  const serversTagged = atLeast(await microversion(session, call), "2.52");
  const [ports, securityGroups, taggedOrAll, serverGroups, objects] = await Promise.all([
    listPorts(session, { tags: [opts.tag] }, call),
    listSecurityGroups(session, { tags: [opts.tag] }, call),
    listServers(session, serversTagged ? { tags: [opts.tag] } : {}, call),
    listServerGroups(session, call),
    listObjects(session, opts.container ?? opts.tag, {}, call).catch((err: unknown) => {
      if (isNotFound(err)) return [];
      throw err;
    }),
  ]);
  const servers = taggedOrAll.filter((s) => s.metadata[metadataKey] === opts.tag || s.tags.includes(opts.tag));
  const serverIds = new Set(servers.map((s) => s.id));
  const groupName = opts.serverGroupName ?? opts.tag;
  const serverGroup =
    serverGroups.find((g) => g.name === groupName) ?? serverGroups.find((g) => g.memberIds.some((id) => serverIds.has(id)));
  return { ports, servers, securityGroups, serverGroup, objects };
}

/** Everything of one project that a cluster can own, in 4 calls whatever the number of clusters (the reconciler's read). */
export interface ProjectInventory {
  ports: Port[];
  securityGroups: SecurityGroup[];
  servers: Server[];
  serverGroups: ServerGroup[];
}

export async function readProjectInventory(session: Session, call: CallOptions = {}): Promise<ProjectInventory> {
  const [ports, securityGroups, servers, serverGroups] = await Promise.all([
    listPorts(session, {}, call),
    listSecurityGroups(session, {}, call),
    listServers(session, {}, call),
    listServerGroups(session, call),
  ]);
  return { ports, securityGroups, servers, serverGroups };
}
