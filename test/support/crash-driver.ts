import type { Db } from "@/lib/db";
import { WorkerProcess } from "./worker-process";

// Drives an operation to its end while killing its worker process: at every step boundary (right after a step
// is recorded as succeeded) and at random points inside steps. Each kill is followed by a restart; the new worker
// waits out the dead one's lease and resumes at the first unfinished step.

export interface KillPoint {
  kind: "boundary" | "inside" | "request";
  step: string;
  afterMs?: number;
}

export interface CrashDriverOptions {
  db: Db;
  worker: WorkerProcess;
  operationId: string;
  /** Most kills for this operation (the suite keeps it small; the bench goes further). */
  maxKills: number;
  /** Kill inside a step this long (uniform random, ms) after it started. */
  insideDelayMs: [number, number];
  random?: () => number;
  boundMs?: number;
  onStep?: (step: string, status: string) => void | Promise<void>;
  /** Kills asked for from outside, at once (e.g. the fault proxy saw a bulk POST go to the cloud). */
  killOn?: KillSignal;
}

/** A kill request that wakes the driver at once: `request(label)` from a callback, `wait(ms)` in the driver's loop. */
export class KillSignal {
  private pending: string[] = [];
  private wake?: () => void;

  request(label: string): void {
    this.pending.push(label);
    this.wake?.();
  }

  /** The next requested kill, waiting at most `ms` for one. */
  async wait(ms: number): Promise<string | undefined> {
    if (this.pending.length === 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
    return this.pending.shift();
  }
}

export async function driveWithCrashes(o: CrashDriverOptions): Promise<{ status: string; kills: KillPoint[] }> {
  const random = o.random ?? Math.random;
  const kills: KillPoint[] = [];
  const insideDone = new Set<string>();
  const deadline = Date.now() + (o.boundMs ?? 900_000);
  let succeeded = new Set<string>();
  let insideTarget: { step: string; at: number } | undefined;
  o.worker.start();
  for (;;) {
    const op = await o.db.operation.findUniqueOrThrow({ where: { id: o.operationId }, include: { steps: true } });
    if (!["queued", "running"].includes(op.status)) return { status: op.status, kills };
    if (Date.now() > deadline) throw new Error(`operation still ${op.status} after the bound; kills so far: ${kills.length}`);
    const nowSucceeded = new Set(op.steps.filter((s) => s.status === "succeeded").map((s) => s.name));
    const newlyDone = [...nowSucceeded].filter((s) => !succeeded.has(s));
    succeeded = nowSucceeded;
    const running = op.steps.find((s) => s.status === "running" && s.startedAt);
    for (const step of newlyDone) await o.onStep?.(step, "succeeded");
    if (running) await o.onStep?.(running.name, "running");

    if (kills.length < o.maxKills && newlyDone.length > 0) {
      await o.worker.kill();
      kills.push({ kind: "boundary", step: newlyDone[newlyDone.length - 1] });
      o.worker.start();
    } else if (kills.length < o.maxKills && running && !insideDone.has(running.name)) {
      if (insideTarget?.step !== running.name) {
        const [lo, hi] = o.insideDelayMs;
        insideTarget = { step: running.name, at: Date.now() + lo + random() * (hi - lo) };
      } else if (Date.now() >= insideTarget.at) {
        await o.worker.kill();
        kills.push({ kind: "inside", step: running.name, afterMs: Date.now() - running.startedAt!.getTime() });
        insideDone.add(running.name);
        o.worker.start();
      }
    }
    const requested = o.killOn ? await o.killOn.wait(100) : await new Promise<undefined>((r) => setTimeout(r, 100));
    if (requested) {
      await o.worker.kill();
      const step = (await o.db.step.findFirst({ where: { operationId: o.operationId, status: "running" } }))?.name ?? "?";
      kills.push({ kind: "request", step: `${step}: ${requested}` });
      o.worker.start();
    }
  }
}
