import http from "node:http";
import type { AddressInfo } from "node:net";
import { hostname } from "node:os";
import { expect } from "vitest";
import { createDb, type Db } from "@/lib/db";
import { loadActor } from "@/lib/data/actor";
import { registerCloud } from "@/lib/data/clouds";
import { draftCluster } from "@/lib/data/clusters";
import { DEMO_USERS, seedUsers } from "@/lib/data/seed";
import { requestOperation } from "@/lib/lifecycle/operations";
import { DashboardProcess } from "./dashboard-process";
import { migrate, standInNetworks } from "./db";
import { demoSpecInput } from "./demo-spec";
import { callServerAction, postSignIn, serverActionId, signIn } from "./http-session";
import { WorkerProcess } from "./worker-process";

// The database going away under a dashboard (`npm run serve` of the build, its worker off) and a worker process, for
// the tests of PostgreSQL's outages (test/scale): the demo users, a cloud whose Keystone stand-in refuses every sign-in,
// two draft clusters and alice's session. A create held at its first step (its Keystone request held) is running when
// the database goes; afterwards the same worker must resume it, and the step ends as the cloud answers: refused, the
// operation's honest end (the local cloud is not needed).

const ACTIONS = "app/(dashboard)/clusters/actions.ts";
const password = (username: string) => DEMO_USERS.find((u) => u.username === username)!.password;

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

export async function until<T>(what: string, boundMs: number, probe: () => Promise<T | undefined | null | false>, context = () => ""): Promise<T> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${boundMs} ms\n${context()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A GET with its status, body and how long it took; one that takes longer than `limitMs` fails. */
export async function timedGet(url: string, headers: Record<string, string>, limitMs: number) {
  const start = Date.now();
  const response = await fetch(url, { headers, redirect: "manual", signal: AbortSignal.timeout(limitMs) });
  const body = await response.text();
  return { status: response.status, body, ms: Date.now() - start, retryAfter: response.headers.get("retry-after") };
}

/** next-auth's credentials sign-in as the form sends it: its answer's status and the form's error text, if any. */
export async function signInAnswer(baseUrl: string, username: string) {
  const start = Date.now();
  const response = await postSignIn(baseUrl, username, password(username));
  const { url } = (await response.json()) as { url: string };
  return { status: response.status, error: new URL(url).searchParams.get("error"), ms: Date.now() - start };
}

const isAlive = (pid: number | undefined) => {
  try {
    return pid !== undefined && process.kill(pid, 0);
  } catch {
    return false;
  }
};

/** Text a person or a log should never get from a request: a stack frame, the driver's or Prisma's own words, the database's address. */
export const internalsOf = (databaseAddress: string) => new RegExp(`\\n\\s+at |ECONNREFUSED|ETIMEDOUT|Invalid \`|prisma|57P0\\d|${databaseAddress.replaceAll(".", "\\.")}`, "i");

export type OutageScene = Awaited<ReturnType<typeof startOutageScene>>;

/** The scene on the migrated-to-be database at `url`, its dashboard on 127.0.0.1:`dashboardPort`. */
export async function startOutageScene(url: string, dashboardPort: number) {
  const output: string[] = [];
  const log = (who: string) => (line: string) => output.push(`${who}: ${line}`);
  const tail = () => output.slice(-60).join("\n");
  const keystone = await refusingKeystone();
  migrate(url);
  const db: Db = createDb(url);
  await seedUsers(db, DEMO_USERS);
  const actor = async (username: string) => (await loadActor(db, (await db.user.findUniqueOrThrow({ where: { username } })).id))!;
  const project = await db.project.findUniqueOrThrow({ where: { name: "demo" } });
  const cloud = await registerCloud(db, await actor("admin"), {
    projectId: project.id,
    name: "refusing",
    authUrl: keystone.authUrl,
    credentials: { type: "password", username: "tripod", password: "refused", userDomainName: "Default", projectName: "demo", projectDomainName: "Default" },
  });
  if (!cloud.ok) throw new Error(JSON.stringify(cloud.errors));
  const alice = await actor("alice");
  const clusters: string[] = [];
  for (const name of ["through", "after"]) {
    const draft = await draftCluster(db, alice, { projectId: project.id, cloudId: cloud.cloud.id, specJson: JSON.stringify({ ...demoSpecInput(), name }) }, standInNetworks);
    if (!draft.ok) throw new Error(JSON.stringify(draft.errors));
    clusters.push(draft.value.clusterId);
  }
  const [through, after] = clusters;
  const dashboard = new DashboardProcess({
    port: dashboardPort,
    databaseUrl: url,
    env: { NEXTAUTH_SECRET: "outage-test-secret", TRIPOD_WORKER: "off", TRIPOD_LEASE_MS: "2000" },
    onOutput: log("dashboard"),
  });
  // the crash tests' short lease and polls; no monitor (it would sign in to the cloud too), a short settle on resume
  const worker = new WorkerProcess({ databaseUrl: url, env: { TRIPOD_MONITOR_MS: "0", TRIPOD_SETTLE_MS: "500" }, onOutput: log("worker") });
  worker.start();
  const stop = async () => {
    await Promise.all([dashboard.stop(), worker.stop()]);
    await db.$disconnect();
    keystone.close();
  };
  try {
    await dashboard.start();
  } catch (error) {
    await stop();
    throw error;
  }
  const base = dashboard.url;
  const cookie = await signIn(base, "alice", password("alice"));
  const actionId = serverActionId(ACTIONS, "startOperationAction");

  return {
    db,
    alice,
    dashboard,
    worker,
    through,
    after,
    cookie,
    output,
    tail,
    stop,
    /** Both processes still run. */
    bothAlive: () => isAlive(dashboard.pid) && isAlive(worker.pid),
    /** The cluster page's poll (the route handlers' JSON). */
    poll: (id: string, limitMs: number) => timedGet(`${base}/api/clusters/${id}`, { cookie }, limitMs),
    /** The create button of the cluster page `id` (a server action): its answer's text. */
    create: (id: string) => callServerAction(base, `/clusters/${id}`, cookie, actionId, [id, "create"]),

    /**
     * A create of `through`, running its first step (held at the cloud's Keystone) when the database goes away. Queued
     * here, not through a page: a page also asks the cloud (its port grid), whose request would be held as well.
     */
    async heldCreate() {
      keystone.hold();
      const asked = keystone.requests();
      const { id } = await requestOperation(db, { clusterId: through, kind: "create", requestedById: alice.id });
      const owner = `${hostname()}:${worker.pid}`;
      return until("the create claimed and at its first step", 15_000, async () => {
        const row = await db.operation.findUniqueOrThrow({ where: { id } });
        return row.status === "running" && row.leaseOwner === owner && keystone.requests() === asked + 1 ? row : undefined;
      }, tail);
    },

    /**
     * The held step ends (the cloud refuses) while the database is away: its journal cannot be written, and the worker
     * leaves the operation to its lease within `boundMs`.
     */
    async leftToLease(operationId: string, boundMs: number) {
      keystone.release();
      await until("the worker leaving the operation to its lease", boundMs, async () => output.some((l) => l.includes(`operation ${operationId} stopped: the database is unavailable`)), tail);
    },

    /**
     * Once the database is back, the same worker resumes the held create at its interrupted step, which ends as the
     * cloud answers (refused), and claims a create queued afterwards through the page's button: within `boundMs` each.
     */
    async expectWorkerCarriedOn(operationId: string, boundMs: number) {
      const ended = await until("the create resumed and ended", boundMs, async () => {
        const row = await db.operation.findUniqueOrThrow({ where: { id: operationId }, include: { steps: { where: { name: "preflight" } } } });
        return row.status === "failed" ? row : undefined;
      }, tail);
      expect(ended.error, tail()).toMatch(/^preflight: .*401/);
      expect(ended.steps[0]).toMatchObject({ status: "failed", attempt: 2 });
      const events = await db.event.findMany({ where: { operationId }, orderBy: { at: "asc" } });
      expect(events.map((e) => e.message)).toContain("resuming preflight after an interrupted run: waiting 0.5 s for its requests in flight");
      expect(events.filter((e) => e.message.startsWith("taken over"))).toEqual([]);

      expect(await callServerAction(base, `/clusters/${after}`, cookie, actionId, [after, "create"]), tail()).toContain("Create queued.");
      const next = await until("the second create claimed and ended", boundMs, async () => {
        const row = await db.operation.findFirst({ where: { clusterId: after, kind: "create" } });
        return row?.status === "failed" ? row : undefined;
      }, tail);
      expect(next.error).toMatch(/^preflight: .*401/);
      expect(await db.event.count({ where: { operationId: next.id, message: "preflight started" } })).toBe(1);
      expect((await timedGet(`${base}/api/ready`, {}, boundMs)).status, "a worker beat within the lease").toBe(200);
      const view = JSON.parse((await timedGet(`${base}/api/clusters/${after}`, { cookie }, boundMs)).body) as { operations: { id: string; status: string }[] };
      expect(view.operations[0]).toMatchObject({ id: next.id, status: "failed" });
    },

    /** The logs: the outage in a line or two, no unhandled error, no process restarted. */
    expectQuietLogs() {
      const workerLines = output.filter((l) => l.startsWith("worker: "));
      expect(workerLines.filter((l) => l.includes("the database is unavailable (") && l.includes("claiming nothing")), tail()).toHaveLength(1);
      expect(workerLines.filter((l) => l.includes("the database answers again")), tail()).toHaveLength(1);
      expect(workerLines.filter((l) => /claim failed|heartbeat of .* failed/.test(l)), tail()).toEqual([]);
      expect(output.filter((l) => l.startsWith("dashboard: [tripod] the database is unavailable")).length, tail()).toBeGreaterThanOrEqual(1);
      expect(output.filter((l) => /unhandled|uncaught/i.test(l)), tail()).toEqual([]);
      expect(worker.starts).toBe(1);
    },
  };
}
