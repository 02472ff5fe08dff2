import { hostname } from "node:os";
import type { Db } from "@/lib/db";
import { COUNTERS, CounterBuffer } from "@/lib/metrics/counters";
import { ingestUrlFromEnv } from "@/lib/vip/ingest-url";
import { buildClusterContext, type ContextOptions } from "./context";
import { runWorker, type RunnerOptions } from "./runner";
import { stepsFor } from "./steps";
import type { ClusterContext } from "./context";

export interface WorkerSettings extends ContextOptions {
  leaseMs: number;
  pollMs: number;
  concurrency: number;
}

/** Settings from the environment (documented in the README). */
export function workerSettingsFromEnv(env: Record<string, string | undefined> = process.env): WorkerSettings {
  const num = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);
  return {
    leaseMs: num("TRIPOD_LEASE_MS", 30_000),
    pollMs: num("TRIPOD_WORKER_POLL_MS", 1_000),
    concurrency: num("TRIPOD_WORKER_CONCURRENCY", 4),
    ingestUrl: ingestUrlFromEnv(env),
    tuning: {
      ...(env.TRIPOD_CALL_CONCURRENCY ? { callConcurrency: Number(env.TRIPOD_CALL_CONCURRENCY) } : {}),
      ...(env.TRIPOD_SETTLE_MS ? { settleMs: Number(env.TRIPOD_SETTLE_MS) } : {}),
      ...(env.TRIPOD_POLL_MS ? { pollMs: Number(env.TRIPOD_POLL_MS) } : {}),
      ...(env.TRIPOD_BOOTSTRAP_POLL_MS ? { bootstrapPollMs: Number(env.TRIPOD_BOOTSTRAP_POLL_MS) } : {}),
      ...(env.TRIPOD_CONVERGE_DELAY_MS ? { convergeDelayMs: Number(env.TRIPOD_CONVERGE_DELAY_MS) } : {}),
    },
  };
}

export function runnerOptions(db: Db, settings: WorkerSettings, log: (m: string) => void): RunnerOptions<ClusterContext> {
  return {
    db,
    owner: `${hostname()}:${process.pid}`,
    leaseMs: settings.leaseMs,
    pollMs: settings.pollMs,
    concurrency: settings.concurrency,
    steps: stepsFor,
    context: (op) => buildClusterContext(db, op.clusterId, settings),
    retryDelayMs: (attempt) => Math.min(30_000, 1_000 * 2 ** (attempt - 1)),
    log,
  };
}

const COUNTER_FLUSH_MS = 5_000;

/**
 * Runs the lifecycle worker until the signal aborts. Its OpenStack requests are counted by service and outcome
 * (an answer below 400, or not) and written to the database every few seconds for /api/metrics.
 */
export async function startWorker(db: Db, settings: WorkerSettings, signal: AbortSignal, log: (m: string) => void = (m) => console.log(`[worker] ${m}`)) {
  const requests = new CounterBuffer();
  const counted: WorkerSettings = {
    ...settings,
    onRequest: (event) => {
      settings.onRequest?.(event);
      requests.add(COUNTERS.openstackRequests, { service: event.service, outcome: event.status !== undefined && event.status < 400 ? "ok" : "error" });
    },
  };
  const flush = () => requests.flush(db).catch((error: unknown) => log(`metrics not written: ${error instanceof Error ? error.message : String(error)}`));
  const timer = setInterval(flush, COUNTER_FLUSH_MS);
  try {
    await runWorker(runnerOptions(db, counted, log), signal);
  } finally {
    clearInterval(timer);
    await flush();
  }
}
