import type { Db } from "@/lib/db";
import { isLiveCluster, NETWORK_ROLES, NODE_NAMES, VIP_NAMES, type ResourceKind } from "@/lib/domain";
import type { Session } from "@/lib/openstack/client";
import { readProjectInventory, type ProjectInventory } from "@/lib/openstack/inventory";
import { clusterMarks, ownedBy, planCluster, plannedNames, type ClusterPlan, type Marked } from "@/lib/plan";
import { sameSet } from "./steps/common";
import { convergeReapers, reapersOf } from "./steps/teardown";
import { storedSpec } from "./context";

// The reconciler: one inventory of a project (4 calls, whatever the number of clusters) compared with every
// cluster's ledger and plan, and with the clusters Tripod knows. What it finds is kept as DriftFinding rows (first
// seen, last seen) until a cycle no longer sees it; the cluster page and oversight show them with their age.

export const DRIFT_KINDS = ["missing", "extra", "changed", "not-active", "orphan"] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

export const DRIFT_LABELS: Record<DriftKind, string> = {
  missing: "Missing from the cloud",
  extra: "Not in the plan",
  changed: "Changed behind Tripod",
  "not-active": "Server not ACTIVE",
  orphan: "Orphan",
};

export interface Finding {
  key: string;
  clusterId: string | null;
  kind: DriftKind;
  resourceKind: ResourceKind;
  name: string;
  openstackId: string | null;
  detail: string;
}

/** A cluster as the reconciler compares it: its plan, and the ledger rows recorded as present. */
export interface KnownCluster {
  id: string;
  status: string;
  plan: ClusterPlan | null;
  present: { kind: string; name: string; openstackId: string | null }[];
}

// Tripod's names: <infra id>-<node>-<role>, <infra id>-<vip>-vip, <infra id>-<role>, <infra id>-masters, <infra id>-<node>,
// where an infra id ends in 5 characters of newInfraId's alphabet.
const INFRA = "[a-z0-9](?:[-a-z0-9]*[a-z0-9])?-[bcdfghjklmnpqrstvwxz2456789]{5}";
const TRIPOD_NAME = new RegExp(
  `^${INFRA}-(?:(?:${NODE_NAMES.join("|")})(?:-(?:${NETWORK_ROLES.join("|")}))?|(?:${VIP_NAMES.join("|")})-vip|${NETWORK_ROLES.join("|")}|masters)$`,
);
export const isTripodName = (name: string) => TRIPOD_NAME.test(name);

interface Listed extends Marked {
  id: string;
  resourceKind: ResourceKind;
}

function listedOf(inv: ProjectInventory): Listed[] {
  return [
    ...inv.ports.map((p) => ({ ...p, resourceKind: "port" as const })),
    ...inv.securityGroups.map((g) => ({ ...g, resourceKind: "security-group" as const })),
    ...inv.servers.map((s) => ({ ...s, resourceKind: "server" as const })),
    ...inv.serverGroups.map((g) => ({ id: g.id, name: g.name, resourceKind: "server-group" as const })),
  ];
}

const ledgerKindOf = (kind: string): ResourceKind | null =>
  kind === "vip-port" ? "port" : kind === "port" || kind === "security-group" || kind === "server" || kind === "server-group" ? kind : null;

/** Compares one project's inventory with the clusters Tripod knows (all of them: a tag may name any). Pure. */
export function findDrift(inv: ProjectInventory, clusters: KnownCluster[]): Finding[] {
  const findings: Finding[] = [];
  const listed = listedOf(inv);
  const byId = new Map(listed.map((r) => [`${r.resourceKind}:${r.id}`, r]));
  const known = new Map(clusters.map((c) => [c.id, c]));
  const live = clusters.filter((c) => c.plan && c.status !== "deleted" && c.status !== "draft");
  const names = new Map(live.map((c) => [c.id, plannedNames(c.plan!)]));
  const add = (f: Omit<Finding, "key">) => findings.push({ ...f, key: `${f.kind}:${f.resourceKind}:${f.openstackId ?? f.name}` });

  for (const c of live) {
    const plan = c.plan!;
    const mine = listed.filter((r) => ownedBy(plan, r, names.get(c.id)));
    if (isLiveCluster(c.status)) {
      for (const row of c.present) {
        const kind = ledgerKindOf(row.kind);
        if (!kind || !row.openstackId || byId.has(`${kind}:${row.openstackId}`)) continue;
        add({ clusterId: c.id, kind: "missing", resourceKind: kind, name: row.name, openstackId: row.openstackId, detail: `recorded as present (${row.openstackId}), not in the cloud` });
      }
    }
    const recorded = new Set(c.present.map((r) => r.openstackId));
    const groupIds = new Map(c.present.filter((r) => r.kind === "security-group").map((r) => [r.name, r.openstackId]));
    for (const r of mine) {
      if (!names.get(c.id)!.has(r.name) || (c.present.some((p) => p.name === r.name && ledgerKindOf(p.kind) === r.resourceKind) && !recorded.has(r.id))) {
        add({ clusterId: c.id, kind: "extra", resourceKind: r.resourceKind, name: r.name, openstackId: r.id, detail: `marked for the cluster but ${names.get(c.id)!.has(r.name) ? "not the one recorded" : "not in its plan"}` });
        continue;
      }
      if (r.resourceKind === "server" && "status" in r && r.status !== "ACTIVE") {
        add({ clusterId: c.id, kind: "not-active", resourceKind: "server", name: r.name, openstackId: r.id, detail: `status ${String(r.status)}` });
      }
      if (r.resourceKind === "port") {
        const port = inv.ports.find((p) => p.id === r.id)!;
        const planned = plan.ports.find((p) => p.name === r.name)!;
        const pairs = port.allowedAddressPairs.map((p) => p.ipAddress);
        const wantedPairs = planned.allowedAddressPairs.map((p) => p.ipAddress);
        if (!sameSet(pairs, wantedPairs)) {
          add({ clusterId: c.id, kind: "changed", resourceKind: "port", name: r.name, openstackId: r.id, detail: `allowed-address pairs [${pairs.join(", ")}], planned [${wantedPairs.join(", ")}]` });
        }
        const wantedGroups = planned.securityGroups.map((role) => groupIds.get(plan.securityGroups.find((g) => g.key === role)!.name) ?? "?");
        // Security groups are attached by their own step: only a port that had them and lost or gained one counts.
        if (port.securityGroups.length > 0 && !wantedGroups.includes("?") && !sameSet(port.securityGroups, wantedGroups)) {
          add({ clusterId: c.id, kind: "changed", resourceKind: "port", name: `${r.name} (security groups)`, openstackId: r.id, detail: `security groups [${port.securityGroups.join(", ")}], planned [${wantedGroups.join(", ")}]` });
        }
      }
    }
  }

  // Orphans: marked for a cluster Tripod does not know or has deleted, or named the way Tripod names with no owner.
  for (const r of listed) {
    const { clusterIds } = clusterMarks(r);
    const owners = clusterIds.map((id) => known.get(id));
    const markedOrphan = clusterIds.length > 0 && owners.every((o) => !o || o.status === "deleted");
    const ownedByLive = live.some((c) => ownedBy(c.plan!, r, names.get(c.id)));
    if (markedOrphan) {
      const owner = owners.find((o) => o);
      add({ clusterId: owner?.id ?? null, kind: "orphan", resourceKind: r.resourceKind, name: r.name, openstackId: r.id, detail: owner ? `tagged for cluster ${owner.id}, which is deleted` : `tagged for cluster ${clusterIds.join(", ")}, unknown to Tripod` });
    } else if (clusterIds.length === 0 && !ownedByLive && isTripodName(r.name)) {
      add({ clusterId: null, kind: "orphan", resourceKind: r.resourceKind, name: r.name, openstackId: r.id, detail: "named the way Tripod names its resources, owned by no cluster" });
    }
  }
  return findings;
}

/** Every cluster Tripod knows (a tag may name a cluster of any cloud registration), with plan and present ledger rows. */
async function knownClusters(db: Db): Promise<KnownCluster[]> {
  const rows = await db.cluster.findMany({
    select: { id: true, status: true, infraId: true, specJson: true, resolvedSpecJson: true, resources: { where: { status: "present" }, select: { kind: true, name: true, openstackId: true } } },
  });
  return rows.map((c) => {
    let plan: ClusterPlan | null = null;
    try {
      plan = c.status === "deleted" ? null : planCluster(storedSpec(c), { clusterId: c.id, infraId: c.infraId });
    } catch {
      plan = null; // a spec that no longer validates: the cluster cannot be compared, its marks still count
    }
    return { id: c.id, status: c.status, plan, present: c.resources };
  });
}

/** Keeps the findings of one cycle (first seen kept, last seen updated); what the cycle no longer sees goes. */
export async function recordDrift(db: Db, cloudId: string, inventory: ProjectInventory, now = new Date()): Promise<Finding[]> {
  const findings = findDrift(inventory, await knownClusters(db));
  await db.$transaction(async (tx) => {
    for (const f of findings) {
      const data = { clusterId: f.clusterId, kind: f.kind, resourceKind: f.resourceKind, name: f.name, openstackId: f.openstackId, detail: f.detail, lastSeenAt: now };
      await tx.driftFinding.upsert({ where: { cloudId_key: { cloudId, key: f.key } }, update: data, create: { cloudId, key: f.key, ...data, firstSeenAt: now } });
    }
    await tx.driftFinding.deleteMany({ where: { cloudId, key: { notIn: findings.map((f) => f.key) } } });
  });
  return findings;
}

/** One reconcile cycle of one registered cloud: read the project once, compare, keep the findings. */
export async function reconcileCloud(db: Db, cloudId: string, session: Session, now = new Date(), signal?: AbortSignal): Promise<Finding[]> {
  return recordDrift(db, cloudId, await readProjectInventory(session, { signal }), now);
}

/** Deletes the given orphans with the teardown's converging loop; returns what was deleted. */
export async function sweepOrphans(
  session: Session,
  orphans: { resourceKind: string; openstackId: string | null }[],
  options: { signal: AbortSignal; concurrency: number; boundMs: number; delayMs: number },
): Promise<{ kind: ResourceKind; id: string; name: string }[]> {
  const targets = orphans.flatMap((o) => (o.openstackId ? [{ resourceKind: o.resourceKind, openstackId: o.openstackId }] : []));
  const deleted: { kind: ResourceKind; id: string; name: string }[] = [];
  const onDeleted = async (kind: ResourceKind, f: { id: string; name: string }) => void deleted.push({ kind, ...f });
  const ofKinds = (kinds: string[]) => targets.filter((t) => kinds.includes(t.resourceKind));
  // Servers first (they hold ports), then ports and server groups, then the groups the ports no longer use.
  for (const kinds of [["server"], ["port", "server-group"], ["security-group"]]) {
    const reapers = reapersOf(session, options.signal, ofKinds(kinds));
    if (reapers.length) await convergeReapers(reapers, { ...options, onDeleted });
  }
  return deleted;
}
