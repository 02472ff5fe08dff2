// The one place for the cross-cutting concerns of talking to OpenStack: Keystone auth and the token cache
// (single-flight re-auth on 401 and before expiry), endpoint lookup in the catalog, retries with backoff for
// idempotent requests, the request hook, TLS (custom CA), and per-session memos (microversions, Swift /info).
import http from "node:http";
import https from "node:https";
import axios, { type AxiosInstance, isAxiosError } from "axios";
import { abortError, sleep } from "@/lib/util/sleep";
import { errorFromResponse, isRetryable, OpenStackError, type ServiceType } from "./errors";
import { toQueryString, type Query } from "./query";
import { describeAuth, toAuthRequestBody, type AuthOptions } from "./keystone/tokens/requests";
import { parseToken, type CatalogEntry, type Token } from "./keystone/tokens/results";
import { identityV3Root, tokensUrl } from "./keystone/tokens/urls";

export type { AuthOptions, PasswordAuth, ApplicationCredentialAuth } from "./keystone/tokens/requests";
export type { ServiceType } from "./errors";

export type HttpMethod = "GET" | "HEAD" | "PUT" | "POST" | "DELETE" | "PATCH";
export type EndpointInterface = "public" | "internal" | "admin";

export interface RetryPolicy {
  /** Give up retrying once this much time has passed since the first attempt. */
  maxElapsedMs: number;
  /** First backoff ceiling; doubles per attempt ("full jitter": the delay is uniform in [0, ceiling]). */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * After a create that got no answer (reset, timeout) or a gateway error, the cloud may still be working on it:
   * createOrAdopt waits this long before it looks, so that one listing settles it.
   */
  settleMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxElapsedMs: 60_000, baseDelayMs: 200, maxDelayMs: 5_000, settleMs: 5_000 };
export const NO_RETRY: RetryPolicy = { maxElapsedMs: 0, baseDelayMs: 0, maxDelayMs: 0, settleMs: 0 };

/** One HTTP exchange (every attempt, including Keystone auth); `status` is undefined when no answer came. */
export interface RequestEvent {
  service: ServiceType;
  method: HttpMethod;
  path: string;
  status?: number;
  ms: number;
  attempt: number;
}
export type RequestHook = (event: RequestEvent) => void;

export interface SessionOptions {
  authUrl: string;
  auth: AuthOptions;
  region?: string;
  interface?: EndpointInterface;
  /** PEM text of the CA bundle that signs the cloud's TLS certificates (clouds.yaml `cacert` is read into this). */
  caBundle?: string;
  insecure?: boolean;
  retry?: Partial<RetryPolicy>;
  onRequest?: RequestHook;
  /** Per attempt; the overall bound is the retry policy's maxElapsedMs (plus one attempt). */
  timeoutMs?: number;
  /** Re-authenticate this long before the token expires (capped at a quarter of the token's lifetime). */
  tokenRefreshMarginMs?: number;
  /** Highest compute microversion to negotiate (to speak to Nova like an older client). */
  maxComputeMicroversion?: string;
  now?: () => number;
  random?: () => number;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/**
 * A body too large to hold in memory (a bootstrap Ignition config of tens of MB): opened anew for every attempt —
 * a retry, the request sent again after a re-auth — and sent with its length.
 */
export interface StreamedBody {
  length: number;
  open: () => NodeJS.ReadableStream;
}

export type RequestBody = Buffer | string | StreamedBody;

const isStreamed = (body: RequestBody | undefined): body is StreamedBody => typeof body === "object" && !Buffer.isBuffer(body);

export interface ServiceRequest extends CallOptions {
  service: ServiceType;
  method: HttpMethod;
  /** Appended to the catalog endpoint (or, for identity, to the Keystone v3 root). */
  path: string;
  /** An absolute URL instead of endpoint + path (Swift's /info lives at the root of the endpoint's host). */
  url?: string;
  query?: Query;
  json?: unknown;
  body?: RequestBody;
  headers?: Record<string, string>;
  /** Safe to repeat although the method says otherwise (a POST that only reads, or whose repeat is detected). */
  idempotent?: boolean;
}

export interface ServiceResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  data: unknown;
}

// Node's certificate verification codes (DEPTH_ZERO_SELF_SIGNED_CERT, UNABLE_TO_VERIFY_LEAF_SIGNATURE,
// ERR_TLS_CERT_ALTNAME_INVALID, CERT_HAS_EXPIRED…).
const TLS_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/;

const IDEMPOTENT_METHODS: ReadonlySet<HttpMethod> = new Set(["GET", "HEAD", "PUT", "DELETE"]);

export function isIdempotent(method: HttpMethod, override?: boolean): boolean {
  return override ?? IDEMPOTENT_METHODS.has(method);
}

/** Full-jitter exponential backoff: uniform in [0, min(maxDelay, base·2^attempt)]. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Catalog lookup by service type, interface and (optionally) region, as keystoneauth does it. */
export function findEndpoint(
  catalog: readonly CatalogEntry[],
  service: ServiceType,
  opts: { region?: string; interface?: EndpointInterface },
): string | undefined {
  const wanted = opts.interface ?? "public";
  for (const entry of catalog.filter((e) => e.type === service)) {
    const match = entry.endpoints.find(
      (e) => e.interface === wanted && (!opts.region || e.regionId === opts.region || e.region === opts.region),
    );
    if (match) return match.url;
  }
  return undefined;
}

// Resource paths carry the API version for Neutron (/v2.0/...) and Glance (/v2/...); catalogs differ on whether the
// endpoint already ends with it.
function endpointBase(service: ServiceType, url: string): string {
  const trimmed = url.replace(/\/+$/, "");
  if (service === "network") return trimmed.replace(/\/v2\.0$/, "");
  if (service === "image") return trimmed.replace(/\/v2$/, "");
  return trimmed;
}

/** The backoff schedule of one logical operation, shared by the client's retries and createOrAdopt. */
export class RetryBudget {
  private attempt = 0;
  private readonly deadline: number;

  constructor(
    private readonly policy: RetryPolicy,
    private readonly now: () => number,
    private readonly random: () => number,
  ) {
    this.deadline = now() + policy.maxElapsedMs;
  }

  /** Waits before the next attempt; false (without waiting) when the time budget does not allow one. */
  async wait(signal: AbortSignal | undefined, atLeastMs = 0): Promise<boolean> {
    const delay = Math.max(atLeastMs, backoffDelay(this.attempt, this.policy, this.random));
    if (this.now() + delay > this.deadline) return false;
    this.attempt += 1;
    await sleep(delay, signal);
    return true;
  }

  /** Waits the policy's settle time (at least) before a lookup after a create that may still run; false as `wait`. */
  settle(signal: AbortSignal | undefined): Promise<boolean> {
    return this.wait(signal, this.policy.settleMs);
  }
}

interface Exchange {
  service: ServiceType;
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  body?: RequestBody;
  signal?: AbortSignal;
  attempt: number;
}

export class Session {
  // Private: it holds the credentials.
  private readonly options: Readonly<SessionOptions>;
  readonly retryPolicy: RetryPolicy;
  readonly now: () => number;
  readonly random: () => number;
  private readonly http: AxiosInstance;
  private token?: Token;
  private authInFlight?: Promise<Token>;
  private readonly memos = new Map<string, Promise<unknown>>();

  constructor(options: SessionOptions) {
    this.options = options;
    this.retryPolicy = { ...DEFAULT_RETRY, ...options.retry };
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    // No keep-alive: Zed's uwsgi services close idle sockets, and a POST written to such a socket fails with
    // ECONNRESET after it may or may not have been read; one fresh connection per request avoids the ambiguity.
    this.http = axios.create({
      httpAgent: new http.Agent({ keepAlive: false }),
      httpsAgent: new https.Agent({ keepAlive: false, ca: options.caBundle, rejectUnauthorized: !options.insecure }),
      proxy: false,
      maxRedirects: 0,
      responseType: "arraybuffer",
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      maxBodyLength: Infinity,
      maxContentLength: Infinity,
      timeout: options.timeoutMs ?? 60_000,
    });
  }

  /** The highest compute microversion this session may negotiate, if capped. */
  get maxComputeMicroversion(): string | undefined {
    return this.options.maxComputeMicroversion;
  }

  /** A fresh schedule for an operation that retries on its own (createOrAdopt). */
  retryBudget(): RetryBudget {
    return new RetryBudget(this.retryPolicy, this.now, this.random);
  }

  /** Computes once per session (single-flight); a failure is forgotten so the next call tries again. */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const existing = this.memos.get(key) as Promise<T> | undefined;
    if (existing) return existing;
    const created = compute().catch((err: unknown) => {
      this.memos.delete(key);
      throw err;
    });
    this.memos.set(key, created);
    return created;
  }

  /** The current token, authenticating first when there is none or it is about to expire. */
  async currentToken(opts: CallOptions = {}): Promise<Token> {
    if (this.token && this.now() < this.refreshAt(this.token)) return this.token;
    return this.authenticate(opts.signal);
  }

  async projectId(opts: CallOptions = {}): Promise<string> {
    const token = await this.currentToken(opts);
    if (!token.projectId) throw new Error(`The token of ${describeAuth(this.options.auth)} is not project-scoped`);
    return token.projectId;
  }

  async userId(opts: CallOptions = {}): Promise<string> {
    return (await this.currentToken(opts)).userId;
  }

  /** The catalog URL of a service (identity: the Keystone v3 root the session authenticates against). */
  async endpoint(service: ServiceType, opts: CallOptions = {}): Promise<string> {
    if (service === "identity") return identityV3Root(this.options.authUrl);
    const token = await this.currentToken(opts);
    const url = findEndpoint(token.catalog, service, { region: this.options.region, interface: this.options.interface });
    if (!url) {
      const where = [this.options.interface ?? "public", this.options.region].filter(Boolean).join(", ");
      throw new OpenStackError(
        { kind: "EndpointNotFound", service, method: "GET", url: identityV3Root(this.options.authUrl) },
        `The service catalog has no ${service} endpoint (${where}); the cloud offers: ${
          [...new Set(token.catalog.map((e) => e.type))].join(", ") || "nothing"
        }`,
      );
    }
    return endpointBase(service, url);
  }

  /** One API call: token, endpoint, retries for idempotent requests, one transparent re-auth on 401. */
  async request(req: ServiceRequest): Promise<ServiceResponse> {
    const base = req.url ?? `${await this.endpoint(req.service, req)}${req.path}`;
    const url = `${base}${toQueryString(req.query)}`;
    const headers: Record<string, string> = { Accept: "application/json", ...req.headers };
    let body = req.body;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers["Content-Type"] = "application/json";
    }
    let token = await this.currentToken(req);
    let reauthenticated = false;
    return this.withRetries(req, async (attempt) => {
      const res = await this.exchange({ ...req, url, body, attempt, headers: { ...headers, "X-Auth-Token": token.value } });
      // A 401 means the request was refused before it was processed, so even a POST may be sent again once.
      if (res.status === 401 && !reauthenticated) {
        reauthenticated = true;
        token = await this.reauthenticate(token, req.signal);
        return this.exchange({ ...req, url, body, attempt, headers: { ...headers, "X-Auth-Token": token.value } });
      }
      return res;
    });
  }

  private async withRetries(
    req: { service: ServiceType; method: HttpMethod; idempotent?: boolean; signal?: AbortSignal },
    send: (attempt: number) => Promise<ServiceResponse & { url: string }>,
  ): Promise<ServiceResponse> {
    const budget = this.retryBudget();
    const retry = isIdempotent(req.method, req.idempotent);
    for (let attempt = 0; ; attempt += 1) {
      let error: OpenStackError;
      let waitAtLeast = 0;
      try {
        const res = await send(attempt);
        if (res.status < 400) return res;
        error = errorFromResponse({ service: req.service, method: req.method, url: res.url }, res.status, res.body.toString("utf8"));
        waitAtLeast = retryAfterMs(res.headers["retry-after"], this.now()) ?? 0;
        if (waitAtLeast > 0) error.retryAfterMs = waitAtLeast;
      } catch (err) {
        if (!(err instanceof OpenStackError)) throw err;
        error = err;
      }
      if (!retry || !isRetryable(error) || !(await budget.wait(req.signal, waitAtLeast))) throw error;
    }
  }

  private async exchange(x: Exchange): Promise<ServiceResponse & { url: string }> {
    const started = this.now();
    const path = new URL(x.url).pathname + new URL(x.url).search;
    const report = (status: number | undefined) =>
      this.options.onRequest?.({ service: x.service, method: x.method, path, status, ms: this.now() - started, attempt: x.attempt });
    try {
      const res = await this.http.request<Buffer>({
        method: x.method,
        url: x.url,
        headers: { "User-Agent": "tripod-openstack", ...x.headers, ...(isStreamed(x.body) ? { "Content-Length": String(x.body.length) } : {}) },
        data: isStreamed(x.body) ? x.body.open() : x.body,
        signal: x.signal,
      });
      report(res.status);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = String(v);
      const buffer = Buffer.isBuffer(res.data) ? res.data : Buffer.from(res.data ?? "");
      return { url: x.url, status: res.status, headers, body: buffer, data: parseJson(headers["content-type"], buffer) };
    } catch (err) {
      report(undefined);
      if (x.signal?.aborted) throw abortError(x.signal);
      const code = isAxiosError(err) ? (err.code ?? "") : "";
      throw new OpenStackError({
        kind: TLS_ERROR.test(code) ? "TlsFailed" : "ConnectionFailed",
        service: x.service,
        method: x.method,
        url: x.url,
        openstackMessage: `no answer (${code || (err instanceof Error ? err.message : String(err))})`,
        cause: err,
      });
    }
  }

  private refreshAt(token: Token): number {
    const margin = Math.min(this.options.tokenRefreshMarginMs ?? 300_000, (token.expiresAt - token.issuedAt) / 4);
    return token.expiresAt - margin;
  }

  /** Called with the token a request was refused with; only the first caller re-authenticates (single-flight). */
  private async reauthenticate(refused: Token, signal?: AbortSignal): Promise<Token> {
    if (this.token && this.token !== refused) return this.token;
    this.token = undefined;
    return this.authenticate(signal);
  }

  private authenticate(signal?: AbortSignal): Promise<Token> {
    this.authInFlight ??= this.issueToken(signal).finally(() => {
      this.authInFlight = undefined;
    });
    return this.authInFlight;
  }

  private async issueToken(signal?: AbortSignal): Promise<Token> {
    const url = tokensUrl(this.options.authUrl);
    const who = describeAuth(this.options.auth);
    let res: ServiceResponse;
    try {
      // POST /auth/tokens creates nothing lasting, so it is retried like a read.
      res = await this.withRetries({ service: "identity", method: "POST", idempotent: true, signal }, (attempt) =>
        this.exchange({
          service: "identity",
          method: "POST",
          url,
          attempt,
          signal,
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify(toAuthRequestBody(this.options.auth)),
        }),
      );
    } catch (err) {
      if (!(err instanceof OpenStackError)) throw err;
      if (err.kind === "Unauthorized") {
        throw new OpenStackError(
          { ...err, kind: "AuthenticationFailed", service: "identity", method: "POST", url, cause: err },
          `Keystone at ${url} refused the credentials of ${who}: ${err.openstackMessage ?? "401"}`,
        );
      }
      if (err.kind === "ConnectionFailed") {
        throw new OpenStackError(
          { ...err, service: "identity", method: "POST", url, cause: err },
          `Keystone at ${url} is unreachable: ${err.openstackMessage ?? ""}`,
        );
      }
      if (err.kind === "TlsFailed") {
        throw new OpenStackError(
          { ...err, service: "identity", method: "POST", url, cause: err },
          `Keystone at ${url} presents a certificate this client does not trust (${err.openstackMessage ?? ""}); give its CA bundle (cacert)`,
        );
      }
      throw err;
    }
    const subject = res.headers["x-subject-token"];
    if (!subject) {
      throw new OpenStackError(
        { kind: "UnexpectedStatus", service: "identity", method: "POST", url, status: res.status },
        `Keystone at ${url} answered ${res.status} without an X-Subject-Token header`,
      );
    }
    this.token = parseToken(subject, res.data, this.now());
    return this.token;
  }
}

function parseJson(contentType: string | undefined, body: Buffer): unknown {
  if (!contentType?.includes("json") || body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
}

export function createSession(options: SessionOptions): Session {
  return new Session(options);
}
