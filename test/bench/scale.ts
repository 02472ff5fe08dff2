// `npx tsx test/bench/scale.ts` (with nothing else using the local cloud) — Tripod scaled out on PostgreSQL (a server of its
// own on 127.0.0.1:55432, Debian's postgresql), printed, asserting nothing:
//   1. lifecycle operations per minute with 1, 2 and 4 worker processes (one operation at a time each, otherwise the
//      README's default settings) against the fault-free local cloud: 4 clusters created, then torn down (8
//      operations) per worker count; each create's bootstrap is marked complete by a lead once it waits for it (no
//      OpenShift boots here). The demo project's quotas hold one cluster: they are raised for the run and put back
//      to seed.json's afterwards.
//   2. the dashboard's p95 latency of the cluster page's poll (GET /api/clusters/<id>, signed in) with 2
//      dashboard processes (`npm run serve`, ports 3300 and 3301, requests spread over both) vs 1, under the same
//      concurrent load. Needs `npm run build`.
// Wall-time figures depend on what else runs on the machine; each line also prints the CPU time the workers or the
// dashboards used per operation or request (from /proc), which does not.
// Needs the local cloud up (npm run cloud:up). SCALE_SKIP_LIFECYCLE=1 measures the dashboards only.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Db } from "@/lib/db";
import { createDb } from "@/lib/db";
import { DEMO_USERS } from "@/lib/data/seed";
import { computeRequest } from "@/lib/openstack/nova/versions/requests";
import { adminSession, draftDemo, setupTenant, tearDownEverything, type Tenant } from "../integration/lifecycle/harness";
import { DashboardProcess } from "../support/dashboard-process";
import { demoSpecInput } from "../support/demo-spec";
import { migrate } from "../support/db";
import { signIn } from "../support/http-session";
import { createDatabase, dropDatabase, startPostgres, type PostgresServer } from "../support/postgres";
import { cpuMsOfTrees } from "../support/process-cpu";
import { WorkerProcess } from "../support/worker-process";
import { createCluster, teardownCluster } from "./lifecycle-run";

process.env.TRIPOD_SECRET_KEY ??= "YmVuY2gta2V5LWJlbmNoLWtleS1iZW5jaC1rZXktMzI=";
const CLUSTERS = 4;
const seed = JSON.parse(readFileSync(path.join(process.env.TRIPOD_CLOUD_STATE ?? "/var/tmp/tripod-cloud", "seed.json"), "utf8")) as {
  project: { id: string };
  quotas: { compute: Record<string, number>; network: Record<string, number> };
};

/** The demo project's quotas: room for CLUSTERS clusters, or seed.json's (one cluster). */
async function setDemoQuotas(quotas: { compute: Record<string, number>; network: Record<string, number> }) {
  const admin = adminSession();
  await computeRequest(admin, { method: "PUT", path: `/os-quota-sets/${seed.project.id}`, json: { quota_set: quotas.compute } });
  await admin.request({ service: "network", method: "PUT", path: `/v2.0/quotas/${seed.project.id}`, json: { quota: quotas.network } });
}

const ROOMY = {
  compute: { instances: 5 * CLUSTERS, cores: 20 * CLUSTERS, ram: 5 * CLUSTERS * 16384, server_groups: 2 * CLUSTERS, server_group_members: 10 * CLUSTERS, key_pairs: 10 },
  network: { network: 10, subnet: 10, port: 25 * CLUSTERS, security_group: 5 * CLUSTERS + 2, security_group_rule: 60 * CLUSTERS },
};

/** The demo spec for the k-th cluster: its own name, node addresses and VIPs (internal API VIP too) on the same four networks. */
function specFor(k: number) {
  const spec = demoSpecInput() as unknown as {
    name: string;
    networks: Record<string, { ips: Record<string, string>; apiVip?: string; ingressVip?: string; apiIntVip?: string }>;
  };
  spec.name = `bench${k}`;
  for (const net of Object.values(spec.networks)) {
    for (const [node, ip] of Object.entries(net.ips)) net.ips[node] = ip.replace(/\.(\d+)$/, (_, last: string) => `.${Number(last) + 10 * k}`);
  }
  spec.networks.public.apiVip = `198.18.40.${200 + 2 * k}`;
  spec.networks.public.ingressVip = `198.18.40.${201 + 2 * k}`;
  spec.networks.cluster.apiIntVip = `198.18.20.${200 + k}`;
  return spec;
}

async function fresh(server: PostgresServer, name: string): Promise<{ db: Db; url: string }> {
  const url = createDatabase(server.url("postgres"), name);
  migrate(url);
  return { db: createDb(url), url };
}

async function operationsPerMinute(server: PostgresServer, workerCount: number) {
  const { db, url } = await fresh(server, `bench_workers_${workerCount}`);
  const output: string[] = [];
  const workers = Array.from(
    { length: workerCount },
    (_, i) => new WorkerProcess({ databaseUrl: url, productionSettings: true, env: { TRIPOD_WORKER_CONCURRENCY: "1" }, onOutput: (l) => output.push(`worker ${i + 1}: ${l}`) }),
  );
  try {
    const tenant: Tenant = await setupTenant(db);
    const clusters = [];
    for (let k = 1; k <= CLUSTERS; k++) clusters.push((await draftDemo(db, tenant, { spec: specFor(k) })).id);
    for (const w of workers) w.start();
    const t0 = performance.now();
    await Promise.all(clusters.map((id) => createCluster(db, tenant, id)));
    await Promise.all(clusters.map((id) => teardownCluster(db, tenant, id)));
    const minutes = (performance.now() - t0) / 60_000;
    const cpuS = cpuMsOfTrees(workers.map((w) => w.pid!)) / 1000;
    console.log(
      `${workerCount} worker(s): ${2 * CLUSTERS} operations in ${(minutes * 60).toFixed(1)} s = ${((2 * CLUSTERS) / minutes).toFixed(2)} operations/min; workers' CPU ${cpuS.toFixed(1)} s (start-up included) = ${(cpuS / (2 * CLUSTERS)).toFixed(2)} s per operation`,
    );
  } catch (error) {
    console.error(output.slice(-80).join("\n"));
    // Leave the shared cloud as found: whatever a failed run created is torn down while the quotas are still raised.
    await Promise.all(workers.map((w) => w.stop()));
    await tearDownEverything(db);
    throw error;
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await db.$disconnect();
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** `concurrency` clients poll the cluster view for `seconds`, spread round-robin over the dashboards. */
async function load(targets: { url: string; cookie: string }[], clusterId: string, concurrency: number, seconds: number) {
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = targets[next++ % targets.length];
        const t0 = performance.now();
        const response = await fetch(`${t.url}/api/clusters/${clusterId}`, { headers: { cookie: t.cookie } }).catch(() => null);
        if (response?.ok) {
          await response.arrayBuffer();
          latencies.push(performance.now() - t0);
        } else errors++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, errors, rps: latencies.length / seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
}

async function dashboardP95(server: PostgresServer) {
  const { db, url } = await fresh(server, "bench_dashboards");
  const env = { NEXTAUTH_SECRET: "bench-secret", TRIPOD_WORKER: "off" };
  const dashboards = [3300, 3301].map((port) => new DashboardProcess({ port, databaseUrl: url, env }));
  try {
    const tenant = await setupTenant(db);
    const clusterId = (await draftDemo(db, tenant)).id;
    await Promise.all(dashboards.map((d) => d.start()));
    const password = DEMO_USERS.find((u) => u.username === "alice")!.password;
    const targets = await Promise.all(dashboards.map(async (d) => ({ url: d.url, cookie: await signIn(d.url, "alice", password) })));
    const concurrency = Number(process.env.SCALE_CONCURRENCY ?? 16);
    const seconds = Number(process.env.SCALE_SECONDS ?? 20);
    await load(targets, clusterId, concurrency, 3); // warm-up: compiled routes, connection pools
    const cpuMs = () => cpuMsOfTrees(dashboards.map((d) => d.pid!));
    for (const [label, set] of [["1 dashboard ", targets.slice(0, 1)], ["2 dashboards", targets]] as const) {
      const before = cpuMs();
      const r = await load([...set], clusterId, concurrency, seconds);
      const perRequest = (cpuMs() - before) / r.requests;
      console.log(
        `${label}: ${concurrency} concurrent clients, ${seconds} s: ${r.rps.toFixed(1)} req/s, p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, ${r.errors} errors; dashboards' CPU ${perRequest.toFixed(1)} ms per request`,
      );
    }
  } finally {
    await Promise.all(dashboards.map((d) => d.stop()));
    await db.$disconnect();
    dropDatabase(url);
  }
}

async function main() {
  const server = await startPostgres(path.join(".tmp", "pg-bench"));
  try {
    if (process.env.SCALE_SKIP_LIFECYCLE !== "1") {
      await setDemoQuotas(ROOMY);
      try {
        for (const n of [1, 2, 4]) await operationsPerMinute(server, n);
      } finally {
        await setDemoQuotas(seed.quotas);
      }
    }
    await dashboardP95(server);
  } finally {
    await server.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
