// Waiting on the cloud: one read per poll, fast at first (most waits end within seconds) and slower the longer it
// takes, so that a long wait costs few calls.
import { sleep } from "@/lib/util/sleep";
import type { CallOptions, Session } from "./client";

export interface PollOpts extends CallOptions {
  /** Give up after this long (default 5 min). */
  timeoutMs?: number;
  /** The longest pause between two reads (default 1 s); the pauses grow by half from `firstIntervalMs` up to it. */
  intervalMs?: number;
  /** The first pause (default: 500 ms, or intervalMs when smaller). */
  firstIntervalMs?: number;
}

/** The pause before the read after `reads` reads: first·1.5^(reads−1), capped at the interval. */
export function pollDelay(reads: number, opts: Pick<PollOpts, "intervalMs" | "firstIntervalMs">): number {
  const max = opts.intervalMs ?? 1_000;
  const first = Math.min(opts.firstIntervalMs ?? 500, max);
  return Math.min(max, Math.round(first * 1.5 ** Math.max(0, reads - 1)));
}

/**
 * Reads until `read` returns something other than undefined; `pending` says what is still awaited, for the timeout's
 * message. Errors thrown by `read` end the wait.
 */
export async function pollUntil<T>(session: Session, read: () => Promise<T | undefined>, pending: () => string, opts: PollOpts = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 300_000;
  const deadline = session.now() + timeoutMs;
  for (let reads = 1; ; reads++) {
    const done = await read();
    if (done !== undefined) return done;
    if (session.now() >= deadline) throw new Error(`${pending()} after ${timeoutMs} ms`);
    await sleep(Math.min(pollDelay(reads, opts), Math.max(0, deadline - session.now())), opts.signal);
  }
}
