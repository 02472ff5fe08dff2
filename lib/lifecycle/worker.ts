import { hostname } from "node:os";
import type { Db } from "@/lib/db";
import { COUNTERS, CounterBuffer } from "@/lib/metrics/counters";
import { ingestUrlFromEnv } from "@/lib/vip/ingest-url";
import { buildClusterContext, type ContextOptions } from "./context";
import { runMonitor } from "./monitor";
import { runWorker, type RunnerOptions } from "./runner";
import { stepsFor } from "./steps";
import type { ClusterContext } from "./context";

export interface WorkerSettings extends ContextOptions {
  /** How often the monitor reconciles every cloud and checks the VIPs (0: never; on demand only). */
  monitorMs?: number;
  leaseMs: number;
  pollMs: number;
  concurrency: number;
  eventRetentionMs?: number;
}

/** A worker setting of the environment that is not a value the worker can run with: names it and what it must be. */
export class WorkerSettingError extends Error {
  readonly name = "WorkerSettingError";
}

/**
 * Settings from the environment (documented in the README). A value that is not a whole number in its range throws
 * WorkerSettingError before anything runs: NaN for a lease or a poll would make the worker spin or never claim, and
 * a negative retention would delete every event.
 */
export function workerSettingsFromEnv(env: Record<string, string | undefined> = process.env): WorkerSettings {
  const whole = (name: string, min: number, unit: string) => {
    const raw = env[name]?.trim();
    if (!raw) return undefined;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min) throw new WorkerSettingError(`${name}=${env[name]}: must be a whole number of ${unit}, at least ${min}`);
    return value;
  };
  const optional = <K extends string>(key: K, value: number | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, number>));
  const viaNodes = env.TRIPOD_BOOTSTRAP_VIA_NODES?.trim();
  if (viaNodes && viaNodes !== "0" && viaNodes !== "1") throw new WorkerSettingError(`TRIPOD_BOOTSTRAP_VIA_NODES=${env.TRIPOD_BOOTSTRAP_VIA_NODES}: must be 1 or 0`);
  return {
    leaseMs: whole("TRIPOD_LEASE_MS", 1_000, "milliseconds") ?? 30_000,
    monitorMs: whole("TRIPOD_MONITOR_MS", 0, "milliseconds") ?? 300_000,
    pollMs: whole("TRIPOD_WORKER_POLL_MS", 50, "milliseconds") ?? 1_000,
    concurrency: whole("TRIPOD_WORKER_CONCURRENCY", 1, "operations") ?? 4,
    // 0: kept for ever (no prune)
    eventRetentionMs: (whole("TRIPOD_EVENT_RETENTION_DAYS", 0, "days") ?? 90) * 24 * 3600_000,
    ingestUrl: ingestUrlFromEnv(env),
    tuning: {
      ...optional("callConcurrency", whole("TRIPOD_CALL_CONCURRENCY", 1, "calls")),
      ...optional("settleMs", whole("TRIPOD_SETTLE_MS", 0, "milliseconds")),
      ...optional("pollMs", whole("TRIPOD_POLL_MS", 100, "milliseconds")),
      ...optional("bootstrapPollMs", whole("TRIPOD_BOOTSTRAP_POLL_MS", 100, "milliseconds")),
      ...(viaNodes ? { bootstrapViaNodes: viaNodes === "1" } : {}),
      ...optional("convergeDelayMs", whole("TRIPOD_CONVERGE_DELAY_MS", 0, "milliseconds")),
    },
  };
}

/** The settings from the environment; a value the worker cannot run with ends the process (status 2), saying why. */
export function workerSettingsOrExit(who: string): WorkerSettings {
  try {
    return workerSettingsFromEnv();
  } catch (error) {
    if (!(error instanceof WorkerSettingError)) throw error;
    console.error(`[${who}] not started: ${error.message}`);
    process.exit(2);
  }
}

export function runnerOptions(db: Db, settings: WorkerSettings, log: (m: string) => void): RunnerOptions<ClusterContext> {
  return {
    db,
    owner: `${hostname()}:${process.pid}`,
    leaseMs: settings.leaseMs,
    pollMs: settings.pollMs,
    concurrency: settings.concurrency,
    eventRetentionMs: settings.eventRetentionMs,
    steps: stepsFor,
    context: (op) => buildClusterContext(db, op.clusterId, settings),
    retryDelayMs: (attempt) => Math.min(30_000, 1_000 * 2 ** (attempt - 1)),
    log,
  };
}

const COUNTER_FLUSH_MS = 5_000;

/**
 * Runs the lifecycle worker, and its monitor (reconciler and VIP checks) on schedule, until the signal aborts. Its
 * OpenStack requests are counted by service and outcome (an answer below 400, or not) and written to the database
 * every few seconds for /api/metrics.
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
  const monitor = settings.monitorMs ? runMonitor(db, settings.monitorMs, signal, (m) => log(`monitor: ${m}`)) : Promise.resolve();
  try {
    await Promise.all([runWorker(runnerOptions(db, counted, log), signal), monitor]);
  } finally {
    clearInterval(timer);
    await flush();
  }
}
