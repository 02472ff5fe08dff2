import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { serveEnvironment } from "../support/dashboard-process";
import { isolatedDb } from "../support/db";

// A dashboard (`npm run serve` of the build, 127.0.0.1:3302) that runs the lifecycle worker, started with a worker
// setting it cannot run with: it stops at once with one line naming the variable (lib/lifecycle/worker.ts), instead of
// taking operations that a worker with a NaN lease would never run. The worker's own process: test/unit/lifecycle.
// A database of its own: `npm run serve` creates an administrator in a database without users.
const { url, dispose } = isolatedDb("worker_settings");
afterAll(dispose);

describe("a dashboard with a worker setting it cannot run with", () => {
  it("stops at start with status 2, naming the variable, no stack trace", { timeout: 120_000 }, () => {
    const run = spawnSync("npm", ["run", "--silent", "serve"], {
      env: serveEnvironment({ port: 3302, databaseUrl: url, env: { NEXTAUTH_SECRET: "worker-settings-test", TRIPOD_LEASE_MS: "30s" } }),
      encoding: "utf8",
      timeout: 100_000,
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output).toBe(2);
    expect(run.stderr).toContain("[tripod] not started: TRIPOD_LEASE_MS=30s: must be a whole number of milliseconds, at least 1000");
    expect(output).not.toMatch(/^\s+at /m);
  });
});
