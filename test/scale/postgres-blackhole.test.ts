import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db";
import { isDatabaseUnavailable } from "@/lib/db-errors";
import { postgresPoolConfig } from "@/lib/db-postgres";
import { createApiToken } from "@/lib/data/api-tokens";
import { DATABASE_UNAVAILABLE } from "@/lib/data/errors";
import { BLACK_HOLE_ADDRESS, IN_NAMESPACE, blackHole, createNamespace, liftBlackHole, removeNamespace } from "../support/black-hole";
import { internalsOf, signInAnswer, startOutageScene, timedGet, until, type OutageScene } from "../support/database-outage";
import { createDatabase, startPostgres, type PostgresServer } from "../support/postgres";

// PostgreSQL vanishes without a word under a dashboard (`npm run serve` of the build, 127.0.0.1:3311, its worker off)
// and a worker process: every packet to and from the server is dropped (a failover's dead address, a partition, a
// firewall), so that nothing is refused or reset and the connections already open stay open. Statements sent on them
// must fail within the statement limit, new connections within the connect limit, idle connections be found dead by
// TCP keepalive (lib/db-postgres.ts); meanwhile both processes stay up and every route answers 503 "try again"
// (test/support/database-outage.ts); once packets pass again everything works without a restart, and the worker
// resumes its operation. The server is the test's own, in a network namespace (test/support/black-hole.ts):
// 198.51.100.246:55443. The limits are the URL's, shorter than the defaults (10, 30 and 10 s) to keep the test short.

const PG_PORT = 55443;
const DASHBOARD_PORT = 3311;
const CONNECT_TIMEOUT_S = 2;
const SOCKET_TIMEOUT_S = 3;
const KEEPALIVES_IDLE_S = 1;
/** Linux's keepalive probes as Node.js sets them (libuv): this many, a second apart, before the connection fails. */
const KEEPALIVE_PROBES = 10;
/**
 * An answer in the black hole comes once a limit fired (not sooner: nothing refuses), and soon after the limit that
 * applied. A page and a button's command wait twice in a row: when the first read of the signed-in user failed,
 * Next.js renders again (to show the error) and reads it again (seen: the same failure logged twice, a limit apart).
 * In production the second wait is a new connection's, 10 s: the pool has closed its connections idle for 10 s before
 * the statement limit (30 s) fires. Here that limit is shorter, and both may be an open connection's.
 */
const EARLIEST_MS = Math.min(CONNECT_TIMEOUT_S, SOCKET_TIMEOUT_S) * 1000 - 100;
const LATEST_MS = Math.max(CONNECT_TIMEOUT_S, SOCKET_TIMEOUT_S) * 1000 + 1_500;
const LATEST_TWICE_MS = LATEST_MS + Math.max(CONNECT_TIMEOUT_S, SOCKET_TIMEOUT_S) * 1000;
/** Everything works again this long after packets pass again. */
const RECOVERY_MS = 10_000;
const INTERNALS = internalsOf(BLACK_HOLE_ADDRESS);

describe("a PostgreSQL server gone silent under a dashboard and a worker", { timeout: 120_000 }, () => {
  let server: PostgresServer | undefined;
  let scene: OutageScene | undefined;
  let url: string;

  beforeAll(async () => {
    createNamespace();
    server = await startPostgres(".tmp/pg-blackhole/data", PG_PORT, { host: BLACK_HOLE_ADDRESS, prefix: IN_NAMESPACE });
    const database = createDatabase(server.url("postgres"), "tripod");
    url = `${database}?connect_timeout=${CONNECT_TIMEOUT_S}&socket_timeout=${SOCKET_TIMEOUT_S}&keepalives_idle=${KEEPALIVES_IDLE_S}`;
    scene = await startOutageScene(url, DASHBOARD_PORT);
  });

  afterAll(async () => {
    liftBlackHole();
    await scene?.stop();
    await server?.stop();
    removeNamespace();
  });

  it("answers 503 within the limits while the server is silent, finds idle connections dead, and works again once it answers", async () => {
    const { db, dashboard, through, after, cookie, tail } = scene!;
    const base = dashboard.url;
    const { token } = await createApiToken(db, scene!.alice, { name: "black hole" });
    const get = (path: string, headers: Record<string, string> = {}) => timedGet(`${base}${path}`, headers, LATEST_TWICE_MS * 2);
    const poll = (id: string) => scene!.poll(id, LATEST_TWICE_MS * 2);
    const api = (id: string) => get(`/api/v1/clusters/${id}`, { authorization: `Bearer ${token}` });
    const page = (id: string) => get(`/clusters/${id}`, { cookie });
    // the pools hold connections, open and idle, when the server goes silent
    await until("ready, the poll, the API and the page answering", 10_000, async () => {
      const answers = await Promise.all([get("/api/ready"), poll(through), api(through), page(through)]);
      return answers.every((a) => a.status === 200);
    }, tail);
    const op = await scene!.heldCreate();
    // ten transactions of this process's own, begun: their statements go out into the silence
    const own = createDb(url);
    const transactions = await transactionsWaiting(own, 10);
    // a connection checked out and idle: TCP keepalive must find its server gone
    const probed = await idleConnection(url);

    blackHole(PG_PORT);
    const silentAt = Date.now();
    const ownTransactions = transactions.resume();
    for (let round = 0; round < 2; round++) {
      expect(scene!.bothAlive(), tail()).toBe(true);
      const [health, readiness, answer, automation, shown, attempt, queued] = await Promise.all([
        get("/api/health"),
        get("/api/ready"),
        poll(through),
        api(through),
        page(through),
        signInAnswer(base, "alice"),
        timed(() => scene!.create(after).catch((e: Error) => e.message)),
      ]);
      expect(health.status).toBe(200);
      expect(health.ms).toBeLessThan(EARLIEST_MS);
      expect(readiness.status).toBe(503);
      expect(JSON.parse(readiness.body)).toMatchObject({ ok: false, database: "unreachable" });
      for (const route of [answer, automation]) {
        expect(route.status, route.body).toBe(503);
        expect(JSON.parse(route.body)).toEqual({ error: DATABASE_UNAVAILABLE });
        expect(route.retryAfter).toBe("5");
      }
      // the dashboard's frame fails (it reads the signed-in user): the error sent for the browser to show app/error.tsx
      expect([500, 503]).toContain(shown.status);
      expect(shown.body).not.toMatch(INTERNALS);
      expect(shown.body, "the cluster exists: only its page failed").not.toContain("Cluster not found");
      expect(attempt.error).toBe("Tripod cannot reach its database right now (it may be restarting). Try again in a moment.");
      expect(queued.value).toContain(DATABASE_UNAVAILABLE);
      const once = { readiness: readiness.ms, poll: answer.ms, api: automation.ms, signIn: attempt.ms };
      const twice = { page: shown.ms, command: queued.ms };
      console.log(`black hole, round ${round + 1}: answered in ${JSON.stringify({ ...once, ...twice })} ms`);
      for (const [what, ms] of Object.entries({ ...once, ...twice })) expect(ms, `${what}: not before a limit fired`).toBeGreaterThanOrEqual(EARLIEST_MS);
      for (const [what, ms] of Object.entries(once)) expect(ms, `${what}: within a limit`).toBeLessThanOrEqual(LATEST_MS);
      for (const [what, ms] of Object.entries(twice)) expect(ms, `${what}: within two limits`).toBeLessThanOrEqual(LATEST_TWICE_MS);
    }
    await scene!.leftToLease(op.id, LATEST_MS);

    // this process's transactions: each failed as the database being unavailable, at the statement limit
    const failures = await ownTransactions;
    console.log(`black hole: own transactions failed after ${failures.map((f) => f.ms).join(", ")} ms`);
    for (const failure of failures) {
      expect(isDatabaseUnavailable(failure.error), String(failure.error)).toBe(true);
      expect(failure.ms).toBeGreaterThanOrEqual(SOCKET_TIMEOUT_S * 1000 - 100);
      expect(failure.ms).toBeLessThanOrEqual(SOCKET_TIMEOUT_S * 1000 + 1_000);
    }
    // the idle connection: failed by the kernel once its probes went unanswered, 1 + 10 × 1 s after its last traffic
    const death = await probed.death;
    console.log(`black hole: the idle connection failed ${death.at - silentAt} ms after the server went silent (${death.error.message})`);
    expect((death.error as NodeJS.ErrnoException).code).toBe("ETIMEDOUT");
    expect(death.at - silentAt).toBeGreaterThanOrEqual((KEEPALIVES_IDLE_S + KEEPALIVE_PROBES - 1) * 1000);
    expect(death.at - silentAt).toBeLessThanOrEqual((KEEPALIVES_IDLE_S + KEEPALIVE_PROBES + 2) * 1000);
    await probed.close();

    liftBlackHole();
    const answersAt = Date.now();
    // Everything answers again, without restarting anything: the probe, the poll, the API, the page, a sign-in, and
    // this process's client, whose ten broken transactions gave their connections back (the pool holds ten).
    await until("the dashboard working again", RECOVERY_MS, async () => {
      const answers = await Promise.all([get("/api/ready"), poll(through), api(through), page(through)]);
      return answers.every((a) => a.status === 200) && (await signInAnswer(base, "alice")).status === 200;
    }, tail);
    expect(await own.user.count()).toBeGreaterThan(0);
    console.log(`black hole lifted: everything answered again after ${Date.now() - answersAt} ms`);
    await own.$disconnect();
    expect(scene!.bothAlive(), tail()).toBe(true);
    await scene!.expectWorkerCarriedOn(op.id, RECOVERY_MS);
    scene!.expectQuietLogs();
  });
});

/** What `work` gave, and how long it took. */
async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  const value = await work();
  return { value, ms: Date.now() - start };
}

/**
 * `count` interactive transactions of `db`, each begun and through its first statement, waiting; `resume` sends each
 * its second statement and gives, for each, the error the transaction failed with and how long after `resume` it did.
 */
async function transactionsWaiting(db: Db, count: number) {
  let resume!: () => void;
  const resumed = new Promise<void>((resolve) => (resume = resolve));
  const begun: Promise<void>[] = [];
  const ended = Array.from({ length: count }, () => {
    let begin!: () => void;
    begun.push(new Promise<void>((resolve) => (begin = resolve)));
    return db.$transaction(async (tx) => {
      await tx.user.count();
      begin();
      await resumed;
      await tx.user.count();
    });
  });
  await Promise.all(begun);
  return {
    async resume() {
      const start = Date.now();
      resume();
      return Promise.all(ended.map((transaction) => transaction.then(() => ({ error: null as unknown, ms: Date.now() - start }), (error: unknown) => ({ error, ms: Date.now() - start }))));
    },
  };
}

/** A connection of a pool as lib/db-postgres.ts configures it, checked out after a statement and left idle: when it fails, and why. */
async function idleConnection(url: string) {
  const pool = new pg.Pool(postgresPoolConfig(url));
  const client = await pool.connect();
  await client.query("SELECT 1");
  const death = new Promise<{ at: number; error: Error }>((resolve) => client.once("error", (error) => resolve({ at: Date.now(), error })));
  client.on("error", () => undefined); // the second report of the same end ("Connection terminated unexpectedly")
  return {
    death,
    close: async () => {
      client.release(true);
      await pool.end();
    },
  };
}
