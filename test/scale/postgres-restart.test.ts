import { chromium } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import { isDatabaseUnavailable } from "@/lib/db-errors";
import { DATABASE_UNAVAILABLE } from "@/lib/data/errors";
import { internalsOf, signInAnswer, startOutageScene, timedGet, until, type OutageScene } from "../support/database-outage";
import { createDatabase, startRestartablePostgres, type RestartablePostgres } from "../support/postgres";
import { CHROMIUM_LAUNCH } from "../e2e/settings";

// PostgreSQL restarts (a minor update, a failover, `systemctl restart postgresql`) under a dashboard (`npm run serve`
// of the build, 127.0.0.1:3310, its worker off) and a worker process: no process exits; while the database is down
// the routes answer at once (503 "try again", never a stack trace); once it is back everything works again without
// restarting Tripod, and the operation that was running is resumed by the same worker (test/support/database-outage.ts).
// On a PostgreSQL server of the test's own (127.0.0.1:55442), so that its restart disturbs nothing else of the layer.

const PG_PORT = 55442;
const DASHBOARD_PORT = 3310;
/** What a prompt answer is, database or not. */
const PROMPT_MS = 3_000;
/** How long the database is down at least. */
const OUTAGE_MS = 4_000;
/** Everything works again this long after the database is back. */
const RECOVERY_MS = 15_000;

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

const INTERNALS = internalsOf(`127.0.0.1:${PG_PORT}`);

describe("a PostgreSQL restart under a dashboard and a worker", { timeout: 120_000 }, () => {
  let server: RestartablePostgres | undefined;
  let scene: OutageScene | undefined;
  let url: string;

  beforeAll(async () => {
    server = await startRestartablePostgres(".tmp/pg-restart/data", PG_PORT);
    url = createDatabase(server.url("postgres"), "tripod");
    scene = await startOutageScene(url, DASHBOARD_PORT);
  });

  afterAll(async () => {
    await scene?.stop();
    await server?.stop();
  });

  it("keeps both processes up, answers 503 while the database is down, and works again once it is back", async () => {
    const { dashboard, through, after, cookie, tail } = scene!;
    const base = dashboard.url;
    const get = (path: string, headers: Record<string, string> = {}) => timedGet(`${base}${path}`, headers, PROMPT_MS * 2);
    const poll = (id: string) => scene!.poll(id, PROMPT_MS * 2);
    const ready = async () => ((await get("/api/ready")).status === 200 ? true : undefined);
    await until("ready before the restart", 10_000, ready, tail);
    expect((await poll(through)).status).toBe(200);
    const op = await scene!.heldCreate();

    server!.halt();
    const downAt = Date.now();
    for (let round = 0; round < 3; round++) {
      expect(scene!.bothAlive(), tail()).toBe(true);
      const health = await get("/api/health");
      expect(health.status).toBe(200);
      const readiness = await get("/api/ready");
      expect(readiness.status).toBe(503);
      expect(JSON.parse(readiness.body)).toMatchObject({ ok: false, database: "unreachable" });
      const answer = await poll(through);
      expect(answer.status, answer.body).toBe(503);
      expect(JSON.parse(answer.body)).toEqual({ error: DATABASE_UNAVAILABLE });
      expect(answer.retryAfter).toBe("5");
      // A page: the dashboard's frame fails (it reads the signed-in user): 500, the error sent for the browser to show
      // app/error.tsx (a sentence and a retry), no stack.
      const page = await get(`/clusters/${through}`, { cookie });
      expect([500, 503]).toContain(page.status);
      expect(page.body).not.toMatch(INTERNALS);
      expect(page.body, "the cluster exists: only its page failed").not.toContain("Cluster not found");
      expect(await shownInBrowser(`${base}/clusters/${through}`, cookie)).toMatch(/^This page could not be shown\s+Something went wrong on our side; nothing was changed\. Try again[\s\S]*\s+Try again$/);
      const attempt = await signInAnswer(base, "alice");
      expect(attempt.error).toBe("Tripod cannot reach its database right now (it may be restarting). Try again in a moment.");
      for (const { ms } of [health, readiness, answer, page, attempt]) expect(ms).toBeLessThan(PROMPT_MS);
      // a command answers the sentence too, and queues nothing
      const queued = await scene!.create(after).catch((e: Error) => e.message);
      expect(queued).toContain(DATABASE_UNAVAILABLE);
      await new Promise((r) => setTimeout(r, 300));
    }
    await scene!.leftToLease(op.id, 10_000);
    // down longer than the lease (2 s), as a restart with a checkpoint or a failover is
    await new Promise((r) => setTimeout(r, Math.max(0, downAt + OUTAGE_MS - Date.now())));

    server!.resume();
    // Everything answers again, without restarting anything: the probe, the poll, the page, a new sign-in.
    await until("the dashboard working again", RECOVERY_MS, async () => {
      const [readiness, answer, page] = await Promise.all([get("/api/ready"), poll(through), get(`/clusters/${through}`, { cookie })]);
      return readiness.status === 200 && answer.status === 200 && page.status === 200 && (await signInAnswer(base, "alice")).status === 200;
    }, tail);
    expect(scene!.bothAlive(), tail()).toBe(true);
    await scene!.expectWorkerCarriedOn(op.id, RECOVERY_MS);
    scene!.expectQuietLogs();
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
