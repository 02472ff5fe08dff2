import http from "node:http";
import type { AddressInfo } from "node:net";
import { hostname } from "node:os";
import { chromium } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db";
import { isDatabaseUnavailable } from "@/lib/db-errors";
import { loadActor } from "@/lib/data/actor";
import { registerCloud } from "@/lib/data/clouds";
import { draftCluster } from "@/lib/data/clusters";
import { DATABASE_UNAVAILABLE } from "@/lib/data/errors";
import { DEMO_USERS, seedUsers } from "@/lib/data/seed";
import { requestOperation } from "@/lib/lifecycle/operations";
import { DashboardProcess } from "../support/dashboard-process";
import { migrate, standInNetworks } from "../support/db";
import { demoSpecInput } from "../support/demo-spec";
import { callServerAction, postSignIn, serverActionId, signIn } from "../support/http-session";
import { createDatabase, startRestartablePostgres, type RestartablePostgres } from "../support/postgres";
import { WorkerProcess } from "../support/worker-process";
import { CHROMIUM_LAUNCH } from "../e2e/settings";

// PostgreSQL restarts (a minor update, a failover, `systemctl restart postgresql`) under a dashboard (`npm run serve`
// of the build, 127.0.0.1:3310, its worker off) and a worker process: no process exits; while the database is down
// the routes answer at once (503 "try again", never a stack trace); once it is back everything works again without
// restarting Tripod, and the operation that was running is resumed by the same worker. On a PostgreSQL server of the
// test's own (127.0.0.1:55442), so that its restart disturbs nothing else of the layer. The operations' cloud is a
// Keystone stand-in that refuses every sign-in (the local cloud is not needed): a create's first step, preflight,
// fails on it, which is the operation's honest end.

const PG_PORT = 55442;
const DASHBOARD_PORT = 3310;
const ACTIONS = "app/(dashboard)/clusters/actions.ts";
const password = (username: string) => DEMO_USERS.find((u) => u.username === username)!.password;
/** What a prompt answer is, database or not. */
const PROMPT_MS = 3_000;
/** How long the database is down at least. */
const OUTAGE_MS = 4_000;
/** Everything works again this long after the database is back. */
const RECOVERY_MS = 15_000;

/** Keystone refusing every token request (401), each held while `hold` is on: a step then runs as long as the test wants. */
async function refusingKeystone() {
  let held: Promise<void> = Promise.resolve();
  let release = () => {};
  let requests = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    requests += 1;
    void held.then(() => {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: 401, title: "Unauthorized", message: "refused by the test's Keystone" } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    authUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v3`,
    requests: () => requests,
    hold: () => void (held = new Promise((resolve) => (release = resolve))),
    release: () => release(),
    close: () => {
      release();
      server.closeAllConnections();
      server.close();
    },
  };
}

async function until<T>(what: string, boundMs: number, probe: () => Promise<T | undefined | null | false>, context = () => ""): Promise<T> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${boundMs} ms\n${context()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A GET with its status, body and how long it took (a hang is a failure: PROMPT_MS at most). */
async function timedGet(url: string, headers: Record<string, string> = {}) {
  const start = Date.now();
  const response = await fetch(url, { headers, redirect: "manual", signal: AbortSignal.timeout(PROMPT_MS * 2) });
  const body = await response.text();
  return { status: response.status, body, ms: Date.now() - start, retryAfter: response.headers.get("retry-after") };
}

/** next-auth's credentials sign-in as the form sends it: its answer's status and the form's error text, if any. */
async function signInAnswer(baseUrl: string, username: string) {
  const start = Date.now();
  const response = await postSignIn(baseUrl, username, password(username));
  const { url } = (await response.json()) as { url: string };
  return { status: response.status, error: new URL(url).searchParams.get("error"), ms: Date.now() - start };
}

const alive = (pid: number | undefined) => {
  try {
    return pid !== undefined && process.kill(pid, 0);
  } catch {
    return false;
  }
};

/** What Debian's Chromium shows of the page's <main> once its scripts ran, signed in with the session cookie. */
async function shownInBrowser(url: string, cookie: string): Promise<string> {
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  try {
    const context = await browser.newContext();
    const [name, ...value] = cookie.split(";")[0].split("=");
    await context.addCookies([{ name, value: value.join("="), url }]);
    const tab = await context.newPage();
    await tab.goto(url);
    const main = tab.locator("main");
    await main.getByRole("button", { name: "Try again" }).waitFor({ timeout: 10_000 });
    return (await main.innerText()).trim();
  } finally {
    await browser.close();
  }
}

/** Text a person or a log should never get from a request: a stack frame, the driver's or Prisma's own words. */
const INTERNALS = /\n\s+at |ECONNREFUSED|Invalid `|prisma|57P0\d|127\.0\.0\.1:55442/i;

describe("a PostgreSQL restart under a dashboard and a worker", { timeout: 120_000 }, () => {
  const output: string[] = [];
  const log = (who: string) => (line: string) => output.push(`${who}: ${line}`);
  const tail = () => output.slice(-60).join("\n");
  let server: RestartablePostgres | undefined;
  let keystone: Awaited<ReturnType<typeof refusingKeystone>> | undefined;
  let dashboard: DashboardProcess | undefined;
  let worker: WorkerProcess | undefined;
  let db: Db | undefined;
  let url: string;
  let clusters: string[];
  let aliceId: string;
  let cookie: string;

  beforeAll(async () => {
    keystone = await refusingKeystone();
    server = await startRestartablePostgres(".tmp/pg-restart/data", PG_PORT);
    url = createDatabase(server.url("postgres"), "tripod");
    migrate(url);
    db = createDb(url);
    await seedUsers(db, DEMO_USERS);
    const actor = async (username: string) => (await loadActor(db!, (await db!.user.findUniqueOrThrow({ where: { username } })).id))!;
    const project = await db.project.findUniqueOrThrow({ where: { name: "demo" } });
    const cloud = await registerCloud(db, await actor("admin"), {
      projectId: project.id,
      name: "refusing",
      authUrl: keystone.authUrl,
      credentials: { type: "password", username: "tripod", password: "refused", userDomainName: "Default", projectName: "demo", projectDomainName: "Default" },
    });
    if (!cloud.ok) throw new Error(JSON.stringify(cloud.errors));
    const alice = await actor("alice");
    aliceId = alice.id;
    clusters = [];
    for (const name of ["through", "after"]) {
      const draft = await draftCluster(db, alice, { projectId: project.id, cloudId: cloud.cloud.id, specJson: JSON.stringify({ ...demoSpecInput(), name }) }, standInNetworks);
      if (!draft.ok) throw new Error(JSON.stringify(draft.errors));
      clusters.push(draft.value.clusterId);
    }
    dashboard = new DashboardProcess({
      port: DASHBOARD_PORT,
      databaseUrl: url,
      env: { NEXTAUTH_SECRET: "restart-test-secret", TRIPOD_WORKER: "off", TRIPOD_LEASE_MS: "2000" },
      onOutput: log("dashboard"),
    });
    // the crash tests' short lease and polls; no monitor (it would sign in to the cloud too), a short settle on resume
    worker = new WorkerProcess({ databaseUrl: url, env: { TRIPOD_MONITOR_MS: "0", TRIPOD_SETTLE_MS: "500" }, onOutput: log("worker") });
    worker.start();
    await dashboard.start();
    cookie = await signIn(dashboard.url, "alice", password("alice"));
  });

  afterAll(async () => {
    await Promise.all([dashboard?.stop(), worker?.stop()]);
    await db?.$disconnect();
    await server?.stop();
    keystone?.close();
  });

  it("keeps both processes up, answers 503 while the database is down, and works again once it is back", async () => {
    const [through, after] = clusters;
    const base = dashboard!.url;
    const poll = (id: string) => timedGet(`${base}/api/clusters/${id}`, { cookie });
    const ready = async () => ((await timedGet(`${base}/api/ready`)).status === 200 ? true : undefined);
    await until("ready before the restart", 10_000, ready, tail);
    expect((await poll(through)).status).toBe(200);

    // A create, running its first step (held at the cloud's Keystone) when the database goes away. Queued here, not
    // through a page: a page also asks the cloud (its port grid), whose request would be held as well.
    keystone!.hold();
    const asked = keystone!.requests();
    const { id: opId } = await requestOperation(db!, { clusterId: through, kind: "create", requestedById: aliceId });
    const owner = `${hostname()}:${worker!.pid}`;
    const op = await until("the create claimed and at its first step", 15_000, async () => {
      const row = await db!.operation.findUniqueOrThrow({ where: { id: opId } });
      return row.status === "running" && row.leaseOwner === owner && keystone!.requests() === asked + 1 ? row : undefined;
    }, tail);
    const actionId = serverActionId(ACTIONS, "startOperationAction");

    server!.halt();
    const downAt = Date.now();
    for (let round = 0; round < 3; round++) {
      expect(alive(dashboard!.pid) && alive(worker!.pid), tail()).toBe(true);
      const health = await timedGet(`${base}/api/health`);
      expect(health.status).toBe(200);
      const readiness = await timedGet(`${base}/api/ready`);
      expect(readiness.status).toBe(503);
      expect(JSON.parse(readiness.body)).toMatchObject({ ok: false, database: "unreachable" });
      const answer = await poll(through);
      expect(answer.status, answer.body).toBe(503);
      expect(JSON.parse(answer.body)).toEqual({ error: DATABASE_UNAVAILABLE });
      expect(answer.retryAfter).toBe("5");
      // A page: the dashboard's frame fails (it reads the signed-in user): 500, the error sent for the browser to show
      // app/error.tsx (a sentence and a retry), no stack.
      const page = await timedGet(`${base}/clusters/${through}`, { cookie });
      expect([500, 503]).toContain(page.status);
      expect(page.body).not.toMatch(INTERNALS);
      expect(page.body, "the cluster exists: only its page failed").not.toContain("Cluster not found");
      expect(await shownInBrowser(`${base}/clusters/${through}`, cookie)).toMatch(/^This page could not be shown\s+Something went wrong on our side; nothing was changed\. Try again[\s\S]*\s+Try again$/);
      const attempt = await signInAnswer(base, "alice");
      expect(attempt.error).toBe("Tripod cannot reach its database right now (it may be restarting). Try again in a moment.");
      for (const { ms } of [health, readiness, answer, page, attempt]) expect(ms).toBeLessThan(PROMPT_MS);
      // a command answers the sentence too, and queues nothing
      const queued = await callServerAction(base, `/clusters/${after}`, cookie, actionId, [after, "create"]).catch((e: Error) => e.message);
      expect(queued).toContain(DATABASE_UNAVAILABLE);
      await new Promise((r) => setTimeout(r, 300));
    }
    // The step ends (the cloud refuses) while the database is still down: its journal cannot be written, the
    // operation is left to its lease.
    keystone!.release();
    await until("the worker leaving the operation to its lease", 10_000, async () => output.some((l) => l.includes(`operation ${op.id} stopped: the database is unavailable`)), tail);
    // down longer than the lease (2 s), as a restart with a checkpoint or a failover is
    await new Promise((r) => setTimeout(r, Math.max(0, downAt + OUTAGE_MS - Date.now())));

    server!.resume();
    // Everything answers again, without restarting anything: the probe, the poll, the page, a new sign-in.
    await until("the dashboard working again", RECOVERY_MS, async () => {
      const [readiness, answer, page] = await Promise.all([timedGet(`${base}/api/ready`), poll(through), timedGet(`${base}/clusters/${through}`, { cookie })]);
      return readiness.status === 200 && answer.status === 200 && page.status === 200 && (await signInAnswer(base, "alice")).status === 200;
    }, tail);
    expect(alive(dashboard!.pid) && alive(worker!.pid), tail()).toBe(true);

    // The same worker resumes the create at its interrupted step, which ends as the cloud answers: refused.
    const ended = await until("the create resumed and ended", RECOVERY_MS, async () => {
      const row = await db!.operation.findUniqueOrThrow({ where: { id: op.id }, include: { steps: { where: { name: "preflight" } } } });
      return row.status === "failed" ? row : undefined;
    }, tail);
    expect(ended.error, tail()).toMatch(/^preflight: .*401/);
    expect(ended.steps[0]).toMatchObject({ status: "failed", attempt: 2 });
    const events = await db!.event.findMany({ where: { operationId: op.id }, orderBy: { at: "asc" } });
    expect(events.map((e) => e.message)).toContain("resuming preflight after an interrupted run: waiting 0.5 s for its requests in flight");
    expect(events.filter((e) => e.message.startsWith("taken over"))).toEqual([]);

    // A create queued after the restart is claimed by the worker that rode through it.
    expect(await callServerAction(base, `/clusters/${after}`, cookie, actionId, [after, "create"]), tail()).toContain("Create queued.");
    const next = await until("the second create claimed and ended", RECOVERY_MS, async () => {
      const row = await db!.operation.findFirst({ where: { clusterId: after, kind: "create" } });
      return row?.status === "failed" ? row : undefined;
    }, tail);
    expect(next.error).toMatch(/^preflight: .*401/);
    expect(await db!.event.count({ where: { operationId: next.id, message: "preflight started" } })).toBe(1);
    expect((await timedGet(`${base}/api/ready`)).status, "a worker beat within the lease").toBe(200);
    const view = JSON.parse((await poll(after)).body) as { operations: { id: string; status: string }[] };
    expect(view.operations[0]).toMatchObject({ id: next.id, status: "failed" });

    // The logs: the outage in a line or two, no unhandled error, no process restarted.
    const workerLines = output.filter((l) => l.startsWith("worker: "));
    expect(workerLines.filter((l) => l.includes("the database is unavailable (") && l.includes("claiming nothing")), tail()).toHaveLength(1);
    expect(workerLines.filter((l) => l.includes("the database answers again")), tail()).toHaveLength(1);
    expect(workerLines.filter((l) => /claim failed|heartbeat of .* failed/.test(l)), tail()).toEqual([]);
    expect(output.filter((l) => l.startsWith("dashboard: [tripod] the database is unavailable")).length, tail()).toBeGreaterThanOrEqual(1);
    expect(output.filter((l) => /unhandled|uncaught/i.test(l)), tail()).toEqual([]);
    expect(worker!.starts).toBe(1);
  });

  it("gives up on a database that accepts connections but never answers, within the connect timeout", async () => {
    const fresh = createDb(`${url}?connect_timeout=1`);
    server!.freeze();
    try {
      const start = Date.now();
      const error = await fresh.user.count().then(() => null, (e: unknown) => e);
      expect(isDatabaseUnavailable(error), String(error)).toBe(true);
      expect(Date.now() - start).toBeLessThan(PROMPT_MS);
    } finally {
      server!.thaw();
    }
    expect(await fresh.user.count()).toBeGreaterThan(0);
    await fresh.$disconnect();
  });
});
