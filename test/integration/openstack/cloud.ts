// Shared by the lib/openstack integration tests: the local cloud's seed, sessions on it, a unique per-run name
// prefix, and a sweep that deletes everything carrying this run's tag (so the shared demo tenant stays clean).
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createSession, type RequestEvent, type Session, type SessionOptions } from "@/lib/openstack/client";
import { loadCloud } from "@/lib/openstack/config";
import * as ports from "@/lib/openstack/neutron/ports/requests";
import * as securityGroups from "@/lib/openstack/neutron/security-groups/requests";
import * as serverGroups from "@/lib/openstack/nova/server-groups/requests";
import * as servers from "@/lib/openstack/nova/servers/requests";
import * as containers from "@/lib/openstack/swift/containers/requests";
import * as objects from "@/lib/openstack/swift/objects/requests";

const STATE = process.env.TRIPOD_CLOUD_STATE ?? "/var/tmp/tripod-cloud";

export interface Seed {
  authUrl: string;
  region: string;
  project: { id: string; name: string };
  networks: { role: string; name: string; id: string; subnet: { id: string; cidr: string; allocationPools: { start: string; end: string }[] } }[];
  flavor: { name: string; id: string };
  image: { name: string; id: string };
}

export const seed: Seed = JSON.parse(readFileSync(`${STATE}/seed.json`, "utf8"));
export const CLOUDS_YAML = `${STATE}/clouds.yaml`;

/**
 * The cloud the tests work in: the demo project (a member user) unless TRIPOD_OS_TEST_CLOUD names another entry of
 * the local clouds.yaml, e.g. tripod-admin when the demo quota is taken by a cluster another suite left running.
 */
export const TEST_CLOUD = process.env.TRIPOD_OS_TEST_CLOUD ?? "tripod-demo";

/** Unique per run: every name starts with it and every taggable resource carries it as a tag. */
export const RUN = `tt-os-${randomBytes(3).toString("hex")}`;

export function network(role: "outbound" | "cluster" | "management" | "public") {
  const n = seed.networks.find((x) => x.role === role);
  if (!n) throw new Error(`seed.json has no ${role} network`);
  return n;
}

export function cloudOptions(cloud = TEST_CLOUD): SessionOptions {
  return loadCloud({ cloud, env: { OS_CLIENT_CONFIG_FILE: CLOUDS_YAML } }).session;
}

/** A session that records every HTTP exchange. */
export function recordingSession(overrides: Partial<SessionOptions> = {}, cloud = TEST_CLOUD): { session: Session; events: RequestEvent[] } {
  const events: RequestEvent[] = [];
  const session = createSession({ ...cloudOptions(cloud), ...overrides, onRequest: (e) => {
    events.push(e);
    overrides.onRequest?.(e);
  } });
  return { session, events };
}

/** Deletes everything tagged (or named) with `tag`: servers first, then ports, groups, security groups, objects. */
export async function sweep(session: Session, tag: string): Promise<void> {
  const own = await servers.list(session, { metadata: { tripod_cluster: tag } });
  const named = (await servers.list(session)).filter((s) => s.name.startsWith(tag));
  const all = new Map([...own, ...named].map((s) => [s.id, s]));
  await Promise.all([...all.keys()].map((id) => servers.remove(session, id)));
  await Promise.all([...all.keys()].map((id) => servers.waitForDeleted(session, id, { timeoutMs: 120_000, intervalMs: 500 })));
  const taggedPorts = await ports.list(session, { tags: [tag] });
  const namedPorts = (await ports.list(session)).filter((p) => p.name.startsWith(tag));
  for (const id of new Set([...taggedPorts, ...namedPorts].map((p) => p.id))) await ports.remove(session, id);
  for (const g of (await serverGroups.list(session)).filter((g) => g.name.startsWith(tag))) await serverGroups.remove(session, g.id);
  const groups = [...(await securityGroups.list(session, { tags: [tag] })), ...(await securityGroups.list(session)).filter((g) => g.name.startsWith(tag))];
  for (const id of new Set(groups.map((g) => g.id))) await securityGroups.remove(session, id);
  for (const container of [tag]) {
    const listing = await containers.listObjects(session, container).catch(() => []);
    for (const o of listing) await objects.remove(session, container, o.name);
    await containers.remove(session, container);
  }
}
