import { afterAll, describe, expect, it } from "vitest";
import { TerminalError, type StepDefinition } from "@/lib/lifecycle/engine";
import { STEP_NAMES } from "@/lib/domain";
import { cancelOperation, OperationConflictError, requestOperation, retryOperation } from "@/lib/lifecycle/operations";
import { pruneEvents } from "@/lib/lifecycle/journal";
import { claimOperation, runWorker } from "@/lib/lifecycle/runner";
import type { Db } from "@/lib/db";
import { isolatedDb, makeProjectWithCluster, makeUser } from "../../support/db";

// Workers claim every queued operation of their database: this file gets one of its own.
const { db, dispose } = isolatedDb("runner");
afterAll(dispose);

type Ctx = { calls: string[] };
type Behaviour = (ctx: Ctx, attempt: number, signal: AbortSignal) => Promise<Record<string, string> | void>;

function stepsOf(kind: keyof typeof STEP_NAMES, behaviours: Partial<Record<string, Behaviour>> = {}): StepDefinition<Ctx>[] {
  const attempts = new Map<string, number>();
  return STEP_NAMES[kind].map((name) => ({
    name,
    timeoutMs: 2_000,
    maxAttempts: 3,
    async run(ctx, io) {
      const attempt = (attempts.get(name) ?? 0) + 1;
      attempts.set(name, attempt);
      ctx.calls.push(name);
      io.countCall();
      return (await behaviours[name]?.(ctx, attempt, io.signal)) ?? { done: name };
    },
  }));
}

async function newCluster() {
  const user = await makeUser(db);
  const { cluster } = await makeProjectWithCluster(db, user.id);
  return { user, cluster };
}

/** Runs one worker until the operation is no longer active (or the bound passes). */
async function work(ctx: Ctx, steps: StepDefinition<Ctx>[], opId: string, owner = "w1", leaseMs = 1_000) {
  const stop = new AbortController();
  const worker = runWorker(
    { db, owner, leaseMs, pollMs: 50, concurrency: 2, steps: () => steps, context: async () => ctx, retryDelayMs: () => 10 },
    stop.signal,
  );
  const deadline = Date.now() + 15_000;
  for (;;) {
    const op = await db.operation.findUniqueOrThrow({ where: { id: opId } });
    if (!["queued", "running"].includes(op.status) || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  stop.abort();
  await worker;
  return db.operation.findUniqueOrThrow({ where: { id: opId }, include: { steps: { orderBy: { position: "asc" } } } });
}

describe("durable runner", () => {
  it("runs every step in order and records status, attempts, API calls, outputs and events", async () => {
    const { user, cluster } = await newCluster();
    await db.vrrpIdAllocation.create({ data: { cloudId: cluster.cloudId, publicNetwork: "pub", routerId: 7, clusterId: cluster.id, vip: "api" } });
    const op = await requestOperation(db, { clusterId: cluster.id, kind: "teardown", requestedById: user.id });
    const ctx: Ctx = { calls: [] };
    const done = await work(ctx, stepsOf("teardown"), op.id);
    expect(await db.vrrpIdAllocation.count({ where: { clusterId: cluster.id } })).toBe(0); // ids freed by the teardown
    expect(done.status).toBe("succeeded");
    expect(done.activeClusterId).toBeNull();
    expect(ctx.calls).toEqual([...STEP_NAMES.teardown]);
    expect(done.steps.map((s) => [s.name, s.status, s.attempt, s.apiCalls])).toEqual(STEP_NAMES.teardown.map((n) => [n, "succeeded", 1, 1]));
    expect(JSON.parse(done.steps[0].outputsJson!)).toEqual({ done: "control-plane" });
    expect((await db.cluster.findUniqueOrThrow({ where: { id: cluster.id } })).status).toBe("deleted");
    expect(await db.event.count({ where: { operationId: op.id } })).toBe(2 * STEP_NAMES.teardown.length);
  });

  it("retries a failing step, then stops at a terminal error and resumes there after a retry", async () => {
    const { user, cluster } = await newCluster();
    const op = await requestOperation(db, { clusterId: cluster.id, kind: "teardown", requestedById: user.id });
    const ctx: Ctx = { calls: [] };
    let terminal = true;
    const steps = stepsOf("teardown", {
      bootstrap: async (_c, attempt) => {
        if (attempt < 3) throw new Error(`flaky ${attempt}`);
      },
      ports: async () => {
        if (terminal) throw new TerminalError("quota exceeded for ports");
      },
    });
    const failed = await work(ctx, steps, op.id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toBe("ports: quota exceeded for ports");
    expect(failed.steps.find((s) => s.name === "bootstrap")).toMatchObject({ status: "succeeded", attempt: 3 });
    expect(failed.steps.find((s) => s.name === "ports")).toMatchObject({ status: "failed", attempt: 1 });
    expect(failed.steps.find((s) => s.name === "verify-empty")!.status).toBe("pending");
    expect((await db.cluster.findUniqueOrThrow({ where: { id: cluster.id } })).status).toBe("failed");

    terminal = false;
    await retryOperation(db, op.id);
    ctx.calls.length = 0;
    const resumed = await work(ctx, steps, op.id);
    expect(resumed.status).toBe("succeeded");
    expect(ctx.calls).toEqual(["ports", "security-groups", "ignition-config", "verify-empty"]);
  });

  it("fails a step that exceeds its timeout after its attempts", async () => {
    const { user, cluster } = await newCluster();
    const op = await requestOperation(db, { clusterId: cluster.id, kind: "bootstrap-teardown", requestedById: user.id });
    const steps = stepsOf("bootstrap-teardown", {
      "bootstrap-teardown": (_c, _a, signal) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("aborted")))),
    }).map((s) => ({ ...s, timeoutMs: 100, maxAttempts: 2 }));
    const done = await work({ calls: [] }, steps, op.id);
    expect(done.status).toBe("failed");
    expect(done.error).toMatch(/did not finish within/);
    expect(done.steps[0].attempt).toBe(2);
  });

  it("cancels a running operation at once and a queued one without a worker", async () => {
    const { user, cluster } = await newCluster();
    const op = await requestOperation(db, { clusterId: cluster.id, kind: "teardown", requestedById: user.id });
    const steps = stepsOf("teardown", {
      bootstrap: async (_c, _a, signal) => {
        await cancelOperation(db, op.id);
        await new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
      },
    });
    const ctx: Ctx = { calls: [] };
    const done = await work(ctx, steps, op.id, "w1", 600);
    expect(done.status).toBe("cancelled");
    expect(ctx.calls).toEqual(["control-plane", "bootstrap"]);
    expect(done.steps.find((s) => s.name === "bootstrap")!.status).toBe("cancelled");

    const other = await newCluster();
    const queued = await requestOperation(db, { clusterId: other.cluster.id, kind: "teardown", requestedById: other.user.id });
    await cancelOperation(db, queued.id);
    expect((await db.operation.findUniqueOrThrow({ where: { id: queued.id } })).status).toBe("cancelled");
  });

  it("lets only one worker hold an operation; an expired lease is claimed again", async () => {
    const { user, cluster } = await newCluster();
    const op = await requestOperation(db, { clusterId: cluster.id, kind: "teardown", requestedById: user.id });
    // Other tests' operations may be queued too: claim until ours comes up.
    const t0 = new Date(Date.now() + 60_000);
    let first = await claimOperation(db, "a", 5_000, t0);
    while (first && first.id !== op.id) first = await claimOperation(db, "a", 5_000, t0);
    expect(first?.id).toBe(op.id);
    const rivals = await Promise.all(Array.from({ length: 5 }, (_, i) => claimOperation(db, `b${i}`, 5_000, t0)));
    expect(rivals.filter((r) => r?.id === op.id)).toEqual([]);
    let again = await claimOperation(db, "c", 5_000, new Date(t0.getTime() + 6_000));
    while (again && again.id !== op.id) again = await claimOperation(db, "c", 5_000, new Date(t0.getTime() + 6_000));
    expect(again?.id).toBe(op.id);
    expect((await db.operation.findUniqueOrThrow({ where: { id: op.id } })).leaseOwner).toBe("c");
    // The take-over is an event of the operation and a count for /api/metrics (one per take-over in this database).
    expect(await db.event.count({ where: { operationId: op.id, message: "taken over from worker a, whose lease expired" } })).toBe(1);
    const takeovers = await db.event.count({ where: { message: { startsWith: "taken over from worker" } } });
    expect((await db.metricCounter.findFirstOrThrow({ where: { name: "tripod_lease_takeovers_total" } })).value).toBe(takeovers);
  });

  it("beats while it runs and removes its heartbeat when it stops", async () => {
    const stop = new AbortController();
    const worker = runWorker({ db, owner: "beating", leaseMs: 1_000, pollMs: 50, concurrency: 1, steps: () => [], context: async () => ({ calls: [] }), retryDelayMs: () => 10 }, stop.signal);
    const deadline = Date.now() + 10_000;
    while (!(await db.workerHeartbeat.findUnique({ where: { owner: "beating" } })) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const first = await db.workerHeartbeat.findUniqueOrThrow({ where: { owner: "beating" } });
    await new Promise((r) => setTimeout(r, 200));
    expect((await db.workerHeartbeat.findUniqueOrThrow({ where: { owner: "beating" } })).heartbeatAt.getTime()).toBeGreaterThan(first.heartbeatAt.getTime());
    stop.abort();
    await worker;
    expect(await db.workerHeartbeat.findUnique({ where: { owner: "beating" } })).toBeNull();
  });

  it("turns 20 concurrent teardown requests into exactly one operation; the others get a clear answer", async () => {
    const { user, cluster } = await newCluster();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => requestOperation(db, { clusterId: cluster.id, kind: "teardown", requestedById: user.id })),
    );
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(19);
    for (const r of refused) {
      expect(r.reason).toBeInstanceOf(OperationConflictError);
      expect(String(r.reason.message)).toMatch(/already has a teardown operation (queued|running), requested by user-/);
    }
    expect(await db.operation.count({ where: { clusterId: cluster.id } })).toBe(1);
  });
});

describe("event retention", () => {
  const DAY = 24 * 3600_000;
  const now = new Date();

  /** `old` events older than 90 days (a second apart, oldest first) and `recent` ones a day old. */
  async function withEvents(old: number, recent: number) {
    const { user, cluster } = await newCluster();
    const at = (i: number, age: number) => new Date(now.getTime() - age + i * 1000);
    await db.event.createMany({
      data: [
        ...Array.from({ length: old }, (_, i) => ({ clusterId: cluster.id, level: "info", message: `old ${i}`, at: at(i, 100 * DAY) })),
        ...Array.from({ length: recent }, (_, i) => ({ clusterId: cluster.id, level: "info", message: `recent ${i}`, at: at(i, DAY) })),
      ],
    });
    return { user, cluster, messages: async () => (await db.event.findMany({ where: { clusterId: cluster.id }, orderBy: { at: "asc" } })).map((e) => e.message) };
  }

  it("deletes what is past the retention a batch per statement, oldest first, and nothing else", async () => {
    const { messages } = await withEvents(25, 5);
    const deletes: string[][] = [];
    const observed = db.$extends({
      query: {
        event: {
          async deleteMany({ args, query }) {
            const ids = (args.where?.id as { in: string[] }).in;
            deletes.push((await db.event.findMany({ where: { id: { in: ids } }, orderBy: { at: "asc" } })).map((e) => e.message));
            return query(args);
          },
        },
      },
    }) as unknown as Db;
    expect(await pruneEvents(observed, now, 90 * DAY, { batch: 10 })).toBe(25);
    expect(deletes.map((d) => d.length)).toEqual([10, 10, 5]);
    expect(deletes[0]).toEqual(Array.from({ length: 10 }, (_, i) => `old ${i}`));
    expect(await messages()).toEqual(Array.from({ length: 5 }, (_, i) => `recent ${i}`));
    expect(await pruneEvents(db, now, 90 * DAY, { batch: 10 })).toBe(0);
  });

  it("prunes beside the claims: a slow prune holds up neither the heartbeat nor an operation", async () => {
    const { user, cluster, messages } = await withEvents(3, 1);
    // The prune's first listing waits until the test lets it go.
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const stalled = db.$extends({
      query: {
        event: {
          async findMany({ args, query }) {
            if ((args.where?.at as { lt?: Date } | undefined)?.lt) await released;
            return query(args);
          },
        },
      },
    }) as unknown as Db;
    const op = await requestOperation(db, { clusterId: cluster.id, kind: "teardown", requestedById: user.id });
    const log: string[] = [];
    const stop = new AbortController();
    const ctx: Ctx = { calls: [] };
    const worker = runWorker(
      { db: stalled, owner: "pruning", leaseMs: 1_000, pollMs: 50, concurrency: 1, eventRetentionMs: 90 * DAY, steps: () => stepsOf("teardown"), context: async () => ctx, retryDelayMs: () => 10, log: (m) => log.push(m) },
      stop.signal,
    );
    try {
      const deadline = Date.now() + 10_000;
      while ((await db.operation.findUniqueOrThrow({ where: { id: op.id } })).status !== "succeeded" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect((await db.operation.findUniqueOrThrow({ where: { id: op.id } })).status).toBe("succeeded");
      expect(await db.workerHeartbeat.findUnique({ where: { owner: "pruning" } })).not.toBeNull();
      expect((await messages()).filter((m) => m.startsWith("old "))).toHaveLength(3);
      release();
      while ((await messages()).some((m) => m.startsWith("old ")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect((await messages()).filter((m) => m.startsWith("old "))).toEqual([]);
      expect(await messages()).toContain("recent 0");
    } finally {
      release();
      stop.abort();
      await worker;
    }
    expect(log).toContain("pruned 3 events older than the retention");
  });
});

describe("a cluster that cannot run", () => {
  it("fails its operation with the reason instead of being claimed again and again", async () => {
    const { user, cluster } = await newCluster();
    const op = await requestOperation(db, { clusterId: cluster.id, kind: "teardown", requestedById: user.id });
    const stop = new AbortController();
    const worker = runWorker(
      {
        db,
        owner: "w-terminal",
        leaseMs: 1_000,
        pollMs: 50,
        concurrency: 1,
        steps: () => stepsOf("teardown"),
        context: async () => {
          throw new TerminalError("the stored spec is no longer valid: name: is required");
        },
        retryDelayMs: () => 10,
      },
      stop.signal,
    );
    let row = await db.operation.findUniqueOrThrow({ where: { id: op.id } });
    for (let i = 0; i < 100 && row.status !== "failed"; i++) {
      await new Promise((r) => setTimeout(r, 50));
      row = await db.operation.findUniqueOrThrow({ where: { id: op.id } });
    }
    stop.abort();
    await worker;
    expect(row.status).toBe("failed");
    expect(row.error).toBe("the stored spec is no longer valid: name: is required");
  });
});
