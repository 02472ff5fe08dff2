import type { z } from "zod";
import { sleep } from "@/lib/util/sleep";
import { classifyError, cloudMessage, isQuotaExceeded, OpenStackError } from "@/lib/openstack/errors";
import { TerminalError, type StepDefinition, type StepIo, type StepOutputs } from "../engine";
import { ownedBy, type Marked } from "@/lib/plan";
import type { ClusterContext } from "../context";

export type ClusterStep = StepDefinition<ClusterContext>;

/**
 * Whether a listed resource is this cluster's: its tag or Nova metadata, else one of the plan's exact names with no
 * other cluster's mark (lib/plan `ownedBy`). Steps and reapers never go by name prefix.
 */
export const isOurs = (ctx: ClusterContext, r: Marked) => ownedBy(ctx.plan, r, ctx.plannedNames);

/** A step whose OpenStack calls are counted into the step's record. */
export function clusterStep(
  name: string,
  limits: { timeoutMs: number; maxAttempts: number },
  run: (ctx: ClusterContext, io: StepIo) => Promise<StepOutputs | void>,
): ClusterStep {
  return {
    name,
    ...limits,
    async run(ctx, io) {
      ctx.onCall.current = () => io.countCall();
      try {
        if (io.resumed) {
          await io.event("warning", `resuming ${name} after an interrupted run: waiting ${ctx.tuning.settleMs / 1000} s for its requests in flight`);
          await sleep(ctx.tuning.settleMs, io.signal);
        }
        return await run(ctx, io);
      } catch (error) {
        // The one translation of the cloud's errors into the engine's: what cannot heal fails the step at once.
        if (error instanceof OpenStackError && classifyError(error) === "terminal") {
          // Except a quota refused right after an interrupted run: that run's own requests (a bulk create of every
          // port) may still be running in the cloud and hold it. One attempt more, a settle later, lists again and
          // adopts what they made; a quota that is really full fails that attempt for good.
          if (io.resumed && isQuotaExceeded(error)) {
            throw Object.assign(new Error(`${cloudMessage(error)} (right after an interrupted run: listing again)`), { retryAfterMs: ctx.tuning.settleMs });
          }
          throw new TerminalError(cloudMessage(error));
        }
        throw error;
      } finally {
        ctx.onCall.current = undefined;
      }
    },
  };
}

/** What an earlier step recorded, checked against the schema of its outputs (a later step never guesses a shape). */
export function outputOf<S extends z.ZodType>(io: StepIo, step: string, schema: S): z.output<S> {
  const parsed = schema.safeParse(io.outputsOf(step));
  if (!parsed.success) throw new TerminalError(`the ${step} step has not recorded what this step needs; run it first`);
  return parsed.data;
}

export { mapLimit } from "@/lib/openstack/concurrency";

/**
 * Exactly one of a resource that has no unique key in the cloud (servers, security groups, server groups): a create
 * that was in flight when a worker died can still land after the next run created its own. Keeps the one the
 * ledger knows (else the first listed) and deletes the others.
 */
export async function keepOne<T extends { id: string }>(found: T[], knownId: string | undefined, remove: (item: T) => Promise<unknown>): Promise<{ kept: T | undefined; removed: T[] }> {
  if (found.length <= 1) return { kept: found[0], removed: [] };
  const kept = found.find((f) => f.id === knownId) ?? found[0];
  const removed = found.filter((f) => f !== kept);
  for (const r of removed) await remove(r);
  return { kept, removed };
}

export const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
