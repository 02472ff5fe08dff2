import { setMaxListeners } from "node:events";
import type { StepStatus } from "@/lib/domain";

// Runs one operation's steps in order, durably: every step's status, attempt, timing, API-call count, outputs and
// error go to the journal before the next step starts, so a run that dies anywhere resumes at the first step that
// had not succeeded. Steps are ensures (look up, adopt or create), so running one again after a crash is safe.
// The engine knows nothing of OpenStack or Prisma: steps and the journal come in as values.

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type StepOutputs = Record<string, Json>;

/** A failure that retrying cannot fix (bad input, quota, a refused request): the operation stops and says why. */
export class TerminalError extends Error {
  readonly name = "TerminalError";
  constructor(
    message: string,
    readonly fieldErrors: Record<string, string> = {},
  ) {
    super(message);
  }
}

export class CancelledError extends Error {
  readonly name = "CancelledError";
  constructor() {
    super("the operation was cancelled");
  }
}

export class StepTimeoutError extends Error {
  readonly name = "StepTimeoutError";
  constructor(step: string, ms: number) {
    super(`step ${step} did not finish within ${Math.round(ms / 1000)} s`);
  }
}

export type EventLevel = "info" | "warning" | "error";

export interface StepIo {
  signal: AbortSignal;
  event(level: EventLevel, message: string): Promise<void>;
  /** Outputs of an earlier step of this operation (e.g. the temp URL the upload step made). */
  outputsOf(step: string): StepOutputs | undefined;
  /** Counts the API calls of the step (wired to the OpenStack client's request hook). */
  countCall(): void;
  /**
   * True when an earlier run died inside this step: requests it had sent may still be in flight at the cloud, so
   * the step lets them settle before it looks for what they made.
   */
  resumed: boolean;
}

export interface StepDefinition<Ctx> {
  name: string;
  timeoutMs: number;
  /** Attempts before a non-terminal error fails the operation. */
  maxAttempts: number;
  run(ctx: Ctx, io: StepIo): Promise<StepOutputs | void>;
}

export interface StepRecord {
  name: string;
  status: StepStatus;
  attempt: number;
  outputs: StepOutputs | undefined;
}

export type OperationEnd = { status: "succeeded" } | { status: "failed"; error: string } | { status: "cancelled" };

/** Where the engine writes; the Prisma journal in production, the same interface in unit tests. */
export interface Journal {
  steps(): Promise<StepRecord[]>;
  stepStarted(step: string, attempt: number): Promise<void>;
  stepSucceeded(step: string, outputs: StepOutputs, apiCalls: number): Promise<void>;
  stepFailed(step: string, error: string, apiCalls: number, final: boolean): Promise<void>;
  event(level: EventLevel, step: string | null, message: string): Promise<void>;
  cancelRequested(): Promise<boolean>;
  finish(end: OperationEnd): Promise<void>;
}

export interface EngineOptions {
  signal: AbortSignal;
  /** Delay before attempt n+1 of a step (n starts at 1). */
  retryDelayMs(attempt: number): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /**
   * A step's error that is the runner's own trouble, not the step's (the database unavailable under it): the run
   * stops as if interrupted, the step left running for the next run, instead of spending one of its attempts.
   */
  interrupts?(error: unknown): boolean;
}

/** Aborted from outside for a reason other than a cancel: lease lost or process stopping. */
function interrupted(signal: AbortSignal): boolean {
  return signal.aborted && !(signal.reason instanceof CancelledError);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs the remaining steps. Returns how the operation ended, or null when the run was interrupted from outside
 * (lease lost, process stopping) and another run must resume it.
 */
export async function runSteps<Ctx>(
  steps: StepDefinition<Ctx>[],
  ctx: Ctx,
  journal: Journal,
  options: EngineOptions,
): Promise<OperationEnd | null> {
  const records = new Map((await journal.steps()).map((r) => [r.name, r]));
  const outputs = new Map<string, StepOutputs>();
  for (const [name, r] of records) if (r.outputs) outputs.set(name, r.outputs);

  for (const step of steps) {
    const record = records.get(step.name);
    if (record?.status === "succeeded") continue;
    let attempt = record?.attempt ?? 0;
    let resumed = record?.status === "running";
    for (;;) {
      if (interrupted(options.signal)) return null;
      if (options.signal.aborted || (await journal.cancelRequested())) {
        await journal.event("warning", step.name, "cancelled before this step");
        const end: OperationEnd = { status: "cancelled" };
        await journal.finish(end);
        return end;
      }
      attempt += 1;
      await journal.stepStarted(step.name, attempt);
      await journal.event("info", step.name, attempt === 1 ? `${step.name} started` : `${step.name} attempt ${attempt}`);
      let apiCalls = 0;
      const stepAbort = new AbortController();
      // Every in-flight request of a step listens on this signal; steps run many at once.
      setMaxListeners(1000, stepAbort.signal);
      const onOuterAbort = () => stepAbort.abort(options.signal.reason);
      options.signal.addEventListener("abort", onOuterAbort, { once: true });
      const timer = setTimeout(() => stepAbort.abort(new StepTimeoutError(step.name, step.timeoutMs)), step.timeoutMs);
      const io: StepIo = {
        signal: stepAbort.signal,
        event: (level, message) => journal.event(level, step.name, message),
        outputsOf: (name) => outputs.get(name),
        countCall: () => {
          apiCalls += 1;
        },
        resumed,
      };
      resumed = false;
      try {
        const produced = (await step.run(ctx, io)) ?? {};
        await journal.stepSucceeded(step.name, produced, apiCalls);
        await journal.event("info", step.name, `${step.name} succeeded (${apiCalls} API calls)`);
        outputs.set(step.name, produced);
        break;
      } catch (error) {
        if (interrupted(options.signal)) return null; // leave the step "running": the next run redoes it
        const reason = stepAbort.signal.aborted ? stepAbort.signal.reason : error;
        if (options.interrupts?.(reason)) return null;
        if (reason instanceof CancelledError) {
          await journal.event("warning", step.name, `cancelled during ${step.name}`);
          const end: OperationEnd = { status: "cancelled" };
          await journal.finish(end);
          return end;
        }
        const final = reason instanceof TerminalError || attempt >= step.maxAttempts;
        await journal.stepFailed(step.name, errorText(reason), apiCalls, final);
        await journal.event(final ? "error" : "warning", step.name, `${step.name} failed: ${errorText(reason)}`);
        if (final) {
          const end: OperationEnd = { status: "failed", error: `${step.name}: ${errorText(reason)}` };
          await journal.finish(end);
          return end;
        }
        // A failure that says when to come back (the cloud's Retry-After) is not tried again sooner.
        const hinted = (reason as { retryAfterMs?: unknown } | null)?.retryAfterMs;
        const delay = Math.max(options.retryDelayMs(attempt), typeof hinted === "number" ? hinted : 0);
        await options.sleep(delay, options.signal).catch(() => undefined);
      } finally {
        clearTimeout(timer);
        options.signal.removeEventListener("abort", onOuterAbort);
      }
    }
  }
  const end: OperationEnd = { status: "succeeded" };
  await journal.finish(end);
  return end;
}
