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
import { storedSpec } from "@/lib/lifecycle/context";
import { TerminalError } from "@/lib/lifecycle/engine";
import { ingestUrlFromEnv, ingestUrlWarning } from "@/lib/vip/ingest-url";
import { loadClusterVipPanels, type VipPanel } from "@/lib/vip/panel";
import { clusterDriftRows, type DriftRow } from "./drift";
import { NotFoundError } from "./errors";
import { ACTOR_COLUMNS, ACTOR_FROM, actorOf, type ActorRow } from "./actor";
import { count } from "./sql";

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
function endpointsOf(cluster: { specJson: string; resolvedSpecJson: string | null }): ClusterView["endpoints"] {
  let spec;
  try {
    spec = storedSpec(cluster);
  } catch (error) {
    if (error instanceof TerminalError) return null;
    throw error;
  }
  return { baseDomain: spec.baseDomain, apiVip: spec.networks.public.apiVip, ingressVip: spec.networks.public.ingressVip };
}

/** What the cluster page shows at once: the latest operations (the page shows two) and the newest events. */
export const OPERATIONS_ON_PAGE = 3;
export const EVENTS_ON_PAGE = 50;
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

const userName = { select: { username: true } } as const;

/** What an operation's view reads (the automation API's fuller rows fit it too). */
const OPERATION_VIEW_SELECT = {
  id: true,
  kind: true,
  status: true,
  createdAt: true,
  finishedAt: true,
  error: true,
  cancelRequested: true,
  requestedBy: userName,
  approvedBy: userName,
  steps: { orderBy: { position: "asc" }, select: { name: true, status: true, attempt: true, apiCalls: true, startedAt: true, finishedAt: true, error: true } },
} satisfies Prisma.OperationSelect;

export async function getClusterView(db: Db, actor: Actor, clusterId: string): Promise<ClusterView> {
  const [cluster, withKubeconfig] = await Promise.all([
    db.cluster.findFirst({
      where: { id: clusterId, projectId: projectIdFilter(actor) },
      select: {
        id: true,
        name: true,
        status: true,
        infraId: true,
        projectId: true,
        createdById: true,
        createdAt: true,
        vrrpApiId: true,
        vrrpIngressId: true,
        bootstrapCompletedAt: true,
        bootstrapCompletedBy: true,
        specJson: true,
        resolvedSpecJson: true,
        project: { select: { name: true, twoPersonTeardown: true, memberships: { where: { role: "lead" }, select: { user: userName } } } },
        teardownRequests: { where: { status: "pending" }, take: 1, select: { id: true, requestedById: true, createdAt: true, requestedBy: userName } },
        cloud: { select: { name: true } },
        createdBy: userName,
        resources: { orderBy: { name: "asc" }, select: { kind: true, name: true, status: true, openstackId: true, node: true, networkRole: true } },
        operations: { orderBy: { createdAt: "desc" }, take: OPERATIONS_ON_PAGE, select: OPERATION_VIEW_SELECT },
        events: { orderBy: { at: "desc" }, take: EVENTS_ON_PAGE, select: { at: true, level: true, step: true, message: true } },
        installerFiles: { where: { kind: { in: ["kubeconfig", "kubeadminPassword"] } }, select: { kind: true } },
      },
    }),
    // whether a kubeconfig is stored in the column of clusters drafted before uploads, without reading the secret
    db.cluster.count({ where: { id: clusterId, kubeconfigSealed: { not: null } } }),
  ]);
  if (!cluster) throw new NotFoundError("That cluster");
  const target = { projectId: cluster.projectId, createdById: cluster.createdById };
  const pending = cluster.teardownRequests[0];
  const cell = (r: (typeof cluster.resources)[number]): PortCell => ({ name: r.name, status: r.status, openstackId: r.openstackId });
  return {
    id: cluster.id,
    name: cluster.name,
    project: cluster.project.name,
    projectId: cluster.projectId,
    cloud: cluster.cloud.name,
    status: cluster.status,
    infraId: cluster.infraId,
    createdBy: cluster.createdBy.username,
    createdAt: cluster.createdAt.toISOString(),
    vrrp: { apiId: cluster.vrrpApiId, ingressId: cluster.vrrpIngressId },
    endpoints: endpointsOf(cluster),
    bootstrapCompleted: cluster.bootstrapCompletedAt ? { at: cluster.bootstrapCompletedAt.toISOString(), by: cluster.bootstrapCompletedBy } : null,
    hasKubeconfig: withKubeconfig > 0 || cluster.installerFiles.some((f) => f.kind === "kubeconfig"),
    hasKubeadminPassword: cluster.installerFiles.some((f) => f.kind === "kubeadminPassword"),
    leads: cluster.project.memberships.map((m) => m.user.username).sort(),
    twoPersonTeardown: cluster.project.twoPersonTeardown,
    viewer: actor.username,
    teardownRequest: pending ? { id: pending.id, requestedBy: pending.requestedBy.username, requestedById: pending.requestedById, at: pending.createdAt.toISOString() } : null,
    ports: NODE_NAMES.map((node) => ({
      node,
      cells: Object.fromEntries(
        NETWORK_ROLES.map((role) => {
          const r = cluster.resources.find((x) => x.kind === "port" && x.node === node && x.networkRole === role);
          return [role, r ? cell(r) : null];
        }),
      ) as Record<NetworkRole, PortCell | null>,
    })),
    vipPorts: RESERVED_VIPS.flatMap((vip) => {
      const r = cluster.resources.find((x) => x.kind === "vip-port" && x.name === vipPortName(cluster.infraId, vip));
      return r ? [{ ...cell(r), label: RESERVED_VIP_LABELS[vip] }] : [];
    }),
    otherResources: cluster.resources
      .filter((r) => r.kind !== "port" && r.kind !== "vip-port")
      .map((r) => ({ kind: r.kind, kindLabel: RESOURCE_KIND_LABELS[r.kind as keyof typeof RESOURCE_KIND_LABELS] ?? r.kind, name: r.name, status: r.status, openstackId: r.openstackId })),
    operations: cluster.operations.map(toOperationView),
    events: cluster.events.map((e) => ({ at: e.at.toISOString(), level: e.level, step: e.step, message: e.message })),
    vips: isLiveCluster(cluster.status) && cluster.resources.some((r) => r.kind === "server" && r.status === "present")
      ? await loadClusterVipPanels(db, cluster.id)
      : null,
    drift: await clusterDriftRows(db, cluster.id, cluster.cloud.name),
    ingestWarning: cluster.status === "deleted" ? null : ingestUrlWarning(ingestUrlFromEnv()),
    can: {
      create: can(actor, "cluster.create", target),
      teardown: can(actor, "cluster.teardown", target),
      approve: can(actor, "cluster.approve", target),
      approveTeardown: pending ? can(actor, "cluster.approve-teardown", { ...target, requestedById: pending.requestedById }) : false,
      download: can(actor, "cluster.download", target),
      ignition: can(actor, "cluster.ignition", target),
      edit: (rolesAllowed("edit-draft") as readonly (string | null)[]).includes(roleOnCluster(actor, target)),
      reopen: (rolesAllowed("reopen-draft") as readonly (string | null)[]).includes(roleOnCluster(actor, target)) && reopenable(cluster.status, cluster.operations[0]),
    },
  };
}

type OperationRow = Prisma.OperationGetPayload<{ select: typeof OPERATION_VIEW_SELECT }>;

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
