// Counts, lists and operations inside the pages' sentences.

import { isActiveOperation } from "@/lib/domain";

/** "1 cluster", "3 clusters"; `many` where the plural is not the noun and an s ("1 needs approval", "2 need approval"). */
export function counted(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "a", "a or b", "a, b or c" (with "and" likewise). */
export function listed(xs: string[], last: "or" | "and"): string {
  return xs.length <= 1 ? (xs[0] ?? "") : `${xs.slice(0, -1).join(", ")} ${last} ${xs[xs.length - 1]}`;
}

/**
 * An operation and its step as the lists say it: "create running (ports)" while the step runs, "create failed at
 * ports" where a failed or cancelled one stopped, "teardown succeeded" with no step.
 */
export function operationAt(op: { kind: string; status: string; step: string | null }): string {
  const step = op.step ? (isActiveOperation(op.status) ? ` (${op.step})` : ` at ${op.step}`) : "";
  return `${op.kind} ${op.status}${step}`;
}
