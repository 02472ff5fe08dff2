import type { Db } from "@/lib/db";
import { LIVE_CLUSTER_STATUSES } from "@/lib/domain";
import { readProjectInventory } from "@/lib/openstack/inventory";
import { planCluster } from "@/lib/plan";
import { sleep } from "@/lib/util/sleep";
import { neutronVipInventory, probeFromHere, storeVipCheck } from "@/lib/vip/checks";
import { vipsOfCluster } from "@/lib/vip/panel";
import { cloudSession, storedSpec } from "./context";
import { recordDrift } from "./reconcile";

// The worker's schedule beside the operations: every cycle, per registered cloud, one inventory of the project
// feeds the reconciler (drift and orphans) and the Neutron check of every live cluster's VIPs; the VIPs are probed
// from this host. A cloud that cannot be read is logged and tried again next cycle.

export async function monitorCloud(db: Db, cloudId: string, now = new Date(), signal?: AbortSignal): Promise<{ findings: number; clustersChecked: number }> {
  const cloud = await db.cloud.findUniqueOrThrow({ where: { id: cloudId } });
  const inventory = await readProjectInventory(cloudSession(cloud), { signal });
  const findings = await recordDrift(db, cloudId, inventory, now);
  const clusters = await db.cluster.findMany({
    where: { cloudId, status: { in: LIVE_CLUSTER_STATUSES }, resources: { some: { kind: "server", status: "present" } } },
  });
  for (const c of clusters) {
    const plan = planCluster(storedSpec(c), { clusterId: c.id, infraId: c.infraId });
    const neutron = neutronVipInventory(inventory, {
      reservation: plan.ports.filter((p) => !p.node).map((p) => p.name),
      masterPublic: plan.ports.filter((p) => p.node && p.node !== "bootstrap" && p.role === "public").map((p) => ({ node: p.node!, name: p.name })),
    });
    await storeVipCheck(db, c.id, await probeFromHere(vipsOfCluster(c) ?? []), neutron, now);
  }
  return { findings: findings.length, clustersChecked: clusters.length };
}

/** Runs a monitor cycle over every registered cloud every `intervalMs` until the signal aborts. */
export async function runMonitor(db: Db, intervalMs: number, signal: AbortSignal, log: (m: string) => void): Promise<void> {
  while (!signal.aborted) {
    for (const cloud of await db.cloud.findMany({ select: { id: true, name: true } }).catch(() => [])) {
      try {
        const r = await monitorCloud(db, cloud.id, new Date(), signal);
        if (r.findings > 0) log(`cloud ${cloud.name}: ${r.findings} drift finding${r.findings === 1 ? "" : "s"}`);
      } catch (error) {
        log(`monitor of cloud ${cloud.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    await sleep(intervalMs, signal).catch(() => undefined);
  }
}
