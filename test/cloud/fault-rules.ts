// The pure half of the fault proxy (fault-proxy.ts): which fault a request gets, and how the origins of
// the OpenStack endpoints are found in a Keystone response and swapped for the proxy's own listeners.

/** Probabilities (0..1) per request, plus a fixed delay added to every request. */
export interface FaultRates {
  /** Answer 503 without forwarding (the request has no effect). */
  status5xx: number;
  /** Answer 409 without forwarding; only for requests that change something (POST, PUT, PATCH, DELETE). */
  status409: number;
  /** Answer 429 with Retry-After: 1, without forwarding. */
  status429: number;
  /** Destroy the client's connection without forwarding and without an answer. */
  reset: number;
  /** Forward, let the cloud act, then destroy the connection: the effect happened, the answer is lost. */
  lostResponse: number;
  /** Answer 401 as if the token had expired; only for requests that carry X-Auth-Token. */
  tokenExpiry: number;
  /** Forward, let the cloud act, then answer 500 instead of its answer (a service that failed after acting). */
  errorAfterEffect: number;
  /** Milliseconds added before every request is handled, faulted or not. */
  latencyMs: number;
}

export type FaultKind = "status5xx" | "status409" | "status429" | "reset" | "lostResponse" | "tokenExpiry" | "errorAfterEffect";
export const FAULT_KINDS: readonly FaultKind[] = [
  "reset",
  "lostResponse",
  "status5xx",
  "status429",
  "status409",
  "tokenExpiry",
  "errorAfterEffect",
];

export const NO_FAULTS: FaultRates = {
  status5xx: 0,
  status409: 0,
  status429: 0,
  reset: 0,
  lostResponse: 0,
  tokenExpiry: 0,
  errorAfterEffect: 0,
  latencyMs: 0,
};

export class InvalidFaultRatesError extends Error {
  constructor(readonly field: keyof FaultRates | "sum", readonly value: number) {
    super(`fault rate ${field} = ${value} is out of range`);
    this.name = "InvalidFaultRatesError";
  }
}

/** Complete partial rates with zeros and check them: each probability in [0, 1], their sum at most 1. */
export function normaliseRates(partial: Partial<FaultRates>): FaultRates {
  const rates: FaultRates = { ...NO_FAULTS, ...partial };
  for (const kind of FAULT_KINDS) {
    const p = rates[kind];
    if (!(p >= 0 && p <= 1)) throw new InvalidFaultRatesError(kind, p);
  }
  if (!(rates.latencyMs >= 0)) throw new InvalidFaultRatesError("latencyMs", rates.latencyMs);
  const total = FAULT_KINDS.reduce((sum, kind) => sum + rates[kind], 0);
  if (total > 1 + 1e-9) throw new InvalidFaultRatesError("sum", total);
  return rates;
}

export interface RequestTraits {
  method: string;
  hasToken: boolean;
}

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Kinds that make sense for this request (a 409 on a GET or an expired token on a login would be fiction). */
export function applicableKinds(request: RequestTraits): FaultKind[] {
  return FAULT_KINDS.filter((kind) => {
    if (kind === "status409") return MUTATING.has(request.method.toUpperCase());
    if (kind === "tokenExpiry") return request.hasToken;
    return true;
  });
}

/**
 * The fault for one request, from one uniform draw in [0, 1): the applicable kinds take consecutive slices of
 * the unit interval, each as wide as its rate; a draw beyond them all means "forward untouched" (null).
 */
export function decideFault(rates: FaultRates, request: RequestTraits, draw: number): FaultKind | null {
  let upper = 0;
  for (const kind of applicableKinds(request)) {
    upper += rates[kind];
    if (draw < upper) return kind;
  }
  return null;
}

/** Small deterministic PRNG (mulberry32): the same seed gives the same sequence of faults. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface CatalogEndpoint {
  url?: unknown;
}
interface CatalogService {
  type?: unknown;
  endpoints?: CatalogEndpoint[];
}

function catalogOf(body: unknown): CatalogService[] {
  if (typeof body !== "object" || body === null) return [];
  const record = body as { token?: { catalog?: unknown }; catalog?: unknown };
  const catalog = record.token?.catalog ?? record.catalog;
  return Array.isArray(catalog) ? (catalog as CatalogService[]) : [];
}

/**
 * The distinct origins (scheme://host:port) of the endpoints in a token or catalog response body, each with
 * the service types it serves (sorted), in origin order.
 */
export function catalogOrigins(body: unknown): Map<string, string[]> {
  const types = new Map<string, Set<string>>();
  for (const service of catalogOf(body)) {
    for (const endpoint of service.endpoints ?? []) {
      if (typeof endpoint.url !== "string") continue;
      let origin: string;
      try {
        origin = new URL(endpoint.url).origin;
      } catch {
        continue; // Not a URL (a catalog template gone wrong): leave it alone, clients will fail on it anyway.
      }
      const served = types.get(origin) ?? new Set<string>();
      if (typeof service.type === "string") served.add(service.type);
      types.set(origin, served);
    }
  }
  return new Map([...types.keys()].sort().map((origin) => [origin, [...types.get(origin)!].sort()]));
}

/**
 * Replace every upstream origin (followed by "/", a quote or the end) with its proxy origin. Used on whole
 * response bodies, so the catalog, version documents and pagination links all lead back through the proxy.
 */
export function rewriteOrigins(text: string, proxyOrigins: ReadonlyMap<string, string>): string {
  let out = text;
  for (const [upstream, proxy] of proxyOrigins) {
    const escaped = upstream.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    out = out.replace(new RegExp(`${escaped}(?=[/"'\\s]|$)`, "g"), proxy);
  }
  return out;
}
