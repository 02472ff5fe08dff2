import type { StepDefinition, StepIo, StepOutputs } from "../engine";
import type { ClusterContext } from "../context";

export type ClusterStep = StepDefinition<ClusterContext>;

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
        return await run(ctx, io);
      } finally {
        ctx.onCall.current = undefined;
      }
    },
  };
}

/** Runs `fn` over `items` with at most `limit` in flight; rejects with the first error after all settled. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
  return results;
}
