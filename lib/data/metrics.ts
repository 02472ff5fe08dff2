import { timingSafeEqual, createHash } from "node:crypto";
import { readRows, type Db } from "@/lib/db";
import { dateOf } from "@/lib/db-values";
import { Prisma } from "@/lib/generated/prisma/client";
import { ACTIVE_OPERATION_STATUSES } from "@/lib/domain";
import { COUNTERS, readCounters } from "@/lib/metrics/counters";
import { CONTENT_TYPE, renderMetrics, type Family, type Sample } from "@/lib/metrics/prometheus";
import { loadLiveVipHealth } from "@/lib/vip/panel";
import { flushVrrpIngestCounts } from "./vrrp";

// /api/metrics: Prometheus text format for the platform team's Prometheus, behind the bearer token of
// TRIPOD_METRICS_TOKEN. Everything comes from the shared database, so any dashboard process answers for all of
// them: operations and steps from their rows, counters that workers and dashboards add to, VIP health as the
// cluster page computes it.

/** Step duration buckets, seconds: from a quick lookup to the bootstrap wait. */
export const STEP_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600];

export async function gatherMetrics(db: Db, now: Date, liveWorkerWindowMs: number): Promise<Family[]> {
  const operations = await db.operation.groupBy({ by: ["kind", "status"], _count: { _all: true }, orderBy: [{ kind: "asc" }, { status: "asc" }] });
  const finished = operations.filter((o) => !(ACTIVE_OPERATION_STATUSES as string[]).includes(o.status));
  const active = (status: string): Sample[] =>
    operations.filter((o) => o.status === status).map((o) => ({ labels: { kind: o.kind }, value: o._count._all }));

  // every finished step there is (ten thousand at 1,000 clusters): past Prisma's query compiler and its row mapping
  const steps = await readRows<{ name: string; status: string; startedAt: string | Date; finishedAt: string | Date }>(
    db,
    Prisma.sql`SELECT s."name", s."status", s."startedAt", s."finishedAt" FROM "Step" s
      WHERE s."status" IN ('succeeded', 'failed') AND s."startedAt" IS NOT NULL AND s."finishedAt" IS NOT NULL
      ORDER BY s."name" ASC, s."status" ASC`,
  );
  const durations = new Map<string, { labels: Record<string, string>; values: number[] }>();
  for (const s of steps) {
    const key = `${s.name}/${s.status}`;
    const series = durations.get(key) ?? { labels: { step: s.name, outcome: s.status }, values: [] };
    series.values.push((dateOf(s.finishedAt).getTime() - dateOf(s.startedAt).getTime()) / 1000);
    durations.set(key, series);
  }

  const counters = await readCounters(db);
  const counter = (name: string): Sample[] => (counters.get(name) ?? []).map((c) => ({ labels: c.labels, value: c.value }));
  const liveWorkers = await db.workerHeartbeat.count({ where: { heartbeatAt: { gte: new Date(now.getTime() - liveWorkerWindowMs) } } });

  const holders: Sample[] = [];
  const splitBrain: Sample[] = [];
  const silent: Sample[] = [];
  for (const c of await loadLiveVipHealth(db, now)) {
    for (const vip of c.health) {
      const labels = { cluster: c.name, cluster_id: c.id, vip: vip.vip };
      holders.push({ labels, value: vip.holders.filter((h) => h.fresh).length });
      splitBrain.push({ labels, value: vip.splitBrain ? 1 : 0 });
      silent.push({ labels, value: vip.nodes.filter((n) => n.silent).length });
    }
  }

  return [
    {
      name: "tripod_operations_total",
      help: "Finished lifecycle operations by kind and outcome.",
      type: "counter",
      samples: finished.map((o) => ({ labels: { kind: o.kind, outcome: o.status }, value: o._count._all })),
    },
    { name: "tripod_operations_queued", help: "Operations waiting for a worker (the queue depth).", type: "gauge", samples: active("queued") },
    { name: "tripod_operations_running", help: "Operations a worker runs now.", type: "gauge", samples: active("running") },
    { name: "tripod_step_duration_seconds", help: "Duration of finished steps (their last attempt).", type: "histogram", buckets: STEP_BUCKETS, series: [...durations.values()] },
    {
      name: COUNTERS.openstackRequests,
      help: "OpenStack HTTP requests of the workers by service and outcome (error: no answer or status 400 and above).",
      type: "counter",
      samples: counter(COUNTERS.openstackRequests),
    },
    { name: COUNTERS.leaseTakeovers, help: "Operations a worker took over after another worker's lease expired.", type: "counter", samples: counter(COUNTERS.leaseTakeovers) },
    { name: COUNTERS.vrrpIngest, help: "VIP agent messages received, by outcome (accepted or the reason of refusal).", type: "counter", samples: counter(COUNTERS.vrrpIngest) },
    { name: "tripod_workers_live", help: "Worker processes that beat within the lease period.", type: "gauge", samples: [{ value: liveWorkers }] },
    { name: "tripod_vip_holders", help: "Nodes that hold the VIP, by their fresh reports (1 is healthy).", type: "gauge", samples: holders },
    { name: "tripod_vip_split_brain", help: "1 while two nodes hold the VIP.", type: "gauge", samples: splitBrain },
    { name: "tripod_vip_silent_nodes", help: "Nodes of the cluster whose VIP agent went silent.", type: "gauge", samples: silent },
  ];
}

const digest = (v: string) => createHash("sha256").update(v).digest();

/** The bearer token check: constant time, on digests so that lengths do not leak either. */
export function bearerMatches(authorization: string | null, token: string): boolean {
  const presented = /^Bearer\s+(.+)$/i.exec(authorization ?? "")?.[1]?.trim();
  return !!presented && timingSafeEqual(digest(presented), digest(token));
}

export async function metricsResponse(db: Db, request: Request, env: Record<string, string | undefined> = process.env): Promise<Response> {
  const token = env.TRIPOD_METRICS_TOKEN;
  if (!token) return Response.json({ error: "Metrics are off: set TRIPOD_METRICS_TOKEN to enable /api/metrics." }, { status: 404 });
  if (!bearerMatches(request.headers.get("authorization"), token)) {
    return Response.json({ error: "A valid bearer token is required." }, { status: 401, headers: { "www-authenticate": 'Bearer realm="tripod-metrics"' } });
  }
  await flushVrrpIngestCounts(db);
  const families = await gatherMetrics(db, new Date(), Number(env.TRIPOD_LEASE_MS ?? 30_000));
  return new Response(renderMetrics(families), { headers: { "content-type": CONTENT_TYPE } });
}
