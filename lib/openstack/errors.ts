import { isRecord } from "@/lib/util/records";

// One error type for everything the cloud (or the way to it) can answer; callers branch on `kind` through the
// predicates below, never on message text.

export type ServiceType = "identity" | "compute" | "network" | "image" | "object-store";

export type OpenStackErrorKind =
  | "BadRequest"
  | "Unauthorized"
  | "Forbidden"
  | "NotFound"
  | "Conflict"
  | "QuotaExceeded"
  | "RateLimited"
  | "ServerError"
  | "UnexpectedStatus"
  /** Keystone refused the credentials (wrong password, unknown user/project, revoked application credential). */
  | "AuthenticationFailed"
  /** No HTTP answer at all: refused, reset, timed out, DNS. */
  | "ConnectionFailed"
  /** The server's TLS certificate is not trusted (wrong or missing CA bundle, name mismatch, expired): not retried. */
  | "TlsFailed"
  /** The catalog has no endpoint for the service type / region / interface asked for. */
  | "EndpointNotFound"
  /** A resource reached a failed state (a server in ERROR) or several resources matched where one was expected. */
  | "ResourceFailed"
  | "Ambiguous";

export interface OpenStackErrorFields {
  kind: OpenStackErrorKind;
  service: ServiceType;
  method: string;
  url: string;
  status?: number;
  /** OpenStack's own explanation (NeutronError.message, Nova's `{badRequest: {message}}`, Keystone's error.message…). */
  openstackMessage?: string;
  /** OpenStack's own machine-readable code when it gives one: NeutronError.type, Nova's envelope key, Keystone's title. */
  openstackCode?: string;
  body?: string;
  cause?: unknown;
}

export class OpenStackError extends Error {
  readonly kind: OpenStackErrorKind;
  readonly service: ServiceType;
  readonly method: string;
  readonly url: string;
  readonly status?: number;
  readonly openstackMessage?: string;
  readonly openstackCode?: string;
  readonly body?: string;
  /** The cloud's Retry-After (429, 503), in ms: a step that retries waits at least this long. */
  retryAfterMs?: number;

  constructor(fields: OpenStackErrorFields, message?: string) {
    const where = `${fields.method} ${fields.url}`;
    const what = fields.status === undefined ? fields.kind : `${fields.status} ${fields.kind}`;
    super(message ?? `${fields.service}: ${where} → ${what}${fields.openstackMessage ? `: ${fields.openstackMessage}` : ""}`, {
      cause: fields.cause,
    });
    this.name = "OpenStackError";
    this.kind = fields.kind;
    this.service = fields.service;
    this.method = fields.method;
    this.url = fields.url;
    this.status = fields.status;
    this.openstackMessage = fields.openstackMessage;
    this.openstackCode = fields.openstackCode;
    this.body = fields.body;
  }
}

const hasKind = (kind: OpenStackErrorKind) => (err: unknown): err is OpenStackError =>
  err instanceof OpenStackError && err.kind === kind;

export const isNotFound = hasKind("NotFound");
export const isConflict = hasKind("Conflict");
export const isQuotaExceeded = hasKind("QuotaExceeded");
export const isUnauthorized = hasKind("Unauthorized");
export const isForbidden = hasKind("Forbidden");
export const isBadRequest = hasKind("BadRequest");
export const isAuthenticationFailed = hasKind("AuthenticationFailed");
export const isConnectionFailed = hasKind("ConnectionFailed");
export const isEndpointNotFound = hasKind("EndpointNotFound");
export const isTlsFailed = hasKind("TlsFailed");

/** Worth repeating unchanged: 5xx except 501 (Not Implemented never heals), 429, and no answer at all. */
export function isRetryable(err: unknown): boolean {
  if (!(err instanceof OpenStackError)) return false;
  if (err.kind === "ServerError") return err.status !== 501;
  return err.kind === "RateLimited" || err.kind === "ConnectionFailed";
}

/**
 * What a lifecycle step does with an error, decided here once: "terminal" errors cannot heal by repeating the same
 * request (400; 401 after the session's re-auth; 403; 404 on a create; quota exceeded; no valid host or another
 * server fault; an image or flavor gone; TLS and catalog problems) and fail the step at once with the cloud's own
 * message; "retryable" ones (5xx but 501, no answer or timeout, 409, 429 with its Retry-After) back off and repeat.
 * Anything that is not an OpenStackError (a bug, a timeout of the step) is retryable up to the step's bound.
 */
export type ErrorClass = "terminal" | "retryable";

const TERMINAL_KINDS: ReadonlySet<OpenStackErrorKind> = new Set([
  "BadRequest",
  "Unauthorized",
  "AuthenticationFailed",
  "Forbidden",
  "QuotaExceeded",
  "ResourceFailed",
  "TlsFailed",
  "EndpointNotFound",
  "Ambiguous",
]);

export function classifyError(err: unknown): ErrorClass {
  if (!(err instanceof OpenStackError)) return "retryable";
  if (TERMINAL_KINDS.has(err.kind)) return "terminal";
  // A create answered 404: what it refers to (network, image, flavor, server group) is gone.
  if (err.kind === "NotFound") return err.method === "POST" ? "terminal" : "retryable";
  if (err.kind === "ServerError") return err.status === 501 ? "terminal" : "retryable";
  return "retryable";
}

/** The cloud's own words for an error, for people: "<service> refused <METHOD> <path>: <status> <message>". */
export function cloudMessage(err: OpenStackError): string {
  if (err.kind === "ResourceFailed" || err.status === undefined) return err.message;
  let path = err.url;
  try {
    path = new URL(err.url).pathname;
  } catch {
    // keep the URL as given
  }
  return `${err.service} refused ${err.method} ${path}: ${err.status} ${err.openstackMessage ?? err.kind}`;
}

export interface ParsedErrorBody {
  message?: string;
  code?: string;
}

/** Reads the error envelope of each service: Neutron, Keystone, Nova (one key naming the fault), else text/HTML. */
export function parseErrorBody(text: string): ParsedErrorBody {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const plain = text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
    return plain ? { message: plain } : {};
  }
  if (!isRecord(json)) return {};
  const neutron = json.NeutronError;
  if (isRecord(neutron)) {
    return { message: String(neutron.message ?? ""), code: typeof neutron.type === "string" ? neutron.type : undefined };
  }
  const keystone = json.error;
  if (isRecord(keystone)) {
    return { message: String(keystone.message ?? ""), code: typeof keystone.title === "string" ? keystone.title : undefined };
  }
  if (typeof json.message === "string") return { message: json.message };
  const keys = Object.keys(json);
  if (keys.length === 1 && isRecord(json[keys[0]])) {
    const inner = json[keys[0]] as Record<string, unknown>;
    if (typeof inner.message === "string") return { message: inner.message, code: keys[0] };
  }
  return {};
}

// Nova reports quota exhaustion as 403 `{"forbidden": …}` (or 413 `overLimit` on old releases) with no code of its
// own; its quota messages all start "Quota exceeded", so this one place reads the text to give callers a real kind.
const NOVA_QUOTA = /^quota exceeded/i;

export function kindForStatus(status: number, service: ServiceType, parsed: ParsedErrorBody): OpenStackErrorKind {
  if (parsed.code === "OverQuota" || parsed.code === "overLimit") return "QuotaExceeded";
  if (service === "compute" && status === 403 && NOVA_QUOTA.test(parsed.message ?? "")) return "QuotaExceeded";
  if (status === 400) return "BadRequest";
  if (status === 401) return "Unauthorized";
  if (status === 403) return "Forbidden";
  if (status === 404) return "NotFound";
  if (status === 409) return "Conflict";
  if (status === 429) return "RateLimited";
  if (status >= 500) return "ServerError";
  return "UnexpectedStatus";
}

export function errorFromResponse(
  req: { service: ServiceType; method: string; url: string },
  status: number,
  bodyText: string,
): OpenStackError {
  const parsed = parseErrorBody(bodyText);
  return new OpenStackError({
    ...req,
    kind: kindForStatus(status, req.service, parsed),
    status,
    openstackMessage: parsed.message || undefined,
    openstackCode: parsed.code,
    body: bodyText.slice(0, 2000),
  });
}
