// `npx tsx test/bench/lifecycle.ts` — wall time and API calls of create + teardown of the demo cluster on the
// local cloud, Tripod's concurrency against a sequential baseline (one call at a time, as the Ansible playbooks
// run), printed with their ratio. Needs the local cloud up (npm run cloud:up). Prints figures, asserts nothing.
import { FAST, inProcessWorker } from "../integration/lifecycle/harness";
import { createAndTeardown, tenantWithDraft } from "./lifecycle-run";
import { isolatedDb } from "../support/db";

async function measure(label: string, callConcurrency: number) {
  const { db, dispose } = isolatedDb(label);
  const worker = inProcessWorker(db, { ...FAST, tuning: { ...FAST.tuning, callConcurrency } });
  try {
    const { tenant, clusterId } = await tenantWithDraft(db);
    const t0 = performance.now();
    await createAndTeardown(db, tenant, clusterId);
    const ms = performance.now() - t0;
    const calls = (await db.step.aggregate({ _sum: { apiCalls: true } }))._sum.apiCalls ?? 0;
    const steps = await db.step.findMany({ orderBy: { startedAt: "asc" } });
    console.log(`${label.padEnd(10)} concurrency ${callConcurrency}: ${(ms / 1000).toFixed(1)} s, ${calls} API calls`);
    for (const s of steps) console.log(`  ${s.name.padEnd(24)} ${String(s.apiCalls).padStart(4)} calls ${((s.finishedAt!.getTime() - s.startedAt!.getTime()) / 1000).toFixed(1).padStart(7)} s`);
    return { ms, calls };
  } finally {
    await worker.stop();
    await dispose();
  }
}

async function main() {
  const tripod = await measure("tripod", 6);
  const baseline = await measure("sequential", 1);
  console.log(`wall time: tripod ${(tripod.ms / 1000).toFixed(1)} s vs sequential ${(baseline.ms / 1000).toFixed(1)} s — ratio ${(baseline.ms / tripod.ms).toFixed(2)}x`);
  console.log(`API calls: tripod ${tripod.calls} vs sequential ${baseline.calls} — ratio ${(baseline.calls / tripod.calls).toFixed(2)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
