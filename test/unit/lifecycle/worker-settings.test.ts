import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { workerSettingsFromEnv, WorkerSettingError } from "@/lib/lifecycle/worker";
import { WORKER_COMMAND } from "../../support/worker-process";

// The worker's settings from the environment: the README's defaults, and a value it cannot run with refused by name
// before anything runs (a negative retention would delete every event; NaN for a lease or a poll would spin).

const DAY = 24 * 3600_000;

describe("worker settings from the environment", () => {
  it("has the README's defaults, and reads whole numbers", () => {
    const defaults = workerSettingsFromEnv({});
    expect(defaults).toMatchObject({ leaseMs: 30_000, monitorMs: 300_000, pollMs: 1_000, concurrency: 4, eventRetentionMs: 90 * DAY, tuning: {} });
    const set = workerSettingsFromEnv({
      TRIPOD_LEASE_MS: "5000",
      TRIPOD_MONITOR_MS: "0",
      TRIPOD_WORKER_POLL_MS: " 300 ",
      TRIPOD_WORKER_CONCURRENCY: "1",
      TRIPOD_EVENT_RETENTION_DAYS: "0",
      TRIPOD_CALL_CONCURRENCY: "1",
      TRIPOD_SETTLE_MS: "0",
      TRIPOD_POLL_MS: "500",
      TRIPOD_BOOTSTRAP_POLL_MS: "1000",
      TRIPOD_BOOTSTRAP_VIA_NODES: "0",
      TRIPOD_CONVERGE_DELAY_MS: "500",
    });
    expect(set).toMatchObject({ leaseMs: 5_000, monitorMs: 0, pollMs: 300, concurrency: 1, eventRetentionMs: 0 });
    expect(set.tuning).toEqual({ callConcurrency: 1, settleMs: 0, pollMs: 500, bootstrapPollMs: 1_000, bootstrapViaNodes: false, convergeDelayMs: 500 });
    expect(workerSettingsFromEnv({ TRIPOD_LEASE_MS: "" }).leaseMs).toBe(30_000);
  });

  it.each([
    ["TRIPOD_EVENT_RETENTION_DAYS", "-1", "must be a whole number of days, at least 0"],
    ["TRIPOD_EVENT_RETENTION_DAYS", "30d", "must be a whole number of days, at least 0"],
    ["TRIPOD_LEASE_MS", "abc", "must be a whole number of milliseconds, at least 1000"],
    ["TRIPOD_LEASE_MS", "500", "must be a whole number of milliseconds, at least 1000"],
    ["TRIPOD_WORKER_POLL_MS", "1e3", "must be a whole number of milliseconds, at least 50"],
    ["TRIPOD_WORKER_CONCURRENCY", "0", "must be a whole number of operations, at least 1"],
    ["TRIPOD_CALL_CONCURRENCY", "2.5", "must be a whole number of calls, at least 1"],
    ["TRIPOD_SETTLE_MS", "-5", "must be a whole number of milliseconds, at least 0"],
    ["TRIPOD_BOOTSTRAP_VIA_NODES", "yes", "must be 1 or 0"],
  ])("refuses %s=%s by name", (name, value, why) => {
    expect(() => workerSettingsFromEnv({ [name]: value })).toThrow(new WorkerSettingError(`${name}=${value}: ${why}`));
  });

  it("npm run worker with a setting it cannot run with stops at once with the reason, no stack trace", () => {
    const run = spawnSync("sh", ["-c", `exec env ${WORKER_COMMAND}`], {
      env: { ...process.env, DATABASE_URL: "file:./.tmp/worker-settings-never-opened.db", TRIPOD_EVENT_RETENTION_DAYS: "-1" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe("[worker] not started: TRIPOD_EVENT_RETENTION_DAYS=-1: must be a whole number of days, at least 0");
    expect(run.stdout).toBe("");
  });
});
