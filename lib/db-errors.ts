import { processWide } from "./process-wide";

// The database's absence told apart from a statement's failure: no connection could be made, or one ended under a
// statement (PostgreSQL restarting, failing over, refusing more connections). Nothing has to restart afterwards: the
// pools open new connections once the database answers again. Meanwhile the door answers 503 "try again" instead of
// 500 (lib/data/http.ts), sign-in says so, and the worker's loop waits (lib/lifecycle/runner.ts), each logging the
// outage in one line instead of a stack per request.

/** Prisma's codes: can't reach the server, timed out, operations timed out, the server closed the connection, no connection of the pool in time. */
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
/** The driver adapters' kinds of the same (a driver error Prisma keeps in meta.driverAdapterError). */
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
/** Node.js's socket errors, as node-postgres passes them on. */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);
/**
 * PostgreSQL's SQLSTATEs: class 08 (connection exception); 57P01, 57P02, 57P03 (the connection ended by a shutdown or
 * by a crash of another backend; the server is starting up or shutting down); 53300 (too many connections).
 */
const isConnectionSqlState = (code: string) => /^08[0-9A-Z]{3}$/.test(code) || code === "57P01" || code === "57P02" || code === "57P03" || code === "53300";
/** node-postgres' own errors, which have no code: the connection ended, or none was had within the connect timeout. */
const PG_MESSAGES = ["Connection terminated", "timeout exceeded when trying to connect", "Client has encountered a connection error and is not queryable"];

type Fields = { name?: unknown; code?: unknown; errorCode?: unknown; kind?: unknown; message?: unknown; meta?: { driverAdapterError?: { cause?: unknown } }; cause?: unknown };
const fieldsOf = (error: unknown): Fields => (typeof error === "object" && error !== null ? (error as Fields) : {});
const isPgMessage = (message: unknown) => typeof message === "string" && PG_MESSAGES.some((m) => message.startsWith(m));

/** A driver adapter's error (what Prisma keeps in meta.driverAdapterError.cause) that says the database is not there. */
function adapterSaysUnavailable(cause: unknown): boolean {
  const { kind, code } = fieldsOf(cause);
  return (typeof kind === "string" && ADAPTER_KINDS.has(kind)) || (kind === "postgres" && typeof code === "string" && isConnectionSqlState(code));
}

/**
 * An error of node-postgres itself (lib/db.ts's own statements, past Prisma) that says the connection could not be
 * made or ended: for code that knows the error came from the database's driver (a socket error elsewhere is not one).
 */
export function isDriverConnectionError(error: unknown): boolean {
  const { code, message } = fieldsOf(error);
  return (typeof code === "string" && (SOCKET_CODES.has(code) || isConnectionSqlState(code))) || isPgMessage(message);
}

/** lib/db.ts's own statements (readRows, rawTransaction) when the database is not there; `cause` is the driver's error. */
export class DatabaseUnavailableError extends Error {
  readonly name = "DatabaseUnavailableError";
  constructor(cause: unknown) {
    super(`the database is unavailable: ${outageText(cause)}`, { cause });
  }
}

/** Whether a statement failed because the database is not there (see above), rather than because of the statement. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  const e = fieldsOf(error);
  if (typeof e.name === "string" && e.name.startsWith("PrismaClient")) {
    const code = e.code ?? e.errorCode;
    return (typeof code === "string" && PRISMA_CODES.has(code)) || adapterSaysUnavailable(e.meta?.driverAdapterError?.cause);
  }
  if (e.name === "DriverAdapterError") return adapterSaysUnavailable(e.cause);
  // Prisma passes node-postgres' own errors on as they are.
  return isPgMessage(e.message);
}

/** The error in one line: Prisma's messages end with the reason, after the call and a frame of the source. */
export function outageText(error: unknown): string {
  if (error instanceof DatabaseUnavailableError) return outageText(error.cause);
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n").map((line) => line.trim()).filter(Boolean).pop() ?? message;
}

/** At most one line per this period per process, however many requests fail meanwhile. */
const OUTAGE_LOG_EVERY_MS = 10_000;

/**
 * An error nobody expected, logged, and what it was: "unavailable" (the database is not there: one line now and then
 * for every `what` answered "try again" — a request, a sign-in, a VIP agent's message) or "internal" (its stack).
 */
export function logUnexpected(error: unknown, what = "request"): "unavailable" | "internal" {
  if (!isDatabaseUnavailable(error)) {
    console.error(error);
    return "internal";
  }
  logDatabaseOutage(error, what);
  return "unavailable";
}

/** One line per OUTAGE_LOG_EVERY_MS per process, with the count of failures since the last line. */
function logDatabaseOutage(error: unknown, what: string, now = Date.now()): void {
  const state = processWide("database-outage-log", () => ({ loggedAt: -Infinity, unlogged: 0 }));
  state.unlogged += 1;
  if (now - state.loggedAt < OUTAGE_LOG_EVERY_MS) return;
  const others = state.unlogged > 1 ? ` (${state.unlogged - 1} more answered so since the last report)` : "";
  console.error(`[tripod] the database is unavailable (${outageText(error)}): a ${what} was answered "try again"${others}`);
  state.loggedAt = now;
  state.unlogged = 0;
}
