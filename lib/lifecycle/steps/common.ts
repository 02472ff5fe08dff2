import type { z } from "zod";
import { sleep } from "@/lib/util/sleep";
import { TerminalError, type StepDefinition, type StepIo, type StepOutputs } from "../engine";
import type { ClusterContext } from "../context";

export type ClusterStep = StepDefinition<ClusterContext>;

/** The cluster's own resources carry its infra id as name prefix (a create that died before tagging has no tag). */
export const ownName = (ctx: ClusterContext, name: string) => name.startsWith(`${ctx.infraId}-`);

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
