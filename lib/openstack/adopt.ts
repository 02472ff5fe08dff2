// Creates are POSTs: never repeated blindly. When a create's outcome is unknown (no answer, 5xx, 429), what it
// would have made is looked up ONCE by what identifies it (name + network, name + metadata…) and adopted; only what
// that listing does not show is created again, within the session's retry budget. The same holds for a bulk create
// (Neutron's are atomic: all or none), where one listing settles every item of the lost request.
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
}

export interface Adopted<T> {
  resource: T;
  /** False when an existing resource was adopted instead of a new one created by this call. */
  created: boolean;
}

export interface CreateOrAdoptAllSpec<T> extends CallOptions {
  service: ServiceType;
  /** What is being created, for error messages ("ports of tripod-abc"). */
  describe: string;
  /** What identifies each resource to create (its name); the result comes back in this order. */
  keys: readonly string[];
  keyOf: (resource: T) => string;
  /** One request creating exactly these (a bulk POST, or a single POST for one key). */
  create: (keys: string[]) => Promise<T[]>;
  /** One listing of every existing resource among these keys. */
  find: (keys: string[]) => Promise<T[]>;
  adoptExisting?: boolean;
}

function ambiguous(service: ServiceType, describe: string, key: string, count: number): OpenStackError {
  return new OpenStackError(
    { kind: "Ambiguous", service, method: "POST", url: describe },
    `${count} resources match ${key === describe ? describe : `${describe}: ${key}`}; refusing to guess which one is ours`,
  );
}

/** No answer, or a gateway's 502/504: the request may still be in the cloud's hands (e.g. a slow Neutron). */
function mayStillBeRunning(err: unknown): boolean {
  return err instanceof OpenStackError && (err.kind === "ConnectionFailed" || err.status === 502 || err.status === 504);
}

/** Creates every key that does not exist yet, adopting what a lost request (or, with adoptExisting, a past run) made. */
export async function createOrAdoptAll<T>(session: Session, spec: CreateOrAdoptAllSpec<T>): Promise<Adopted<T>[]> {
  const got = new Map<string, Adopted<T>>();
  const missing = () => spec.keys.filter((k) => !got.has(k));
  const adopt = (found: T[]) => {
    const byKey = new Map<string, T[]>();
    for (const r of found) byKey.set(spec.keyOf(r), [...(byKey.get(spec.keyOf(r)) ?? []), r]);
    for (const [key, same] of byKey) {
      if (!spec.keys.includes(key) || got.has(key)) continue;
      if (same.length > 1) throw ambiguous(spec.service, spec.describe, key, same.length);
      got.set(key, { resource: same[0], created: false });
    }
  };
  if (spec.adoptExisting && spec.keys.length > 0) adopt(await spec.find([...spec.keys]));
  const budget = session.retryBudget();
  while (missing().length > 0) {
    const wanted = missing();
    try {
      const made = await spec.create(wanted);
      for (const resource of made) got.set(spec.keyOf(resource), { resource, created: true });
      if (missing().some((k) => wanted.includes(k))) {
        throw new Error(`the cloud answered the create of ${spec.describe} without ${missing().join(", ")}`);
      }
    } catch (err) {
      if (!isRetryable(err)) throw err;
      // The create may have been applied: after letting a request that may still run finish (the session's retry
      // policy says how long), one listing says what it made; only the rest is sent again.
      const settling = mayStillBeRunning(err);
      if (settling && !(await budget.settle(spec.signal))) throw err;
      adopt(await findAfterFailure(spec, wanted, budget));
      if (missing().length > 0 && !settling && !(await budget.wait(spec.signal))) throw err;
    }
  }
  return spec.keys.map((k) => got.get(k)!);
}

export async function createOrAdopt<T>(session: Session, spec: CreateOrAdoptSpec<T>): Promise<Adopted<T>> {
  const key = spec.describe;
  const [one] = await createOrAdoptAll<T>(session, {
    ...spec,
    keys: [key],
    keyOf: () => key,
    create: async () => [await spec.create()],
    find: async () => {
      const found = await spec.find();
      if (found.length > 1) throw ambiguous(spec.service, spec.describe, key, found.length);
      return found;
    },
  });
  return one;
}

async function findAfterFailure<T>(spec: CreateOrAdoptAllSpec<T>, keys: string[], budget: RetryBudget): Promise<T[]> {
  for (;;) {
    try {
      return await spec.find(keys);
    } catch (err) {
      if (!isRetryable(err) || !(await budget.wait(spec.signal))) throw err;
    }
  }
}
