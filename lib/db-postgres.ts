import type { PrismaPg } from "@prisma/adapter-pg";
import { constants } from "node:os";
import pg from "pg";

// How Tripod's PostgreSQL connections notice a server that is gone without a word (a failover's dead address, a
// partition or a firewall that drops packets). A restart closes the connections, and what was sent on them fails at
// once; a vanished server closes nothing. node-postgres bounds only the opening of a connection: a statement sent on
// an open one waits until Linux gives up retransmitting it (~15 min, net.ipv4.tcp_retries2; Node.js cannot set
// TCP_USER_TIMEOUT), and a connection that sends nothing never learns. (PostgreSQL's statement_timeout is the
// server's: a server that is gone does not answer with it.) So:
// - a statement waits at most SOCKET_TIMEOUT_MS for the server's next answer, then its connection is closed
//   (closeWhenSilent) and what it carried fails as the database being unavailable (lib/db-errors.ts);
// - TCP keepalive probes a connection that waits without sending (KEEPALIVES_IDLE_MS);
// - a transaction's connection that broke goes back to the pool (givingBackBrokenTransactions).
// The pool drops a connection that failed (pg-pool removes a client released with an error, or no longer queryable)
// and opens new ones once the server answers again: nothing has to restart.

/**
 * A PostgreSQL connection is had within this many ms (a new one opened, or a busy pool's next free one), or the
 * statement fails as the database being unavailable: node-postgres would wait for ever on a server that accepts
 * connections but does not answer them (frozen, or a failover's old address). `connect_timeout` in the URL (seconds,
 * as libpq and Prisma's migrations read it) sets it.
 */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * A statement waits this long at most for the server's next answer (its result, or the next rows of a long one). No
 * statement of Tripod's legitimately runs that long: Prisma ends an interactive transaction after 20 s (lib/db.ts
 * TRANSACTIONS), the worker's prune deletes 500 events per statement (lib/lifecycle/journal.ts), the VIP ingest's at
 * most 5,000 reports (lib/vip/ingest.ts), and the bench seeds a cluster at a time. And it is below a reverse proxy's
 * own limit (nginx's 60 s), so that a person gets "try again" rather than the proxy's 504. `socket_timeout` in the URL
 * (seconds; Prisma's name for a statement's limit, which its migrations read too) sets it.
 */
const SOCKET_TIMEOUT_MS = 30_000;

/**
 * A connection silent this long sends its first keepalive probe. Node.js 20 (libuv 1.46) sends the next ones 1 s apart
 * and fails the connection with ETIMEDOUT after 10 unanswered (TCP_KEEPINTVL 1, TCP_KEEPCNT 10 on Linux): a server
 * gone quiet is noticed 20 s after a connection's last traffic, on a connection that waits without sending (checked
 * out between a transaction's statements, or waiting for a statement the server received; in the pool, pg-pool closes
 * a connection idle for 10 s first). `keepalives_idle` in the URL (seconds, as libpq reads it) sets it.
 */
const KEEPALIVES_IDLE_MS = 10_000;

/**
 * A time limit in the URL, in whole seconds as libpq and Prisma read it, in ms; `fallbackMs` without one (a keepalive
 * idle time under a second would leave the kernel's own, two hours).
 */
function limitMs(url: string, parameter: string, fallbackMs: number): number {
  const seconds = Number(new URL(url).searchParams.get(parameter));
  return Number.isInteger(seconds) && seconds > 0 ? seconds * 1000 : fallbackMs;
}

/** The pool of Prisma's PostgreSQL adapter for `url`: its connections bounded and probed as above. */
export function postgresPoolConfig(url: string): pg.PoolConfig {
  const socketTimeoutMs = limitMs(url, "socket_timeout", SOCKET_TIMEOUT_MS);
  return {
    connectionString: url,
    connectionTimeoutMillis: limitMs(url, "connect_timeout", CONNECT_TIMEOUT_MS),
    keepAlive: true,
    keepAliveInitialDelayMillis: limitMs(url, "keepalives_idle", KEEPALIVES_IDLE_MS),
    onConnect: (client) => closeWhenSilent(client as pg.Client, socketTimeoutMs),
  };
}

/**
 * What a statement fails with when the server left it unanswered: shaped as the kernel's own timeout of a read (what
 * a failed keepalive gives), which Prisma's adapter reports as SocketTimeout (P1008) and lib/db-errors.ts tells as the
 * database being unavailable.
 */
export function serverSilentError(ms: number): Error {
  const error = new Error(`the database server did not answer within ${ms / 1000} s (socket_timeout)`);
  return Object.assign(error, { code: "ETIMEDOUT", errno: -constants.errno.ETIMEDOUT, syscall: "read" });
}

/**
 * Closes `client`'s connection once a statement sent on it has had no answer for `ms`: no byte from the server since
 * the statement went out or since its last rows. Closed with an error, the connection fails every statement it
 * carries, and its pool drops it. (node-postgres' own query_timeout fails the statement but leaves it in flight on the
 * connection: the next statement there, Prisma's ROLLBACK or the next request's, would queue behind it and wait too.)
 */
function closeWhenSilent(client: pg.Client, ms: number): void {
  let silence: NodeJS.Timeout | undefined;
  const answered = () => {
    clearTimeout(silence);
    silence = undefined;
  };
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const sending = (...args: unknown[]) => {
    const result = query(...args);
    silence ??= setTimeout(() => client.connection.stream.destroy(serverSilentError(ms)), ms);
    return result;
  };
  Object.assign(client, { query: sending });
  client.connection.stream.on("data", () => silence?.refresh());
  // nothing left to answer: the last statement's result is in
  client.on("drain", answered);
  client.on("end", answered);
}

/** What of a connection of Prisma's PostgreSQL adapter (its pool) begins transactions. */
type Transactions = Pick<Awaited<ReturnType<PrismaPg["connect"]>>, "startTransaction">;

/**
 * A transaction's connection that broke (the server restarted, or went silent) given back to the pool at once, which
 * closes it. Prisma 6.19 gives it back only once its COMMIT or ROLLBACK succeeded, which on a broken connection they
 * never do: each such transaction kept a connection out of the pool for good, and once ten had (the pool's size) every
 * statement of the process waited for a connection in vain, until a restart. The adapter's own release comes later,
 * if at all, and is then skipped.
 */
export function givingBackBrokenTransactions(connection: Transactions): void {
  const startTransaction = connection.startTransaction.bind(connection);
  connection.startTransaction = async (isolationLevel) => {
    const tx = await startTransaction(isolationLevel);
    const client = transactionClientOf(tx);
    const release = client.release.bind(client);
    let released = false;
    const releaseOnce = (error?: Error | boolean) => {
      if (released) return;
      released = true;
      client.removeListener("error", releaseOnce);
      release(error);
    };
    client.release = releaseOnce;
    client.on("error", releaseOnce);
    return tx;
  };
}

/**
 * The pool's client of a transaction of Prisma's PostgreSQL adapter, which keeps it as `client`: checked, so that an
 * adapter that keeps it otherwise fails every transaction (and its tests) rather than leaving broken ones out of the
 * pool unnoticed.
 */
function transactionClientOf(tx: unknown): pg.PoolClient {
  const client = (tx as { client?: unknown }).client;
  if (typeof (client as Partial<pg.PoolClient> | undefined)?.release === "function") return client as pg.PoolClient;
  throw new Error("Prisma's PostgreSQL adapter no longer keeps a transaction's pool client as `client` (lib/db-postgres.ts transactionClientOf)");
}
