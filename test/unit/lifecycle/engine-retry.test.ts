import { describe, expect, it } from "vitest";
import { runSteps, type Journal, type StepDefinition } from "@/lib/lifecycle/engine";
import { OpenStackError } from "@/lib/openstack/errors";
import { clusterStep } from "@/lib/lifecycle/steps/common";
import type { ClusterContext } from "@/lib/lifecycle/context";

// How a step's failure is retried: terminal cloud errors stop at once with the cloud's words; a Retry-After is honoured.

function memoryJournal() {
  const failures: { step: string; error: string; final: boolean }[] = [];
  let end: unknown;
  const journal: Journal = {
    steps: async () => [],
    stepStarted: async () => undefined,
    stepSucceeded: async () => undefined,
    stepFailed: async (step, error, _calls, final) => void failures.push({ step, error, final }),
    event: async () => undefined,
    cancelRequested: async () => false,
    finish: async (e) => void (end = e),
  };
  return { journal, failures, end: () => end };
}

const ctx = { onCall: { current: undefined }, tuning: { settleMs: 0 } } as unknown as ClusterContext;
const neutron403 = new OpenStackError({ kind: "Forbidden", service: "network", method: "POST", url: "http://n/v2.0/ports", status: 403, openstackMessage: "rule:create_port is disallowed by policy" });

describe("step retries", () => {
  it("fails a step on its first attempt when the cloud refuses for good, with the cloud's message", async () => {
    let attempts = 0;
    const step = clusterStep("ports", { timeoutMs: 10_000, maxAttempts: 5 }, async () => {
      attempts++;
      throw neutron403;
    });
    const { journal, failures, end } = memoryJournal();
    await runSteps([step], ctx, journal, { signal: new AbortController().signal, retryDelayMs: () => 1, sleep: async () => undefined });
    expect(attempts).toBe(1);
    expect(failures).toEqual([{ step: "ports", error: "network refused POST /v2.0/ports: 403 rule:create_port is disallowed by policy", final: true }]);
    expect(end()).toEqual({ status: "failed", error: "ports: network refused POST /v2.0/ports: 403 rule:create_port is disallowed by policy" });
  });

  it("tries a step once more, a settle later, when its quota is refused right after an interrupted run (that run's requests may hold it)", async () => {
    const overQuota = new OpenStackError({ kind: "QuotaExceeded", service: "network", method: "POST", url: "http://n/v2.0/ports", status: 409, openstackMessage: "Quota exceeded for resources: ['port']." });
    const resumedCtx = { onCall: { current: undefined }, tuning: { settleMs: 50 } } as unknown as ClusterContext;
    let attempts = 0;
    const step = clusterStep("ports", { timeoutMs: 10_000, maxAttempts: 5 }, async () => {
      attempts++;
      throw overQuota;
    });
    const { journal, failures, end } = memoryJournal();
    journal.steps = async () => [{ name: "ports", status: "running", attempt: 2 }] as Awaited<ReturnType<Journal["steps"]>>;
    const slept: number[] = [];
    await runSteps([step], resumedCtx, journal, { signal: new AbortController().signal, retryDelayMs: () => 1, sleep: async (ms) => void slept.push(ms) });
    // The resumed attempt fails retryably and the engine waits a settle (its Retry-After) before the next one, which
    // is not resumed: the same refusal is final.
    expect(attempts).toBe(2);
    expect(slept).toEqual([50]);
    expect(failures.map((f) => f.final)).toEqual([false, true]);
    expect(failures[0].error).toMatch(/Quota exceeded .*right after an interrupted run: listing again/);
    expect(end()).toEqual({ status: "failed", error: "ports: network refused POST /v2.0/ports: 409 Quota exceeded for resources: ['port']." });
  });

  it("stops the run without spending an attempt when the step's error is the runner's own trouble (the database gone)", async () => {
    const databaseGone = new Error("Connection terminated unexpectedly");
    const step = clusterStep("wait-bootstrap-complete", { timeoutMs: 10_000, maxAttempts: 1 }, async () => {
      throw databaseGone;
    });
    const { journal, failures, end } = memoryJournal();
    const started: number[] = [];
    journal.stepStarted = async (_step, attempt) => void started.push(attempt);
    const run = runSteps([step], ctx, journal, { signal: new AbortController().signal, retryDelayMs: () => 1, sleep: async () => undefined, interrupts: (e) => e === databaseGone });
    // null: interrupted, for the next run to resume; the step was neither failed nor the operation finished
    expect(await run).toBeNull();
    expect(started).toEqual([1]);
    expect(failures).toEqual([]);
    expect(end()).toBeUndefined();
  });

  it("waits at least the cloud's Retry-After before trying a rate-limited step again", async () => {
    const limited = new OpenStackError({ kind: "RateLimited", service: "compute", method: "POST", url: "http://c/servers", status: 429 });
    limited.retryAfterMs = 7_000;
    let attempts = 0;
    const step: StepDefinition<unknown> = {
      name: "bootstrap",
      timeoutMs: 10_000,
      maxAttempts: 3,
      run: async () => {
        if (++attempts === 1) throw limited;
        return {};
      },
    };
    const slept: number[] = [];
    const { journal, end } = memoryJournal();
    await runSteps([step], ctx, journal, { signal: new AbortController().signal, retryDelayMs: () => 1_000, sleep: async (ms) => void slept.push(ms) });
    expect(slept).toEqual([7_000]);
    expect(end()).toEqual({ status: "succeeded" });
  });
});
