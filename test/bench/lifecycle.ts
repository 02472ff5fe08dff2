// `npx tsx test/bench/lifecycle.ts [repeats, default 3]` — API calls and wall time of create + teardown of the demo
// cluster on the local cloud with the production settings (the README's defaults: polls, settle time, lease), for
// Tripod's call concurrency (TRIPOD_CALL_CONCURRENCY, default 6) and one call at a time (as the Ansible playbooks),
// the two arms alternated, each repeated; prints per step calls and seconds (median, min–max), the totals against
// the targets of issue 16, and a status refresh of the ready cluster (the inventory read: a fresh session, as the
// cluster page or the reconciler would open). Needs the local cloud up and nothing else in the demo project (run it
// under `flock /work/coord/cloud.lock`). Prints figures, asserts nothing.
import { SERVER_METADATA_KEY, STEP_NAMES } from "@/lib/domain";
import { readClusterInventory } from "@/lib/openstack/inventory";
import { workerSettingsFromEnv } from "@/lib/lifecycle/worker";
import { storedSpec } from "@/lib/lifecycle/context";
import { planCluster } from "@/lib/plan";
import { inProcessWorker } from "../integration/lifecycle/harness";
import { recordingSession } from "../integration/openstack/cloud";
import { isolatedDb } from "../support/db";
import { createCluster, teardownCluster, tenantWithDraft } from "./lifecycle-run";

type Figures = Record<string, { calls: number; s: number }>;

const CREATE_TO_CONTROL_PLANE = STEP_NAMES.create.slice(0, STEP_NAMES.create.indexOf("control-plane") + 1);

async function run(label: string, callConcurrency: number): Promise<Figures> {
  const { db, dispose } = isolatedDb(`bench-${label}`);
  const settings = workerSettingsFromEnv({ ...process.env, TRIPOD_CALL_CONCURRENCY: String(callConcurrency) });
  const worker = inProcessWorker(db, settings);
  try {
    const { tenant, clusterId } = await tenantWithDraft(db);
    const figures: Figures = {};
    const record = async (operationId: string, kind: string) => {
      for (const s of await db.step.findMany({ where: { operationId }, orderBy: { position: "asc" } })) {
        figures[`${kind} ${s.name}`] = { calls: s.apiCalls, s: (s.finishedAt!.getTime() - s.startedAt!.getTime()) / 1000 };
      }
    };
    let t0 = performance.now();
    const created = await createCluster(db, tenant, clusterId);
    const createS = (performance.now() - t0) / 1000;
    await record(created, "create");

    const cluster = await db.cluster.findUniqueOrThrow({ where: { id: clusterId } });
    const plan = planCluster(storedSpec(cluster), { clusterId, infraId: cluster.infraId });
    const { session, events } = recordingSession();
    t0 = performance.now();
    const inventory = await readClusterInventory(session, { tag: plan.tags[0], metadataKey: SERVER_METADATA_KEY, serverGroupName: plan.serverGroup.name, container: plan.swift.container });
    figures["status refresh"] = { calls: events.length, s: (performance.now() - t0) / 1000 };
    if (inventory.servers.length !== 3) throw new Error(`the refresh saw ${inventory.servers.length} servers, not the 3 masters`);

    t0 = performance.now();
    const removed = await teardownCluster(db, tenant, clusterId);
    const teardownS = (performance.now() - t0) / 1000;
    await record(removed, "teardown");

    const sum = (keys: string[]) => keys.reduce((n, k) => n + (figures[k]?.calls ?? 0), 0);
    const secs = (keys: string[]) => keys.reduce((n, k) => n + (figures[k]?.s ?? 0), 0);
    const toControlPlane = CREATE_TO_CONTROL_PLANE.map((n) => `create ${n}`);
    const teardownKeys = STEP_NAMES.teardown.map((n) => `teardown ${n}`);
    figures["= create through control plane ACTIVE"] = { calls: sum(toControlPlane), s: secs(toControlPlane) };
    figures["= create operation (wall)"] = { calls: sum(STEP_NAMES.create.map((n) => `create ${n}`)), s: createS };
    figures["= full teardown to verified-empty"] = { calls: sum(teardownKeys), s: teardownS };
    console.log(`${label}: create ${figures["= create through control plane ACTIVE"].calls} calls to control plane, teardown ${figures["= full teardown to verified-empty"].calls} calls (${createS.toFixed(1)} s + ${teardownS.toFixed(1)} s)`);
    return figures;
  } finally {
    await worker.stop();
    await dispose();
  }
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const spread = (v: number[], digits: number) => `${median(v).toFixed(digits)} (${Math.min(...v).toFixed(digits)}–${Math.max(...v).toFixed(digits)})`;

async function main() {
  const repeats = Number(process.argv[2] ?? 3);
  const concurrency = Number(process.env.TRIPOD_CALL_CONCURRENCY ?? 6);
  const arms = [
    { label: `tripod (${concurrency} in flight)`, concurrency, runs: [] as Figures[] },
    { label: "one call at a time", concurrency: 1, runs: [] as Figures[] },
  ];
  for (let i = 1; i <= repeats; i++) {
    for (const arm of arms) arm.runs.push(await run(`${arm.concurrency === 1 ? "sequential" : "tripod"}-${i}`, arm.concurrency));
  }
  const keys = Object.keys(arms[0].runs[0]);
  console.log(`\nmedian (min–max) of ${repeats} runs per arm, arms alternated; production settings (README defaults)`);
  console.log(`${"".padEnd(40)} ${arms.map((a) => `${a.label}: calls / seconds`.padEnd(44)).join("")}`);
  for (const key of keys) {
    const cells = arms.map((a) => `${spread(a.runs.map((r) => r[key].calls), 0)} / ${spread(a.runs.map((r) => r[key].s), 1)}`.padEnd(44));
    console.log(`${key.padEnd(40)} ${cells.join("")}`);
  }
  const m = (arm: (typeof arms)[number], key: string, f: "calls" | "s") => median(arm.runs.map((r) => r[key][f]));
  const [tripod, sequential] = arms;
  console.log(`\ntargets (tripod medians): create through control plane ≤ 100 calls: ${m(tripod, "= create through control plane ACTIVE", "calls")}; bootstrap teardown ≤ 10: ${m(tripod, "create bootstrap-teardown", "calls")}; full teardown ≤ 35: ${m(tripod, "= full teardown to verified-empty", "calls")}; status refresh ≤ 8: ${m(tripod, "status refresh", "calls")}`);
  for (const key of ["= create through control plane ACTIVE", "= full teardown to verified-empty"]) {
    console.log(`${key.slice(2)}: tripod ${m(tripod, key, "s").toFixed(1)} s vs one at a time ${m(sequential, key, "s").toFixed(1)} s — ratio ${(m(sequential, key, "s") / m(tripod, key, "s")).toFixed(2)}x`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
