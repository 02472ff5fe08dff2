import type { Db } from "@/lib/db";
import type { ResourceKind, ResourceStatus } from "@/lib/domain";
import type { ClusterPlan } from "@/lib/plan";

export interface ResourceRecord {
  kind: ResourceKind;
  name: string;
  openstackId?: string | null;
  node?: string | null;
  networkRole?: string | null;
  status: ResourceStatus;
}

/** What Tripod knows it made (or is about to make) in the cloud; upserted by (cluster, kind, name). */
export interface ResourceLedger {
  record(r: ResourceRecord): Promise<void>;
  idOf(kind: ResourceKind, name: string): Promise<string | undefined>;
  /** The rows of these kinds (every planned resource has one from the moment its operation was queued). */
  rows(kinds: readonly ResourceKind[]): Promise<ResourceRecord[]>;
}

export function prismaLedger(db: Db, clusterId: string, now: () => Date = () => new Date()): ResourceLedger {
  return {
    async record(r) {
      const data = {
        openstackId: r.openstackId ?? undefined,
        node: r.node ?? undefined,
        networkRole: r.networkRole ?? undefined,
        status: r.status,
        lastSeenAt: r.status === "present" ? now() : undefined,
      };
      await db.resource.upsert({
        where: { clusterId_kind_name: { clusterId, kind: r.kind, name: r.name } },
        update: data,
        create: { clusterId, kind: r.kind, name: r.name, ...data },
      });
    },
    async idOf(kind, name) {
      const row = await db.resource.findUnique({ where: { clusterId_kind_name: { clusterId, kind, name } } });
      return row?.openstackId ?? undefined;
    },
    async rows(kinds) {
      const rows = await db.resource.findMany({ where: { clusterId, kind: { in: [...kinds] } }, orderBy: { name: "asc" } });
      return rows.map((r) => ({ kind: r.kind as ResourceKind, name: r.name, openstackId: r.openstackId, node: r.node, networkRole: r.networkRole, status: r.status as ResourceStatus }));
    },
  };
}

/** Every resource of the plan as a ledger row, before anything is created (intent before effect). */
export function plannedResources(plan: ClusterPlan): ResourceRecord[] {
  return [
    ...plan.ports.map((p) => ({ kind: (p.node ? "port" : "vip-port") as ResourceKind, name: p.name, node: p.node, networkRole: p.role, status: "planned" as const })),
    ...plan.securityGroups.map((g) => ({ kind: "security-group" as const, name: g.name, networkRole: g.key, status: "planned" as const })),
    { kind: "server-group", name: plan.serverGroup.name, status: "planned" },
    { kind: "swift-container", name: plan.swift.container, status: "planned" },
    { kind: "swift-object", name: `${plan.swift.container}/${plan.swift.object}`, node: "bootstrap", status: "planned" },
    ...plan.servers.map((s) => ({ kind: "server" as const, name: s.name, node: s.node, status: "planned" as const })),
  ];
}
