import { hostname } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresUrl } from "@/lib/db-url";
import { DEMO_USERS } from "@/lib/data/seed";
import * as servers from "@/lib/openstack/nova/servers/requests";
import { testDb } from "../support/db";
import { DashboardProcess } from "../support/dashboard-process";
import { callServerAction, serverActionId, signIn } from "../support/http-session";
import { startKubeApiStandin, type KubeApiStandin } from "../support/kube-api-standin";
import { parsePrometheusText, samplesOf } from "../support/prometheus-text";
import { CRASH_TEST_ENV, WorkerProcess } from "../support/worker-process";
import { adminSession, draftDemo, leftovers, leftoverScope, setupTenant, tenantSession, tearDownEverything, type Tenant } from "../integration/lifecycle/harness";

// Two dashboard processes (`npm run serve` on 127.0.0.1:3300 and :3301, no worker inside) and two worker processes
// against one PostgreSQL database, with the local cloud: what a scaled-out deployment behind a proxy looks like.

const url = process.env.DATABASE_URL ?? "";
const db = testDb();
const password = (username: string) => DEMO_USERS.find((u) => u.username === username)!.password;
const ACTIONS = "app/(dashboard)/clusters/actions.ts";

describe("two dashboards and two workers on one PostgreSQL", { timeout: 900_000 }, () => {
  const output: string[] = [];
  const log = (who: string) => (line: string) => output.push(`${who}: ${line}`);
  const env = { NEXTAUTH_SECRET: "scale-test-secret", TRIPOD_WORKER: "off", TRIPOD_METRICS_TOKEN: "scale-metrics", TRIPOD_LEASE_MS: CRASH_TEST_ENV.TRIPOD_LEASE_MS };
  const dashboards = [3300, 3301].map((port) => new DashboardProcess({ port, databaseUrl: url, env, onOutput: log(`dashboard:${port}`) }));
  const workers = ["w1", "w2"].map((name) => new WorkerProcess({ databaseUrl: url, onOutput: log(name) }));
  const ownerOf = (w: WorkerProcess) => `${hostname()}:${w.pid}`;
  let tenant: Tenant;
  let api: KubeApiStandin;
  let clusterId: string;
  const tail = () => output.slice(-60).join("\n");

  beforeAll(async () => {
    if (!isPostgresUrl(url)) throw new Error("test/scale runs on PostgreSQL: TRIPOD_TEST_DATABASE=postgresql (see test/bin/test.sh)");
    tenant = await setupTenant(db);
    api = await startKubeApiStandin("starting");
    await Promise.all(dashboards.map((d) => d.start()));
    for (const w of workers) w.start();
  });
  afterAll(async () => {
    await Promise.all([...dashboards, ...workers].map((p) => p.stop()));
    await tearDownEverything(db);
    await api?.stop();
    await db.$disconnect();
  });

  it("keeps a session valid on either dashboard", async () => {
    const cluster = await draftDemo(db, tenant, { kubeconfig: api.kubeconfig });
    clusterId = cluster.id;
    const [a, b] = dashboards;
    const fromA = await signIn(a.url, "alice", password("alice"));
    const fromB = await signIn(b.url, "lena", password("lena"));
    for (const [dashboard, cookie] of [[b, fromA], [a, fromB], [a, fromA], [b, fromB]] as const) {
      const response = await fetch(`${dashboard.url}/api/clusters/${clusterId}`, { headers: { cookie } });
      expect(response.status, tail()).toBe(200);
      expect(((await response.json()) as { id: string }).id).toBe(clusterId);
    }
    expect((await fetch(`${b.url}/api/clusters/${clusterId}`)).status).toBe(401);
  });

  it("resumes a create on the other worker after the lease of a SIGKILLed one", async () => {
    const [a] = dashboards;
    const cookie = await signIn(a.url, "alice", password("alice"));
    const body = await callServerAction(a.url, `/clusters/${clusterId}`, cookie, serverActionId(ACTIONS, "startOperationAction"), [clusterId, "create"]);
    expect(body, tail()).toContain("Create queued.");
    const op = await db.operation.findFirstOrThrow({ where: { clusterId, kind: "create" } });

    // Kill whichever worker holds the operation while a step that creates resources is running.
    const deadline = Date.now() + 300_000;
    let victim: WorkerProcess | undefined;
    while (!victim) {
      const row = await db.operation.findUniqueOrThrow({ where: { id: op.id }, include: { steps: true } });
      const running = row.steps.find((s) => s.status === "running");
      if (running && ["ports", "security-groups", "bootstrap", "control-plane"].includes(running.name) && row.leaseOwner) {
        victim = workers.find((w) => ownerOf(w) === row.leaseOwner);
      }
      if (Date.now() > deadline) throw new Error(`no create step ran: ${JSON.stringify(row)}\n${tail()}`);
      if (!victim) await new Promise((r) => setTimeout(r, 100));
    }
    const victimOwner = ownerOf(victim);
    await victim.kill();
    // The dead worker's last lease, which nobody extends any more.
    const dead = await db.operation.findUniqueOrThrow({ where: { id: op.id } });
    expect(dead.leaseOwner).toBe(victimOwner);
    const survivor = workers.find((w) => w !== victim)!;

    let takenOverAt: Date | undefined;
    for (;;) {
      const row = await db.operation.findUniqueOrThrow({ where: { id: op.id }, include: { steps: true } });
      if (!takenOverAt && row.leaseOwner === ownerOf(survivor)) takenOverAt = new Date();
      if (row.steps.some((s) => s.name === "wait-bootstrap-complete" && s.status === "running")) api.setPhase("complete");
      if (row.status !== "queued" && row.status !== "running") {
        expect(row.status, `${JSON.stringify(row)}\n${tail()}`).toBe("succeeded");
        break;
      }
      if (Date.now() > deadline + 300_000) throw new Error(`create still ${row.status}: ${JSON.stringify(row)}\n${tail()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(takenOverAt, tail()).toBeDefined();
    // Not before the dead worker's lease ran out.
    expect(takenOverAt!.getTime()).toBeGreaterThanOrEqual(dead.leaseExpiresAt!.getTime());
    const { infraId } = await db.cluster.findUniqueOrThrow({ where: { id: clusterId } });
    const own = (await servers.list(tenantSession())).map((s) => s.name).filter((n) => n.startsWith(`${infraId}-`));
    expect(new Set(own).size).toBe(own.length);
    expect(own).toHaveLength(3); // the masters; bootstrap-teardown removed the bootstrap server
    victim.start(); // two workers again
  });

  it("turns 50 concurrent teardown clicks spread over both dashboards into exactly one operation", async () => {
    const actionId = serverActionId(ACTIONS, "startOperationAction");
    const cookies = await Promise.all(dashboards.map((d) => signIn(d.url, "alice", password("alice"))));
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const d = i % 2;
        return callServerAction(dashboards[d].url, `/clusters/${clusterId}`, cookies[d], actionId, [clusterId, "teardown"]);
      }),
    );
    expect(answers.filter((a) => a.includes("Teardown queued.")), tail()).toHaveLength(1);
    expect(answers.filter((a) => a.includes("This cluster already has")), tail()).toHaveLength(49);
    const ops = await db.operation.findMany({ where: { clusterId, kind: "teardown" } });
    expect(ops).toHaveLength(1);

    const deadline = Date.now() + 600_000;
    for (;;) {
      const row = await db.operation.findUniqueOrThrow({ where: { id: ops[0].id } });
      if (row.status !== "queued" && row.status !== "running") {
        expect(row.status, `${JSON.stringify(row)}\n${tail()}`).toBe("succeeded");
        break;
      }
      if (Date.now() > deadline) throw new Error(`teardown still ${row.status}\n${tail()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const cluster = await db.cluster.findUniqueOrThrow({ where: { id: clusterId } });
    expect(await leftovers(adminSession(), tenantSession(), leftoverScope(cluster))).toEqual({ ports: [], securityGroups: [], servers: [], serverGroups: [], swift: [] });
  });

  it("reports the create and the teardown in /api/metrics as the database has them, and is ready", async () => {
    const [a, b] = dashboards;
    const ready = await fetch(`${a.url}/api/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ok: true, database: "ok", liveWorkers: 2 });
    expect((await fetch(`${b.url}/api/metrics`)).status).toBe(401);
    // The workers write their request counts every 5 s.
    await new Promise((r) => setTimeout(r, 6_000));
    const response = await fetch(`${b.url}/api/metrics`, { headers: { authorization: "Bearer scale-metrics" } });
    expect(response.status).toBe(200);
    const m = parsePrometheusText(await response.text());

    for (const o of await db.operation.groupBy({ by: ["kind", "status"], _count: { _all: true } })) {
      expect(samplesOf(m, "tripod_operations_total", { kind: o.kind, outcome: o.status })[0]?.value, `${o.kind} ${o.status}`).toBe(o._count._all);
    }
    const steps = await db.step.findMany({ where: { status: { in: ["succeeded", "failed"] }, startedAt: { not: null }, finishedAt: { not: null } } });
    for (const name of new Set(steps.map((s) => s.name))) {
      const mine = steps.filter((s) => s.name === name && s.status === "succeeded");
      expect(samplesOf(m, "tripod_step_duration_seconds_count", { step: name, outcome: "succeeded" })[0]?.value ?? 0, name).toBe(mine.length);
      const seconds = mine.reduce((sum, s) => sum + (s.finishedAt!.getTime() - s.startedAt!.getTime()) / 1000, 0);
      expect(samplesOf(m, "tripod_step_duration_seconds_sum", { step: name, outcome: "succeeded" })[0]?.value ?? 0).toBeCloseTo(seconds, 3);
    }
    // Every take-over in this database (the crash tests of the same run make more) is an event and a count.
    const takeovers = await db.event.count({ where: { message: { startsWith: "taken over from worker" } } });
    expect(await db.event.count({ where: { clusterId, message: { startsWith: "taken over from worker" } } })).toBeGreaterThanOrEqual(1);
    expect(samplesOf(m, "tripod_lease_takeovers_total")[0].value).toBe(takeovers);
    for (const service of ["identity", "network", "compute"]) {
      expect(samplesOf(m, "tripod_openstack_requests_total", { service, outcome: "ok" })[0]?.value, service).toBeGreaterThan(0);
    }
    expect(samplesOf(m, "tripod_workers_live")[0].value).toBe(2);
  });
});
