import { setBounded } from "@/lib/bounded-map";
import { processWide } from "@/lib/process-wide";
import { readRows, type Db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { projectIdFilter, type Actor } from "@/lib/auth/policy";
import type { ClusterSpec } from "@/lib/cluster-spec";
import {
  clusterTags,
  NETWORK_ROLES,
  NODE_NAMES,
  RESERVED_VIP_LABELS,
  RESERVED_VIPS,
  SERVER_METADATA_KEY,
  unlistedStatus,
  vipPortName,
  type NetworkRole,
  type NodeName,
} from "@/lib/domain";
import { cloudSession, storedSpec } from "@/lib/lifecycle/context";
import { TerminalError } from "@/lib/lifecycle/engine";
import type { StoredCloud } from "@/lib/openstack/keystone/credentials";
import type { Session } from "@/lib/openstack/client";
import * as neutronPorts from "@/lib/openstack/neutron/ports/requests";
import type { Port } from "@/lib/openstack/neutron/ports/results";
import * as securityGroups from "@/lib/openstack/neutron/security-groups/requests";
import * as servers from "@/lib/openstack/nova/servers/requests";
import { atLeast, microversion } from "@/lib/openstack/nova/versions/requests";
import { planCluster, type ClusterPlan, type PlannedPort } from "@/lib/plan";
import { NotFoundError } from "./errors";
import { inScope } from "./sql";

// The cluster as the cloud sees it right now: every port of the plan with its Neutron state (address, MAC, status,
// binding host, security groups, the VIP allowed-address pairs) and every server's Nova status. A constant number of
// calls per cluster whatever the node count — one ports listing and one security-group listing filtered by the
// cluster tag, one servers/detail — cached for a few seconds per cluster, so that fifty viewers polling the page
// cost the cloud what one does. The page and its poll never wait for the cloud: past those seconds they show the last
// listing while a new one is asked (a real cloud's listing takes from a fraction of a second to several seconds).
// Drafts and deleted clusters are answered from the plan and the ledger alone.

export interface PortCellView {
  name: string;
  /** The node's interface for this network (ens3..ens6); null for a VIP reservation port. */
  nic: string | null;
  fixedIp: string | null;
  mac: string | null;
  /**
   * What to show: Neutron's status (ACTIVE, DOWN, BUILD, ERROR) when the cloud lists the port; "planned" before
   * it was created; "deleting" while a teardown runs and the cloud still lists it; "missing" when Tripod created it
   * but the cloud does not list it; "deleted" after it was deleted (or, while a teardown runs, once the cloud no
   * longer lists it).
   */
  status: string;
  neutronStatus: string | null;
  /** The compute host Neutron bound the port to; null when it is not bound (or the cloud does not say). */
  bindingHost: string | null;
  /** Neutron's policy hides `binding:host_id` from the project (its default for non-admin users). */
  bindingHostHidden: boolean;
  securityGroups: string[];
  /** The VIP addresses keepalived may move onto this port, and which of them Neutron does not have as pairs. */
  vipPairs: { expected: string[]; missing: string[] };
}

export interface PortGridRow {
  key: string;
  label: string;
  kind: "node" | "vip";
  cells: Record<NetworkRole, PortCellView | null>;
}

export interface ClusterCloud {
  /**
   * "plan": nothing asked of the cloud (draft, deleted, or the cloud could not be read); "cloud": a listing of the last
   * few seconds; "pending": a new listing is on its way (the page and its poll do not wait for the cloud) and the grid
   * shows the last listing, when one of the last minute is kept, else the plan and the ledger.
   */
  source: "plan" | "cloud" | "pending";
  /** When the cloud listed what the grid shows; null: the grid shows the plan and the ledger. */
  fetchedAt: string | null;
  /** OpenStack calls the listing behind this answer took (shared by every viewer within the cache window). */
  apiCalls: number;
  /** A sentence when the cloud could not be read; the grid then shows the plan and the ledger. */
  error: string | null;
  rows: PortGridRow[];
  servers: { node: NodeName; name: string; status: string; id: string | null }[];
  /** Names of the security groups the cloud lists for the cluster. */
  securityGroups: string[];
}

/** What one listing of the cloud found for a cluster (shared between viewers for CACHE_MS). */
export interface CloudListing {
  at: Date;
  apiCalls: number;
  ports: Port[];
  servers: { id: string; name: string; status: string }[];
  securityGroups: { id: string; name: string }[];
}

const CACHE_MS = Number(process.env.TRIPOD_CLOUD_CACHE_MS ?? 5_000);
/** How long a cluster's last listing is kept to show while a new one is asked: longer than the page's slowest poll (30 s). */
const LAST_LISTING_KEPT_MS = 60_000;
/** A cluster's listings in the cache: the last that arrived, the one on its way, the last failure (until a listing arrives). */
interface CachedListing {
  arrived: CloudListing | null;
  onItsWay: Promise<CloudListing> | null;
  failed: { at: number; message: string } | null;
}
// Process-wide (lib/process-wide.ts): the page starts a listing that the grid's poll, a route handler, must find. A
// listing is plain data; the sessions stay one per layer, since their errors are classes of their own layer's module.
const listings = processWide("cloud-listings", () => new Map<string, CachedListing>());
const sessions = new Map<string, { sealed: string; session: Session; calls: { n: number } }>();

/** One session per registered cloud (its token and microversion reused), renewed when the credentials change. */
function sessionOf(cloudId: string, cloud: StoredCloud) {
  const known = sessions.get(cloudId);
  if (known && known.sealed === cloud.credentialsSealed) return known;
  const calls = { n: 0 };
  const entry = { sealed: cloud.credentialsSealed, calls, session: cloudSession(cloud, { onRequest: () => calls.n++, retry: { maxElapsedMs: 5_000 } }) };
  sessions.set(cloudId, entry);
  return entry;
}

export const clusterCloudSession = (cloudId: string, cloud: StoredCloud): Session => sessionOf(cloudId, cloud).session;

/** Lists the cluster's ports, security groups and servers: three calls (plus auth and the microversion once per session). */
export async function listClusterCloud(session: Session, tag: string, counter: { n: number } = { n: 0 }): Promise<CloudListing> {
  const before = counter.n;
  const serversTagged = atLeast(await microversion(session), "2.52");
  const [ports, groups, found] = await Promise.all([
    neutronPorts.list(session, { tags: [tag] }),
    securityGroups.list(session, { tags: [tag] }),
    servers.list(session, serversTagged ? { tags: [tag] } : { metadata: { [SERVER_METADATA_KEY]: tag } }),
  ]);
  return {
    at: new Date(),
    apiCalls: counter.n - before,
    ports,
    securityGroups: groups.map((g) => ({ id: g.id, name: g.name })),
    servers: found.map((s) => ({ id: s.id, name: s.name, status: s.status })),
  };
}

/** What the cloud's listing of a cluster is for: its place in the cache, and how to list. */
interface ListingTarget {
  clusterId: string;
  cloudId: string;
  cloud: StoredCloud;
  tag: string;
}

const ageOf = (listing: CloudListing, now: number) => now - listing.at.getTime();
/** The cluster's last listing if it is of the last CACHE_MS (what every viewer is answered without asking the cloud). */
const freshListingOf = (entry: CachedListing | undefined, now: number) => (entry?.arrived && ageOf(entry.arrived, now) < CACHE_MS ? entry.arrived : null);
/** The cluster's last listing if it is of the last LAST_LISTING_KEPT_MS (what the grid shows while a new one is asked). */
const keptListingOf = (entry: CachedListing | undefined, now: number) =>
  entry?.arrived && ageOf(entry.arrived, now) < LAST_LISTING_KEPT_MS ? entry.arrived : null;
/** The cluster's last failure if it is of the last CACHE_MS (the cloud is not asked again before). */
const recentFailureOf = (entry: CachedListing | undefined, now: number) => (entry?.failed && now - entry.failed.at < CACHE_MS ? entry.failed : null);
const failureOf = (error: unknown) => (error instanceof Error ? error.message.slice(0, 200) : "unknown error");

/** The cluster's listing on its way, or a new one: every viewer shares it. */
function listingOnItsWay({ clusterId, cloudId, cloud, tag }: ListingTarget, now = Date.now()): Promise<CloudListing> {
  const entry = listings.get(clusterId) ?? { arrived: null, onItsWay: null, failed: null };
  if (entry.onItsWay) return entry.onItsWay;
  // What is no longer shown goes whenever a listing starts, so the map holds only the clusters viewed lately.
  for (const [id, e] of listings) {
    const kept = e.onItsWay || keptListingOf(e, now) || recentFailureOf(e, now);
    if (!kept) listings.delete(id);
  }
  // credentials that cannot be opened fail the listing, as the cloud's refusal would, not the request that asked
  const listing = (async () => {
    const { session, calls } = sessionOf(cloudId, cloud);
    return listClusterCloud(session, tag, calls);
  })();
  entry.onItsWay = listing;
  listings.set(clusterId, entry);
  listing.then(
    (arrived) => Object.assign(entry, { arrived, onItsWay: null, failed: null }),
    (error: unknown) => {
      console.error(error);
      Object.assign(entry, { onItsWay: null, failed: { at: Date.now(), message: failureOf(error) } });
    },
  );
  return listing;
}

/** Starts a listing that is not on its way yet: at once unless the caller defers it. */
export type StartListing = (start: () => void) => void;
const atOnce: StartListing = (start) => start();

/**
 * What the cache has for the cluster, never waiting for the cloud: a listing of the last CACHE_MS; else the failure
 * of the last CACHE_MS; else, with a new listing asked (or found on its way), the last listing kept, or none.
 */
function listingAtHand(
  target: ListingTarget,
  startListing: StartListing,
  now = Date.now(),
): { fresh: CloudListing } | { failure: string } | { asked: CloudListing | null } {
  const entry = listings.get(target.clusterId);
  const fresh = freshListingOf(entry, now);
  if (fresh) return { fresh };
  const failed = recentFailureOf(entry, now);
  if (failed) return { failure: failed.message };
  if (!entry?.onItsWay) startListing(() => void listingOnItsWay(target));
  return { asked: keptListingOf(entry, now) };
}

/** A listing of the last CACHE_MS, or the one on its way, or a new one. */
function freshListing(target: ListingTarget, now = Date.now()): Promise<CloudListing> {
  const fresh = freshListingOf(listings.get(target.clusterId), now);
  return fresh ? Promise.resolve(fresh) : listingOnItsWay(target, now);
}

export interface LedgerEntry {
  kind: string;
  name: string;
  status: string;
}

/** Pure: the grid from the plan, the ledger and (when there is one) the cloud's listing. */
export function portGrid(
  spec: ClusterSpec,
  plan: ClusterPlan,
  clusterStatus: string,
  ledger: LedgerEntry[],
  listing: CloudListing | null,
): Pick<ClusterCloud, "rows" | "servers" | "securityGroups"> {
  const listed = new Map((listing?.ports ?? []).map((p) => [p.name, p]));
  const groupNames = new Map((listing?.securityGroups ?? []).map((g) => [g.id, g.name]));
  const recorded = new Map(ledger.map((r) => [`${r.kind}/${r.name}`, r.status]));
  const tearingDown = clusterStatus === "tearing-down";
  const unlisted = (status: string) => (listing ? unlistedStatus(status, tearingDown) : status);

  const cell = (p: PlannedPort): PortCellView => {
    const live = listed.get(p.name);
    const expected = p.allowedAddressPairs.map((a) => a.ipAddress);
    const nic = p.node ? spec.networks[p.role].interface : null;
    if (!live) {
      const status = unlisted(recorded.get(`${p.node ? "port" : "vip-port"}/${p.name}`) ?? "planned");
      return { name: p.name, nic, fixedIp: p.fixedIp, mac: null, status, neutronStatus: null, bindingHost: null, bindingHostHidden: false, securityGroups: [], vipPairs: { expected, missing: [] } };
    }
    const present = new Set(live.allowedAddressPairs.map((a) => a.ipAddress));
    return {
      name: live.name,
      nic,
      fixedIp: live.fixedIps.find((f) => f.ipAddress === p.fixedIp)?.ipAddress ?? live.fixedIps[0]?.ipAddress ?? null,
      mac: live.macAddress || null,
      status: tearingDown ? "deleting" : live.status,
      neutronStatus: live.status,
      bindingHost: live.bindingHost ?? null,
      bindingHostHidden: live.bindingHost === undefined,
      securityGroups: live.securityGroups.map((id) => groupNames.get(id) ?? id),
      vipPairs: { expected, missing: expected.filter((ip) => !present.has(ip)) },
    };
  };

  const empty = () => Object.fromEntries(NETWORK_ROLES.map((r) => [r, null])) as Record<NetworkRole, PortCellView | null>;
  const rows: PortGridRow[] = NODE_NAMES.map((node) => {
    const cells = empty();
    for (const p of plan.ports) if (p.node === node) cells[p.role] = cell(p);
    return { key: node, label: node, kind: "node", cells };
  });
  for (const vip of RESERVED_VIPS) {
    const p = plan.ports.find((x) => x.name === vipPortName(plan.identity.infraId, vip));
    if (!p) continue;
    const cells = empty();
    cells[p.role] = cell(p);
    rows.push({ key: `vip-${vip}`, label: RESERVED_VIP_LABELS[vip], kind: "vip", cells });
  }
  const byName = new Map((listing?.servers ?? []).map((s) => [s.name, s]));
  return {
    rows,
    servers: plan.servers.map((s) => {
      const live = byName.get(s.name);
      const status = live ? (tearingDown ? "deleting" : live.status) : unlisted(recorded.get(`server/${s.name}`) ?? "planned");
      return { node: s.node, name: s.name, status, id: live?.id ?? null };
    }),
    securityGroups: [...groupNames.values()],
  };
}

/**
 * The spec every run plans from (resolved at draft time) and its plan, kept per cluster for the spec text and infra
 * id they were made from (storedSpec reads only that text): validating a spec costs more CPU than all the
 * statements of the cluster page, its full poll and the grid's poll, which would each do it again. Read-only: every
 * caller shares them, in every layer (lib/process-wide.ts). A spec that no longer validates throws (TerminalError),
 * every time.
 */
export function storedPlan(cluster: { id: string; infraId: string; specJson: string; resolvedSpecJson: string | null }): { spec: ClusterSpec; plan: ClusterPlan } {
  const text = cluster.resolvedSpecJson ?? cluster.specJson;
  const known = knownPlans.get(cluster.id);
  if (known?.text === text && known.infraId === cluster.infraId) return known.planned;
  const spec = storedSpec(cluster);
  const planned = { spec, plan: planCluster(spec, { clusterId: cluster.id, infraId: cluster.infraId }) };
  setBounded(knownPlans, cluster.id, { text, infraId: cluster.infraId, planned }, PLANS_KEPT);
  return planned;
}
/** storedPlan, or what keeps the stored spec from validating (a draft not finished; a spec valid no more). */
export function plannedOrProblems(cluster: Parameters<typeof storedPlan>[0]): ReturnType<typeof storedPlan> | { problems: Record<string, string> } {
  try {
    return storedPlan(cluster);
  } catch (error) {
    if (error instanceof TerminalError) return { problems: error.fieldErrors };
    throw error;
  }
}

function unplannedText(status: string, problems: Record<string, string>): string {
  const listed = Object.entries(problems).map(([path, message]) => `${path}: ${message}`).join("; ");
  return status === "draft"
    ? `The draft's spec is not complete or not valid yet, so there is no plan to show: ${listed}. Finish it in the wizard.`
    : `The cluster's stored spec no longer validates, so there is no plan to show: ${listed}.`;
}

const knownPlans = processWide("stored-plans", () => new Map<string, { text: string; infraId: string; planned: { spec: ClusterSpec; plan: ClusterPlan } }>());
const PLANS_KEPT = 500;

/**
 * The cluster's grid for the actor (not visible: not found). Its row with its cloud's registration, then its ledger
 * of ports and servers: raw statements past Prisma's query compiler (lib/db.ts readRows), the page reads them on
 * every visit and the grid's poll every few seconds. `waitForCloud: false` (the page and its poll): a listing that
 * has not arrived is not waited for — the grid shows the last listing kept, or the plan and the ledger ("pending"),
 * and the next poll, a second later, picks the new listing up — so neither costs OpenStack round trips;
 * `startListing` starts that listing (the page: once it has been sent, so that the listing's answers are not handled
 * in the middle of its rendering). Waiting (the inventory download): a listing of the last few seconds.
 */
export async function getClusterCloud(
  db: Db,
  actor: Actor,
  clusterId: string,
  { waitForCloud = true, startListing = atOnce }: { waitForCloud?: boolean; startListing?: StartListing } = {},
): Promise<ClusterCloud> {
  const [cluster] = await readRows<{ id: string; infraId: string; specJson: string; resolvedSpecJson: string | null; status: string; cloudId: string } & StoredCloud>(
    db,
    Prisma.sql`
    SELECT c."id", c."infraId", c."specJson", c."resolvedSpecJson", c."status", c."cloudId",
      cl."authUrl", cl."credentialsSealed", cl."region", cl."interface", cl."caBundle"
    FROM "Cluster" c JOIN "Cloud" cl ON cl."id" = c."cloudId"
    WHERE c."id" = ${clusterId} AND ${inScope(projectIdFilter(actor), Prisma.sql`c."projectId"`)}`,
  );
  if (!cluster) throw new NotFoundError("That cluster");
  const ledger = await readRows<LedgerEntry>(
    db,
    Prisma.sql`SELECT r."kind", r."name", r."status" FROM "Resource" r WHERE r."clusterId" = ${cluster.id} AND r."kind" IN ('port', 'vip-port', 'server')`,
  );
  const planned = plannedOrProblems(cluster);
  if ("problems" in planned) return { source: "plan", fetchedAt: null, apiCalls: 0, error: unplannedText(cluster.status, planned.problems), rows: [], servers: [], securityGroups: [] };
  const { spec, plan } = planned;
  const grid = (source: ClusterCloud["source"], listing: CloudListing | null, error: string | null = null): ClusterCloud => ({
    source,
    fetchedAt: listing?.at.toISOString() ?? null,
    apiCalls: listing?.apiCalls ?? 0,
    error,
    ...portGrid(spec, plan, cluster.status, ledger, listing),
  });
  if (cluster.status === "draft" || cluster.status === "deleted") return grid("plan", null);
  const target = { clusterId: cluster.id, cloudId: cluster.cloudId, cloud: cluster, tag: clusterTags({ clusterId: cluster.id, infraId: cluster.infraId })[0] };
  const unread = (why: string) => grid("plan", null, `The cloud could not be read just now: ${why.replace(/\.$/, "")}. Showing what Tripod recorded.`);
  if (!waitForCloud) {
    const atHand = listingAtHand(target, startListing);
    if ("failure" in atHand) return unread(atHand.failure);
    return "fresh" in atHand ? grid("cloud", atHand.fresh) : grid("pending", atHand.asked);
  }
  try {
    return grid("cloud", await freshListing(target));
  } catch (error) {
    return unread(failureOf(error));
  }
}
