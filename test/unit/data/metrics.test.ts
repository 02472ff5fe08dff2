import { afterAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { sealSecret } from "@/lib/crypto/seal";
import { checkReady } from "@/lib/data/health";
import { receiveVrrpMessage } from "@/lib/data/vrrp";
import { HEADER, nodeAgentKey, sign } from "@/lib/vip/protocol";
import { metricsResponse, STEP_BUCKETS } from "@/lib/data/metrics";
import { requestOperation } from "@/lib/lifecycle/operations";
import { addCounter, COUNTERS, CounterBuffer } from "@/lib/metrics/counters";
import { renderMetrics } from "@/lib/metrics/prometheus";
import { isolatedDb, makeProjectWithCluster, makeUser } from "../../support/db";
import { parsePrometheusText, samplesOf } from "../../support/prometheus-text";

// /api/metrics counts every row of its database: this file gets one of its own.
const { db, dispose } = isolatedDb("metrics");
afterAll(dispose);
const env = { TRIPOD_METRICS_TOKEN: "metrics-token", TRIPOD_LEASE_MS: "30000" };
const scrape = (authorization?: string, e: Record<string, string> = env) =>
  metricsResponse(db, new Request("http://127.0.0.1/api/metrics", { headers: authorization ? { authorization } : {} }), e);

describe("/api/metrics", () => {
  it("is off without TRIPOD_METRICS_TOKEN and refuses a missing or wrong bearer token", async () => {
    expect((await scrape("Bearer metrics-token", {})).status).toBe(404);
    expect((await scrape()).status).toBe(401);
    expect((await scrape("Bearer metrics-tokenX")).status).toBe(401);
    expect((await scrape("Basic bWV0cmljcy10b2tlbg==")).status).toBe(401);
    expect((await scrape("Bearer metrics-token")).status).toBe(200);
  });

  it("renders what the database holds, in a format a Prometheus parser reads", async () => {
    const user = await makeUser(db);
    const t0 = new Date("2026-12-01T10:00:00Z");
    for (const [i, outcome] of (["succeeded", "succeeded", "failed", "queued"] as const).entries()) {
      const { cluster } = await makeProjectWithCluster(db, user.id);
      const op = await requestOperation(db, { clusterId: cluster.id, kind: "teardown", requestedById: user.id });
      if (outcome === "queued") continue;
      await db.operation.update({ where: { id: op.id }, data: { status: outcome, activeClusterId: null } });
      await db.step.updateMany({
        where: { operationId: op.id, name: "control-plane" },
        data: { status: outcome, startedAt: t0, finishedAt: new Date(t0.getTime() + (i + 1) * 20_000) },
      });
    }
    await addCounter(db, COUNTERS.leaseTakeovers);
    const buffer = new CounterBuffer();
    for (let i = 0; i < 5; i++) buffer.add(COUNTERS.openstackRequests, { service: "compute", outcome: "ok" });
    buffer.add(COUNTERS.openstackRequests, { outcome: "error", service: "network" });
    await buffer.flush(db);
    buffer.add(COUNTERS.openstackRequests, { service: "compute", outcome: "ok" }, 2);
    await buffer.flush(db);
    await addCounter(db, COUNTERS.vrrpIngest, { outcome: "bad-signature" });
    await db.workerHeartbeat.create({ data: { owner: "host:1", heartbeatAt: new Date() } });
    await db.workerHeartbeat.create({ data: { owner: "host:2", heartbeatAt: new Date(Date.now() - 120_000) } });

    const response = await scrape("Bearer metrics-token");
    expect(response.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    const m = parsePrometheusText(await response.text());

    const byDb = await db.operation.groupBy({ by: ["kind", "status"], _count: { _all: true } });
    const count = (status: string) => byDb.find((o) => o.kind === "teardown" && o.status === status)?._count._all;
    expect(samplesOf(m, "tripod_operations_total", { kind: "teardown", outcome: "succeeded" })[0].value).toBe(count("succeeded"));
    expect(samplesOf(m, "tripod_operations_total", { kind: "teardown", outcome: "failed" })[0].value).toBe(count("failed"));
    expect(samplesOf(m, "tripod_operations_queued", { kind: "teardown" })[0].value).toBe(count("queued"));
    expect(m.get("tripod_step_duration_seconds")?.type).toBe("histogram");
    expect(samplesOf(m, "tripod_step_duration_seconds_count", { step: "control-plane", outcome: "succeeded" })[0].value).toBe(2);
    expect(samplesOf(m, "tripod_step_duration_seconds_sum", { step: "control-plane", outcome: "succeeded" })[0].value).toBe(20 + 40);
    expect(samplesOf(m, "tripod_step_duration_seconds_bucket", { step: "control-plane", outcome: "succeeded", le: "30" })[0].value).toBe(1);
    expect(samplesOf(m, "tripod_step_duration_seconds_bucket", { step: "control-plane", outcome: "failed", le: "60" })[0].value).toBe(1);
    expect(samplesOf(m, "tripod_step_duration_seconds_bucket", { step: "control-plane", outcome: "failed" })).toHaveLength(STEP_BUCKETS.length + 1);
    expect(samplesOf(m, "tripod_openstack_requests_total", { service: "compute", outcome: "ok" })[0].value).toBe(7);
    expect(samplesOf(m, "tripod_openstack_requests_total", { service: "network", outcome: "error" })[0].value).toBe(1);
    expect(samplesOf(m, "tripod_lease_takeovers_total")[0].value).toBe(1);
    expect(samplesOf(m, "tripod_vrrp_ingest_total", { outcome: "bad-signature" })[0].value).toBe(1);
    expect(samplesOf(m, "tripod_workers_live")[0].value).toBe(1);
  });

  it("counts every VIP agent message by outcome in the process, written before the process answers a scrape", async () => {
    const secret = randomBytes(32).toString("hex");
    const { cluster } = await makeProjectWithCluster(db, (await makeUser(db)).id);
    await db.cluster.update({ where: { id: cluster.id }, data: { vrrpSecretSealed: sealSecret(secret) } });
    const post = (key: string) => {
      const body = Buffer.from(JSON.stringify({ v: 1, node: "master-0", sentAt: Date.now() / 1000, keepalived: { running: true, version: null, startedAt: null }, transitions: [], snapshot: null }));
      const h = { clusterId: cluster.id, timestamp: String(Math.floor(Date.now() / 1000)), nonce: randomBytes(16).toString("hex") };
      const headers = { [HEADER.cluster]: h.clusterId, [HEADER.timestamp]: h.timestamp, [HEADER.nonce]: h.nonce, [HEADER.signature]: sign(nodeAgentKey(key, "master-0"), h, body) };
      return receiveVrrpMessage(db, new Request("http://127.0.0.1/api/vrrp/ingest", { method: "POST", headers, body }));
    };
    const counted = async () => {
      const m = parsePrometheusText(await (await scrape("Bearer metrics-token")).text());
      return (outcome: string) => samplesOf(m, "tripod_vrrp_ingest_total", { outcome })[0]?.value ?? 0;
    };
    const before = await counted();
    expect((await post(secret)).status).toBe(202);
    expect((await post(secret)).status).toBe(202);
    expect((await post(randomBytes(32).toString("hex"))).status).toBe(401);
    const after = await counted();
    expect(after("accepted") - before("accepted")).toBe(2);
    expect(after("bad-signature") - before("bad-signature")).toBe(1);
  });

  it("escapes label values", () => {
    const text = renderMetrics([{ name: "x_total", help: "a\nb", type: "counter", samples: [{ labels: { v: 'q"\\\nz' }, value: 3 }] }]);
    expect(samplesOf(parsePrometheusText(text), "x_total")[0].labels.v).toBe('q"\\\nz');
  });
});

describe("/api/ready", () => {
  it("wants the database and a worker that beat within the lease period", async () => {
    const now = new Date();
    const window = 30_000;
    await db.workerHeartbeat.deleteMany();
    expect(await checkReady(db, now, window)).toMatchObject({ ok: false, database: "ok", liveWorkers: 0 });
    await db.workerHeartbeat.create({ data: { owner: "host:3", heartbeatAt: now } });
    expect(await checkReady(db, now, window)).toEqual({ ok: true, database: "ok", liveWorkers: 1 });
  });
});
