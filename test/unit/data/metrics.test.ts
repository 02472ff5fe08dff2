import { afterAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { sealSecret } from "@/lib/crypto/seal";
import { checkReady } from "@/lib/data/health";
import { receiveVrrpMessage } from "@/lib/data/vrrp";
import { MASTER_NAMES, vipInstanceName } from "@/lib/domain";
import { loadClusterVipHealth } from "@/lib/vip/panel";
import { nodeAgentKey } from "@/lib/vip/protocol";
import { metricsResponse, STEP_BUCKETS } from "@/lib/data/metrics";
import { requestOperation } from "@/lib/lifecycle/operations";
import { addCounter, COUNTERS, CounterBuffer } from "@/lib/metrics/counters";
import { renderMetrics } from "@/lib/metrics/prometheus";
import { isolatedDb, makeProjectWithCluster, makeUser } from "../../support/db";
import { parsePrometheusText, samplesOf } from "../../support/prometheus-text";
import { agentRequest } from "../../support/agent-message";

// /api/metrics counts every row of its database: this file gets one of its own.
const { db, dispose } = isolatedDb("metrics");
afterAll(dispose);
const env = { TRIPOD_METRICS_TOKEN: "metrics-token", TRIPOD_LEASE_MS: "30000" };
const scrape = (authorization?: string, e: Record<string, string> = env) =>
  metricsResponse(db, new Request("http://127.0.0.1/api/metrics", { headers: authorization ? { authorization } : {} }), e);

/** A cluster whose spec names its VIPs (what the VIP gauges need), in a project of its own. */
async function clusterWithVips(creatorId: string, status: "live" | "deleted") {
  const { cluster } = await makeProjectWithCluster(db, creatorId);
  const spec = { networks: { public: { apiVip: "198.51.100.5", ingressVip: "198.51.100.7" } } };
  return db.cluster.update({ where: { id: cluster.id }, data: { specJson: JSON.stringify(spec), status: status === "live" ? "ready" : "deleted" } });
}

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
      return receiveVrrpMessage(db, agentRequest({ clusterId: cluster.id, key: nodeAgentKey(key, "master-0"), body }));
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

  it("gives every live cluster's VIPs their holders, split brain and silent nodes, as the cluster page computes them", async () => {
    const creator = (await makeUser(db)).id;
    const now = Date.now();
    // a steady cluster (master-0 holds both VIPs), one in split brain whose master-2 went silent, and a deleted one
    const steady = await clusterWithVips(creator, "live");
    const split = await clusterWithVips(creator, "live");
    const gone = await clusterWithVips(creator, "deleted");
    for (const c of [steady, split, gone]) {
      for (const [m, node] of MASTER_NAMES.entries()) {
        const masters = c === split ? [0, 1] : [0];
        const sentAt = c === split && m === 2 ? now - 120_000 : now - 2000;
        await db.vrrpReport.create({
          data: {
            clusterId: c.id,
            node,
            keepalivedVersion: null,
            snapshotJson: JSON.stringify({
              keepalived: { running: true, startedAt: (now - 3_600_000) / 1000 },
              snapshot: {
                instances: (["api", "ingress"] as const).map((vip, i) => ({
                  data: { iname: vipInstanceName(c.name, vip), vrid: 10 + i, state: masters.includes(m) ? 2 : 1, base_priority: 40 - m, effective_priority: 40 - m, vipset: masters.includes(m), vips: [], last_transition: (now - 600_000) / 1000 },
                })),
                addresses: [],
                configMtime: null,
              },
            }),
            sentAt: new Date(sentAt),
            receivedAt: new Date(sentAt + 50),
          },
        });
      }
    }
    const m = parsePrometheusText(await (await scrape("Bearer metrics-token")).text());
    const gauge = (name: string, cluster: { id: string }, vip: string) => samplesOf(m, name, { cluster_id: cluster.id, vip }).map((x) => x.value);
    for (const vip of ["api", "ingress"]) {
      expect(gauge("tripod_vip_holders", steady, vip)).toEqual([1]);
      expect(gauge("tripod_vip_split_brain", steady, vip)).toEqual([0]);
      expect(gauge("tripod_vip_silent_nodes", steady, vip)).toEqual([0]);
      expect(gauge("tripod_vip_holders", split, vip)).toEqual([2]);
      expect(gauge("tripod_vip_split_brain", split, vip)).toEqual([1]);
      expect(gauge("tripod_vip_silent_nodes", split, vip)).toEqual([1]);
      expect(gauge("tripod_vip_holders", gone, vip)).toEqual([]);
    }
    // the same figures as the cluster page's own computation, cluster by cluster
    for (const c of [steady, split]) {
      for (const h of (await loadClusterVipHealth(db, c.id, { now: new Date() }))!) {
        expect(gauge("tripod_vip_holders", c, h.vip)).toEqual([h.holders.filter((x) => x.fresh).length]);
        expect(gauge("tripod_vip_silent_nodes", c, h.vip)).toEqual([h.nodes.filter((n) => n.silent).length]);
      }
    }
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
