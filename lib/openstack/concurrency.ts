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
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
  return results;
}

/** Promise.all over thunks with at most `limit` running at once (a tuple of differently typed results). */
export function allLimited<T extends readonly unknown[]>(limit: number, tasks: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
  return mapLimit(tasks as readonly (() => Promise<unknown>)[], limit, (task) => task()) as unknown as Promise<T>;
}
