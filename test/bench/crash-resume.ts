// `npx tsx test/bench/crash-resume.ts [create+teardown cycles, default 3] [seed, default random]` — create + teardown
// of the demo cluster while the worker process is SIGKILLed at every step boundary, at random points inside steps,
// and while a bulk create is in the cloud's hands (the worker reaches the cloud through the fault proxy, which asks
// for the kill as soon as it has passed a POST of ports, security groups or rules on: the cloud acts, the answer goes
// nowhere); restarted each time; at least 50 kill points over the run. The seed fixes the kill points' draws. After
// each create it counts duplicates (two resources under one name), after each teardown what is left. Prints every
// kill point, the time and the counts; exits 1 on any duplicate or leftover. Needs the local cloud up (run it under
// `flock /work/coord/cloud.lock`).
import { markBootstrapComplete, startOperation } from "@/lib/data/clusters";
import { startFaultProxy } from "../cloud/fault-proxy";
import { seededRandom } from "../cloud/fault-rules";
import { driveWithCrashes, KillSignal, type KillPoint } from "../support/crash-driver";
import { WorkerProcess } from "../support/worker-process";
import { adminSession, leftovers, leftoverScope, tenantSession } from "../integration/lifecycle/harness";
import { cloudOptions } from "../integration/openstack/cloud";
import { tenantWithDraft } from "./lifecycle-run";
import { isolatedDb } from "../support/db";

const BULK_POST = /\/v2\.0\/(ports|security-groups|security-group-rules)$/;
const duplicates = (names: string[]) => [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];

async function main() {
  const cycles = Number(process.argv[2] ?? 3);
  const seed = Number(process.argv[3] ?? Math.floor(Math.random() * 2 ** 31));
  const random = seededRandom(seed);
  console.log(`seed ${seed} (repeat with: npx tsx test/bench/crash-resume.ts ${cycles} ${seed})`);
  const { db, url, dispose } = isolatedDb("crash");
  const worker = new WorkerProcess({ databaseUrl: url });
  // During a create: one kill per bulk path, at the first POST of it that the proxy passes on.
  let killOn: KillSignal | undefined;
  const bulkKilled = new Set<string>();
  const proxy = await startFaultProxy({
    keystoneUrl: cloudOptions().authUrl,
    onForward: (method, path) => {
      if (method === "POST" && BULK_POST.test(path) && !bulkKilled.has(path)) {
        bulkKilled.add(path);
        killOn?.request(`POST ${path} passed on to the cloud`);
      }
    },
  });
  const all: KillPoint[] = [];
  const problems: string[] = [];
  const t0 = performance.now();
  try {
    for (let cycle = 1; cycle <= cycles || all.length < 50; cycle++) {
      const { tenant, clusterId } = await tenantWithDraft(db, { cloudName: `crash-${cycle}`, authUrl: proxy.url });
      const cluster = await db.cluster.findUniqueOrThrow({ where: { id: clusterId } });
      const create = await startOperation(db, tenant.member, { clusterId, kind: "create" });
      bulkKilled.clear();
      killOn = new KillSignal();
      const created = await driveWithCrashes({
        db,
        worker,
        operationId: create.operationId,
        maxKills: 100,
        insideDelayMs: [100, 4000],
        random,
        killOn,
        onStep: async (step, status) => {
          if (step === "wait-bootstrap-complete" && status === "running" && !(await db.cluster.findUniqueOrThrow({ where: { id: clusterId } })).bootstrapCompletedAt) {
            await markBootstrapComplete(db, tenant.lead, { clusterId });
          }
        },
      });
      killOn = undefined;
      const present = await leftovers(adminSession(), tenantSession(), leftoverScope(cluster));
      const dups = Object.fromEntries(Object.entries(present).map(([kind, names]) => [kind, duplicates(names)]).filter(([, d]) => d.length > 0));
      const teardown = await startOperation(db, tenant.member, { clusterId, kind: "teardown" });
      const removed = await driveWithCrashes({ db, worker, operationId: teardown.operationId, maxKills: 100, insideDelayMs: [100, 2000], random });
      await worker.stop();
      const left = await leftovers(adminSession(), tenantSession(), leftoverScope(cluster));
      const kills = [...created.kills, ...removed.kills];
      all.push(...kills);
      const counts = Object.fromEntries(Object.entries(present).map(([k, n]) => [k, n.length]));
      console.log(`cycle ${cycle}: create ${created.status} (${JSON.stringify(counts)}, duplicates ${JSON.stringify(dups)}), teardown ${removed.status}, ${kills.length} kills, left: ${JSON.stringify(left)}`);
      for (const k of kills) console.log(`  ${k.kind.padEnd(8)} ${k.step}${k.afterMs ? ` after ${k.afterMs} ms` : ""}`);
      if (created.status !== "succeeded" || removed.status !== "succeeded") problems.push(`cycle ${cycle}: create ${created.status}, teardown ${removed.status}`);
      if (Object.keys(dups).length > 0) problems.push(`cycle ${cycle}: duplicates after the create ${JSON.stringify(dups)}`);
      if (Object.values(left).some((names) => names.length > 0)) problems.push(`cycle ${cycle}: left after the teardown ${JSON.stringify(left)}`);
    }
    const by = (kind: KillPoint["kind"]) => all.filter((k) => k.kind === kind).length;
    console.log(`${all.length} kill points (${by("boundary")} at step boundaries, ${by("inside")} inside steps, ${by("request")} while a bulk create was in the cloud's hands) in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  } finally {
    await worker.stop();
    await proxy.stop();
    await dispose();
  }
  if (problems.length > 0) {
    console.error(`FAILED:\n${problems.join("\n")}`);
    process.exit(1);
  }
  console.log("no duplicate, no leftover");
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
