import type { Db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { can, projectIdFilter, type Actor } from "@/lib/auth/policy";
import {
  isLiveCluster,
  NETWORK_ROLES,
  NODE_NAMES,
  RESOURCE_KIND_LABELS,
  STEP_NAMES,
  VIP_LABELS,
  VIP_NAMES,
  vipPortName,
  type NetworkRole,
  type NodeName,
  type OperationKind,
} from "@/lib/domain";
import { loadClusterVipPanels, type VipPanel } from "@/lib/vip/panel";
import { NotFoundError } from "./errors";

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
  bootstrapCompleted: { at: string; by: string | null } | null;
  hasKubeconfig: boolean;
  /** Ports per node, one cell per network in NIC order, plus the VIP reservation ports. */
  ports: { node: NodeName; cells: Record<NetworkRole, PortCell | null> }[];
  vipPorts: (PortCell & { label: string })[];
  otherResources: { kind: string; kindLabel: string; name: string; status: string; openstackId: string | null }[];
  operations: OperationView[];
  events: { at: string; level: string; step: string | null; message: string }[];
  /** keepalived VIP health from the nodes' agents (null before the masters exist and after teardown). */
  vips: VipPanel[] | null;
  can: { create: boolean; teardown: boolean; approve: boolean };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function getClusterView(db: Db, actor: Actor, clusterId: string): Promise<ClusterView> {
  const cluster = await db.cluster.findFirst({
    where: { id: clusterId, projectId: projectIdFilter(actor) },
    include: {
      project: true,
      cloud: true,
      createdBy: true,
      resources: { orderBy: { name: "asc" } },
      operations: { orderBy: { createdAt: "desc" }, take: 10, include: { steps: { orderBy: { position: "asc" } }, requestedBy: true, approvedBy: true } },
      events: { orderBy: { at: "desc" }, take: 200 },
    },
  });
  if (!cluster) throw new NotFoundError("That cluster");
  const target = { projectId: cluster.projectId, createdById: cluster.createdById };
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
    bootstrapCompleted: cluster.bootstrapCompletedAt ? { at: cluster.bootstrapCompletedAt.toISOString(), by: cluster.bootstrapCompletedBy } : null,
    hasKubeconfig: cluster.kubeconfigSealed !== null,
    ports: NODE_NAMES.map((node) => ({
      node,
      cells: Object.fromEntries(
        NETWORK_ROLES.map((role) => {
          const r = cluster.resources.find((x) => x.kind === "port" && x.node === node && x.networkRole === role);
          return [role, r ? cell(r) : null];
        }),
      ) as Record<NetworkRole, PortCell | null>,
    })),
    vipPorts: VIP_NAMES.flatMap((vip) => {
      const r = cluster.resources.find((x) => x.kind === "vip-port" && x.name === vipPortName(cluster.infraId, vip));
      return r ? [{ ...cell(r), label: VIP_LABELS[vip] }] : [];
    }),
    otherResources: cluster.resources
      .filter((r) => r.kind !== "port" && r.kind !== "vip-port")
      .map((r) => ({ kind: r.kind, kindLabel: RESOURCE_KIND_LABELS[r.kind as keyof typeof RESOURCE_KIND_LABELS] ?? r.kind, name: r.name, status: r.status, openstackId: r.openstackId })),
    operations: cluster.operations.map(toOperationView),
    events: cluster.events.map((e) => ({ at: e.at.toISOString(), level: e.level, step: e.step, message: e.message })),
    vips: isLiveCluster(cluster.status) && cluster.resources.some((r) => r.kind === "server" && r.status === "present")
      ? await loadClusterVipPanels(db, cluster.id)
      : null,
    can: {
      create: can(actor, "cluster.create", target),
      teardown: can(actor, "cluster.teardown", target),
      approve: can(actor, "cluster.approve", target),
    },
  };
}

type OperationRow = Prisma.OperationGetPayload<{ include: { steps: true; requestedBy: true; approvedBy: true } }>;

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
