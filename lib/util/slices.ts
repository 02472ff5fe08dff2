// Long loops on the dashboard's one thread, in slices: between two slices the requests that came meanwhile run, so
// that work of a few hundred milliseconds (a Prometheus scrape at 1,000 clusters) does not hold every other request.

/** A slice's length: about what a poll's answer costs ten times over. */
export const SLICE_MS = 5;

/**
 * A check to await between a loop's items: it gives way to the event loop (setImmediate: after the I/O that waits)
 * once the current slice has run `sliceMs`, and is otherwise a resolved promise.
 */
export function slicer(sliceMs = SLICE_MS, now: () => number = () => performance.now()): () => Promise<void> {
  let sliceStart = now();
  return async () => {
    if (now() - sliceStart < sliceMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    sliceStart = now();
  };
}
