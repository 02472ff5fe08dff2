// Creates are POSTs: never repeated blindly. When a create's outcome is unknown (no answer, 5xx, 429), the
// resource is looked up by what identifies it (name + network, name + metadata…) and adopted if it exists;
// only when it does not is the create sent again, within the session's retry budget.
import type { CallOptions, RetryBudget, Session } from "./client";
import { isRetryable, OpenStackError, type ServiceType } from "./errors";

export interface CreateOrAdoptSpec<T> extends CallOptions {
  service: ServiceType;
  /** What is being created, for error messages ("port tripod-abc-master-0-public"). */
  describe: string;
  create: () => Promise<T>;
  /** Every existing resource that this create would have made. */
  find: () => Promise<T[]>;
  /** Look before the first create too (an "ensure"): adopt a resource left by an earlier run. */
  adoptExisting?: boolean;
  /**
   * After a create that got no answer (reset, timeout) or a gateway error, the cloud may still be working on it:
   * an empty lookup is repeated once after this long before the create is sent again. Default 5 s.
   */
  settleMs?: number;
}

export interface Adopted<T> {
  resource: T;
  /** False when an existing resource was adopted instead of a new one created by this call. */
  created: boolean;
}

function single<T>(spec: CreateOrAdoptSpec<T>, found: T[]): T | undefined {
  if (found.length > 1) {
    throw new OpenStackError(
      { kind: "Ambiguous", service: spec.service, method: "POST", url: spec.describe },
      `${found.length} resources match ${spec.describe}; refusing to guess which one is ours`,
    );
  }
  return found[0];
}

export async function createOrAdopt<T>(session: Session, spec: CreateOrAdoptSpec<T>): Promise<Adopted<T>> {
  if (spec.adoptExisting) {
    const existing = single(spec, await spec.find());
    if (existing) return { resource: existing, created: false };
  }
  const budget = session.retryBudget();
  for (;;) {
    try {
      return { resource: await spec.create(), created: true };
    } catch (err) {
      if (!isRetryable(err)) throw err;
      // The create may have been applied: look for it (always at least once) before deciding to send it again.
      let adopted = await findAfterFailure(spec, budget);
      if (!adopted && mayStillBeRunning(err)) {
        if (!(await budget.wait(spec.signal, spec.settleMs ?? 5_000))) throw err;
        adopted = await findAfterFailure(spec, budget);
      }
      if (adopted) return { resource: adopted, created: false };
      if (!(await budget.wait(spec.signal))) throw err;
    }
  }
}

/** No answer, or a gateway's 502/504: the request may still be in the cloud's hands (e.g. a slow Neutron). */
function mayStillBeRunning(err: unknown): boolean {
  return err instanceof OpenStackError && (err.kind === "ConnectionFailed" || err.status === 502 || err.status === 504);
}

async function findAfterFailure<T>(spec: CreateOrAdoptSpec<T>, budget: RetryBudget): Promise<T | undefined> {
  for (;;) {
    try {
      return single(spec, await spec.find());
    } catch (err) {
      if (!isRetryable(err) || !(await budget.wait(spec.signal))) throw err;
    }
  }
}
