import { readRows, type Db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { can, projectIdFilter, roleOnCluster, type Actor } from "@/lib/auth/policy";
import { operationStateOf, rolesAllowed, stateRule } from "@/lib/lifecycle/state-machine";
import {
  isLiveCluster,
  NETWORK_ROLES,
  NODE_NAMES,
  RESOURCE_KIND_LABELS,
  STEP_NAMES,
  RESERVED_VIP_LABELS,
  RESERVED_VIPS,
  vipPortName,
  type NetworkRole,
  type ClusterStatus,
  type NodeName,
  type OperationKind,
} from "@/lib/domain";
import { ingestUrlFromEnv, ingestUrlWarning } from "@/lib/vip/ingest-url";
import { loadClusterVipPanels, type VipPanel } from "@/lib/vip/panel";
import { plannedOrProblems } from "./cluster-cloud";
import { clusterDriftRows, type DriftRow } from "./drift";
import { NotFoundError } from "./errors";
import { ACTOR_COLUMNS, ACTOR_FROM, actorOf, type ActorRow } from "./actor";
import { count, dateOf, dateOrNull, flag, intOrNull } from "@/lib/db-values";
import { inScope } from "./sql";

// The cluster page's read model: one query set, plain JSON, safe to send to the browser (no secrets), polled by
// the live view.

export interface StepView {
  name: string;
  status: string;
  attempt: number;
  apiCalls: number;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

export interface OperationView {
  id: string;
  kind: string;
  status: string;
  requestedBy: string;
  approvedBy: string | null;
  createdAt: string;
  finishedAt: string | null;
  error: string | null;
  cancelRequested: boolean;
  steps: StepView[];
}

export interface PortCell {
  name: string;
  status: string;
  openstackId: string | null;
}

export interface ClusterView {
  id: string;
  name: string;
  project: string;
  projectId: string;
  cloud: string;
  status: string;
  infraId: string;
  createdBy: string;
  createdAt: string;
  vrrp: { apiId: number | null; ingressId: number | null };
  /** Where the cluster answers once ready (from the spec). */
  endpoints: { baseDomain: string; apiVip: string; ingressVip: string } | null;
  bootstrapCompleted: { at: string; by: string | null } | null;
  hasKubeconfig: boolean;
  hasKubeadminPassword: boolean;
  /** The project's leads (who may mark bootstrap complete and tear down anyone's cluster). */
  leads: string[];
  twoPersonTeardown: boolean;
  /** The signed-in user's name. */
  viewer: string;
  /** A teardown asked for and waiting for a second member. */
  teardownRequest: { id: string; requestedBy: string; requestedById: string; at: string } | null;
  /** Ports per node, one cell per network in NIC order, plus the VIP reservation ports. */
  ports: { node: NodeName; cells: Record<NetworkRole, PortCell | null> }[];
  vipPorts: (PortCell & { label: string })[];
  otherResources: { kind: string; kindLabel: string; name: string; status: string; openstackId: string | null }[];
  operations: OperationView[];
  events: { at: string; level: string; step: string | null; message: string }[];
  /** keepalived VIP health from the nodes' agents (null before the masters exist and after teardown). */
  vips: VipPanel[] | null;
  /** What the reconciler last found in the cloud that differs from the ledger and plan, with its age. */
  drift: DriftRow[];
  /** `edit`: change or delete the draft (its creator, a lead of its project, an admin). */
  /** `reopen`: take a create that failed or was cancelled in preflight back to editing (see lib/lifecycle/state-machine.ts). */
  can: { create: boolean; teardown: boolean; approve: boolean; approveTeardown: boolean; download: boolean; ignition: boolean; edit: boolean; reopen: boolean };
  /** Why the nodes' VIP agents may not reach this dashboard (a loopback ingest URL), for clusters with nodes to come. */
  ingestWarning: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Where the cluster answers once ready, from the spec it plans from (null when that spec no longer validates). */
function endpointsOf(cluster: { id: string; infraId: string; specJson: string; resolvedSpecJson: string | null }): ClusterView["endpoints"] {
  const planned = plannedOrProblems(cluster);
  if ("problems" in planned) return null;
  const { spec } = planned;
  return { baseDomain: spec.baseDomain, apiVip: spec.networks.public.apiVip, ingressVip: spec.networks.public.ingressVip };
}

/**
 * What the cluster page shows at once: the latest operations (the page shows two) and the newest events, as the
 * console's overview shows recent activity; the events page has them all, paged and filtered. Each event is a table
 * row with a status label, rendered on every full page load and sent with every changed poll.
 */
export const OPERATIONS_ON_PAGE = 3;
export const EVENTS_ON_PAGE = 10;
/** How often a live cluster's version moves on by itself: a VIP agent gone silent shows without any write. */
const LIVE_TICK_MS = 15_000;

/** What a cluster's version is made of: its status and summary counter, and the project that decides who sees it. */
interface VersionRow {
  status: string;
  projectId: string;
  /** the summary's counter, as the driver gives it (lib/db.ts readRows); null: no summary */
  version: number | bigint | string | null;
}

/**
 * The cluster page's version for the actor (its JSON route's ETag): the summary row's counter, bumped by every write
 * that concerns the cluster, and for a live cluster a clock tick. Not visible to the actor (policy's
 * projectIdFilter, as every read of the cluster): not found.
 */
function versionFor(actor: Actor, clusterId: string, cluster: VersionRow | undefined, now: number): string {
  const scope = projectIdFilter(actor);
  if (!cluster || (scope && !scope.in.includes(cluster.projectId))) throw new NotFoundError("That cluster");
  const tick = isLiveCluster(cluster.status) ? `.${Math.floor(now / LIVE_TICK_MS)}` : "";
  return `${clusterId}.${count(cluster.version)}${tick}`;
}

/**
 * The cluster page's version for an actor already loaded (the page's request: the frame loaded it), read before the
 * view so that the view is never older than its tag.
 */
export async function getClusterVersion(db: Db, actor: Actor, clusterId: string, now = Date.now()): Promise<string> {
  const [cluster] = await readRows<VersionRow>(
    db,
    Prisma.sql`SELECT c."status", c."projectId", h."version" FROM "Cluster" c LEFT JOIN "ClusterHealth" h ON h."clusterId" = c."id" WHERE c."id" = ${clusterId}`,
  );
  return versionFor(actor, clusterId, cluster, now);
}

/**
 * What the cluster page's poll asks first, in one statement (every open page sends it every second): the session's
 * actor, read as loadActor reads it (null: the session has ended), and the cluster's version for that actor.
 */
export async function getActorAndClusterVersion(
  db: Db,
  session: { userId: string; version: number },
  clusterId: string,
  now = Date.now(),
): Promise<{ actor: Actor; version: string } | null> {
  // past Prisma's query compiler (lib/db.ts readRows): this is the statement of every unchanged poll
  const rows = await readRows<ActorRow & { clusterStatus: string | null; clusterProjectId: string | null; clusterVersion: VersionRow["version"] }>(
    db,
    Prisma.sql`
    SELECT ${ACTOR_COLUMNS}, c."status" AS "clusterStatus", c."projectId" AS "clusterProjectId", h."version" AS "clusterVersion"
    FROM ${ACTOR_FROM} LEFT JOIN "Cluster" c ON c."id" = ${clusterId} LEFT JOIN "ClusterHealth" h ON h."clusterId" = c."id"
    WHERE u."id" = ${session.userId}`,
  );
  const actor = actorOf(rows, session);
  if (!actor) return null;
  // the cluster's columns are the same on every row (one per membership); null when there is no such cluster
  const [{ clusterStatus: status, clusterProjectId: projectId, clusterVersion: version }] = rows;
  return { actor, version: versionFor(actor, clusterId, status && projectId ? { status, projectId, version } : undefined, now) };
}

/** The cluster's own row with what hangs off it one to one, for the actor (no row: not found). */
interface ClusterRow {
  id: string;
  name: string;
  status: string;
  infraId: string;
  projectId: string;
  createdById: string;
  createdAt: string | Date;
  vrrpApiId: number | bigint | string | null;
  vrrpIngressId: number | bigint | string | null;
  bootstrapCompletedAt: string | Date | null;
  bootstrapCompletedBy: string | null;
  specJson: string;
  resolvedSpecJson: string | null;
  project: string;
  twoPersonTeardown: unknown;
  cloud: string;
  createdBy: string;
  hasKubeconfig: unknown;
  hasKubeadminPassword: unknown;
  hasServer: unknown;
  teardownId: string | null;
  teardownById: string | null;
  teardownBy: string | null;
  teardownAt: string | Date | null;
}

interface ResourceRow {
  kind: string;
  name: string;
  status: string;
  openstackId: string | null;
  node: string | null;
  networkRole: string | null;
}

/** An operation with its steps and its people's names, as the view and the automation API read it. */
export interface OperationRow {
  id: string;
  kind: string;
  status: string;
  createdAt: Date;
  finishedAt: Date | null;
  error: string | null;
  cancelRequested: boolean;
  requestedBy: { username: string };
  approvedBy: { username: string } | null;
  steps: { name: string; status: string; attempt: number; apiCalls: number; startedAt: Date | null; finishedAt: Date | null; error: string | null }[];
}

/**
 * The cluster as its page shows it. Every read is a raw statement past Prisma's query compiler (lib/db.ts readRows):
 * Prisma sent ~22 statements for this view, each compiled in Wasm on the main thread, most of the page's data cost.
 * The first statement decides visibility (policy's projectIdFilter); the others read by the cluster's id.
 */
export async function getClusterView(db: Db, actor: Actor, clusterId: string): Promise<ClusterView> {
  const [cluster] = await readRows<ClusterRow>(
    db,
    Prisma.sql`
    SELECT c."id", c."name", c."status", c."infraId", c."projectId", c."createdById", c."createdAt", c."vrrpApiId", c."vrrpIngressId",
      c."bootstrapCompletedAt", c."bootstrapCompletedBy", c."specJson", c."resolvedSpecJson",
      p."name" AS "project", p."twoPersonTeardown", cl."name" AS "cloud", u."username" AS "createdBy",
      -- a kubeconfig in the column of clusters drafted before uploads (tested, not read: a secret) or uploaded
      CASE WHEN c."kubeconfigSealed" IS NOT NULL
        OR EXISTS (SELECT 1 FROM "InstallerFile" f WHERE f."clusterId" = c."id" AND f."kind" = 'kubeconfig') THEN 1 ELSE 0 END AS "hasKubeconfig",
      CASE WHEN EXISTS (SELECT 1 FROM "InstallerFile" f WHERE f."clusterId" = c."id" AND f."kind" = 'kubeadminPassword') THEN 1 ELSE 0 END AS "hasKubeadminPassword",
      CASE WHEN EXISTS (SELECT 1 FROM "Resource" r WHERE r."clusterId" = c."id" AND r."kind" = 'server' AND r."status" = 'present') THEN 1 ELSE 0 END AS "hasServer",
      t."id" AS "teardownId", t."requestedById" AS "teardownById", tu."username" AS "teardownBy", t."createdAt" AS "teardownAt"
    FROM "Cluster" c
      JOIN "Project" p ON p."id" = c."projectId" JOIN "Cloud" cl ON cl."id" = c."cloudId" JOIN "User" u ON u."id" = c."createdById"
      -- the pending teardown request (one at most; else the first by id, as Prisma's take: 1 read it); joined on the
      -- cluster too, or PostgreSQL hashes every request of the table for the subquery's match
      LEFT JOIN "TeardownRequest" t ON t."clusterId" = c."id" AND t."status" = 'pending'
        AND t."id" = (SELECT MIN(r."id") FROM "TeardownRequest" r WHERE r."clusterId" = c."id" AND r."status" = 'pending')
      LEFT JOIN "User" tu ON tu."id" = t."requestedById"
    WHERE c."id" = ${clusterId} AND ${inScope(projectIdFilter(actor), Prisma.sql`c."projectId"`)}`,
  );
  if (!cluster) throw new NotFoundError("That cluster");
  const live = isLiveCluster(cluster.status) && flag(cluster.hasServer);
  const [leads, resources, operations, events, vips, drift] = await Promise.all([
    readRows<{ username: string }>(
      db,
      Prisma.sql`SELECT u."username" FROM "Membership" m JOIN "User" u ON u."id" = m."userId" WHERE m."projectId" = ${cluster.projectId} AND m."role" = 'lead'`,
    ),
    readRows<ResourceRow>(
      db,
      Prisma.sql`SELECT r."kind", r."name", r."status", r."openstackId", r."node", r."networkRole" FROM "Resource" r WHERE r."clusterId" = ${cluster.id} ORDER BY r."kind" ASC, r."name" ASC`,
    ),
    latestOperations(db, cluster.id),
    readRows<{ at: string | Date; level: string; step: string | null; message: string }>(
      db,
      Prisma.sql`SELECT e."at", e."level", e."step", e."message" FROM "Event" e WHERE e."clusterId" = ${cluster.id} ORDER BY e."at" DESC LIMIT ${EVENTS_ON_PAGE}`,
    ),
    live ? loadClusterVipPanels(db, cluster) : null,
    clusterDriftRows(db, cluster.id, cluster.cloud),
  ]);
  const target = { projectId: cluster.projectId, createdById: cluster.createdById };
  const pending = cluster.teardownId && cluster.teardownById && cluster.teardownBy && cluster.teardownAt
    ? { id: cluster.teardownId, requestedBy: cluster.teardownBy, requestedById: cluster.teardownById, at: dateOf(cluster.teardownAt).toISOString() }
    : null;
  const cell = (r: ResourceRow): PortCell => ({ name: r.name, status: r.status, openstackId: r.openstackId });
  return {
    id: cluster.id,
    name: cluster.name,
    project: cluster.project,
    projectId: cluster.projectId,
    cloud: cluster.cloud,
    status: cluster.status,
    infraId: cluster.infraId,
    createdBy: cluster.createdBy,
    createdAt: dateOf(cluster.createdAt).toISOString(),
    vrrp: { apiId: intOrNull(cluster.vrrpApiId), ingressId: intOrNull(cluster.vrrpIngressId) },
    endpoints: endpointsOf(cluster),
    bootstrapCompleted: cluster.bootstrapCompletedAt ? { at: dateOf(cluster.bootstrapCompletedAt).toISOString(), by: cluster.bootstrapCompletedBy } : null,
    hasKubeconfig: flag(cluster.hasKubeconfig),
    hasKubeadminPassword: flag(cluster.hasKubeadminPassword),
    leads: leads.map((m) => m.username).sort(),
    twoPersonTeardown: flag(cluster.twoPersonTeardown),
    viewer: actor.username,
    teardownRequest: pending,
    ports: NODE_NAMES.map((node) => ({
      node,
      cells: Object.fromEntries(
        NETWORK_ROLES.map((role) => {
          const r = resources.find((x) => x.kind === "port" && x.node === node && x.networkRole === role);
          return [role, r ? cell(r) : null];
        }),
      ) as Record<NetworkRole, PortCell | null>,
    })),
    vipPorts: RESERVED_VIPS.flatMap((vip) => {
      const r = resources.find((x) => x.kind === "vip-port" && x.name === vipPortName(cluster.infraId, vip));
      return r ? [{ ...cell(r), label: RESERVED_VIP_LABELS[vip] }] : [];
    }),
    otherResources: resources
      .filter((r) => r.kind !== "port" && r.kind !== "vip-port")
      .map((r) => ({ kind: r.kind, kindLabel: RESOURCE_KIND_LABELS[r.kind as keyof typeof RESOURCE_KIND_LABELS] ?? r.kind, name: r.name, status: r.status, openstackId: r.openstackId })),
    operations: operations.map(toOperationView),
    events: events.map((e) => ({ at: dateOf(e.at).toISOString(), level: e.level, step: e.step, message: e.message })),
    vips,
    drift,
    ingestWarning: cluster.status === "deleted" ? null : ingestUrlWarning(ingestUrlFromEnv()),
    can: {
      create: can(actor, "cluster.create", target),
      teardown: can(actor, "cluster.teardown", target),
      approve: can(actor, "cluster.approve", target),
      approveTeardown: pending ? can(actor, "cluster.approve-teardown", { ...target, requestedById: pending.requestedById }) : false,
      download: can(actor, "cluster.download", target),
      ignition: can(actor, "cluster.ignition", target),
      edit: (rolesAllowed("edit-draft") as readonly (string | null)[]).includes(roleOnCluster(actor, target)),
      reopen: (rolesAllowed("reopen-draft") as readonly (string | null)[]).includes(roleOnCluster(actor, target)) && reopenable(cluster.status, operations[0]),
    },
  };
}

/** The cluster's latest operations (newest first) with their people's names, then their steps: two statements. */
async function latestOperations(db: Db, clusterId: string): Promise<OperationRow[]> {
  type Row = Omit<OperationRow, "createdAt" | "finishedAt" | "cancelRequested" | "requestedBy" | "approvedBy" | "steps"> & {
    createdAt: string | Date;
    finishedAt: string | Date | null;
    cancelRequested: unknown;
    requestedBy: string;
    approvedBy: string | null;
  };
  const operations = await readRows<Row>(
    db,
    Prisma.sql`
    SELECT o."id", o."kind", o."status", o."createdAt", o."finishedAt", o."error", o."cancelRequested",
      ru."username" AS "requestedBy", au."username" AS "approvedBy"
    FROM "Operation" o JOIN "User" ru ON ru."id" = o."requestedById" LEFT JOIN "User" au ON au."id" = o."approvedById"
    WHERE o."clusterId" = ${clusterId} ORDER BY o."createdAt" DESC LIMIT ${OPERATIONS_ON_PAGE}`,
  );
  type StepRow = { operationId: string; name: string; status: string; attempt: number | bigint | string; apiCalls: number | bigint | string; startedAt: string | Date | null; finishedAt: string | Date | null; error: string | null };
  const steps = operations.length
    ? await readRows<StepRow>(
        db,
        Prisma.sql`SELECT s."operationId", s."name", s."status", s."attempt", s."apiCalls", s."startedAt", s."finishedAt", s."error"
          FROM "Step" s WHERE s."operationId" IN (${Prisma.join(operations.map((o) => o.id))}) ORDER BY s."position" ASC`,
      )
    : [];
  return operations.map((o) => ({
    ...o,
    createdAt: dateOf(o.createdAt),
    finishedAt: dateOrNull(o.finishedAt),
    cancelRequested: flag(o.cancelRequested),
    requestedBy: { username: o.requestedBy },
    approvedBy: o.approvedBy === null ? null : { username: o.approvedBy },
    steps: steps
      .filter((s) => s.operationId === o.id)
      .map((s) => ({ name: s.name, status: s.status, attempt: count(s.attempt), apiCalls: count(s.apiCalls), startedAt: dateOrNull(s.startedAt), finishedAt: dateOrNull(s.finishedAt), error: s.error })),
  }));
}

/** Whether the state machine lets this cluster go back to editing, read from the page's own rows. */
function reopenable(status: string, latest: OperationRow | undefined): boolean {
  return stateRule("reopen-draft", { status: status as ClusterStatus, latest: latest ? operationStateOf(latest) : null }, latest?.id).allowed;
}

/** An operation with its steps, as the cluster page and the automation API show it. */
export function toOperationView(op: OperationRow): OperationView {
  return {
    id: op.id,
    kind: op.kind,
    status: op.status,
    requestedBy: op.requestedBy.username,
    approvedBy: op.approvedBy?.username ?? null,
    createdAt: op.createdAt.toISOString(),
    finishedAt: iso(op.finishedAt),
    error: op.error,
    cancelRequested: op.cancelRequested,
    // Steps in their defined order (rows exist for all of them from the moment the operation is queued).
    steps: STEP_NAMES[op.kind as OperationKind].map((name) => {
      const s = op.steps.find((x) => x.name === name);
      return {
        name,
        status: s?.status ?? "pending",
        attempt: s?.attempt ?? 0,
        apiCalls: s?.apiCalls ?? 0,
        startedAt: iso(s?.startedAt ?? null),
        finishedAt: iso(s?.finishedAt ?? null),
        error: s?.error ?? null,
      };
    }),
  };
}
