// `npx tsx test/bench/crash-resume.ts [create+teardown cycles, default 3]` — create + teardown of the demo cluster
// while the worker process is SIGKILLed at every step boundary and at random points inside steps, restarted each
// time; at least 50 kill points over the run. Prints every kill point, the time, and what was left in the cloud
// (must be nothing). Needs the local cloud up (npm run cloud:up).
import { markBootstrapComplete, startOperation } from "@/lib/data/clusters";
import { driveWithCrashes, type KillPoint } from "../support/crash-driver";
import { WorkerProcess } from "../support/worker-process";
import { adminSession, leftovers, leftoverScope, tenantSession } from "../integration/lifecycle/harness";
import { tenantWithDraft } from "./lifecycle-run";
import { isolatedDb } from "../support/db";

async function main() {
  const cycles = Number(process.argv[2] ?? 3);
  const { db, url, dispose } = isolatedDb("crash");
  const worker = new WorkerProcess({ databaseUrl: url });
  const all: KillPoint[] = [];
  const t0 = performance.now();
  try {
    for (let cycle = 1; cycle <= cycles || all.length < 50; cycle++) {
      const { tenant, clusterId } = await tenantWithDraft(db);
      const cluster = await db.cluster.findUniqueOrThrow({ where: { id: clusterId } });
      const create = await startOperation(db, tenant.member, { clusterId, kind: "create" });
      const created = await driveWithCrashes({
        db,
        worker,
        operationId: create.operationId,
        maxKills: 100,
        insideDelayMs: [100, 4000],
        onStep: async (step, status) => {
          if (step === "wait-bootstrap-complete" && status === "running" && !(await db.cluster.findUniqueOrThrow({ where: { id: clusterId } })).bootstrapCompletedAt) {
            await markBootstrapComplete(db, tenant.lead, { clusterId });
          }
        },
      });
      const teardown = await startOperation(db, tenant.member, { clusterId, kind: "teardown" });
      const removed = await driveWithCrashes({ db, worker, operationId: teardown.operationId, maxKills: 100, insideDelayMs: [100, 2000] });
      await worker.stop();
      const left = await leftovers(adminSession(), tenantSession(), leftoverScope(cluster));
      const kills = [...created.kills, ...removed.kills];
      all.push(...kills);
      console.log(`cycle ${cycle}: create ${created.status}, teardown ${removed.status}, ${kills.length} kills, left: ${JSON.stringify(left)}`);
      for (const k of kills) console.log(`  ${k.kind.padEnd(8)} ${k.step}${k.afterMs ? ` after ${k.afterMs} ms` : ""}`);
    }
    console.log(`${all.length} kill points (${all.filter((k) => k.kind === "boundary").length} at step boundaries, ${all.filter((k) => k.kind === "inside").length} inside steps) in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  } finally {
    await worker.stop();
    await dispose();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
