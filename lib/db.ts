import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import pg from "pg";
import { setBounded } from "./bounded-map";
import { DatabaseUnavailableError, isDriverConnectionError } from "./db-errors";
import { givingBackBrokenTransactions, postgresPoolConfig } from "./db-postgres";
import { isPostgresUrl } from "./db-url";
import { PrismaClient, type Prisma } from "./generated/prisma/client";
import { PrismaClient as PostgresPrismaClient } from "./generated/prisma-pg/client";

/**
 * The database client everything uses. Both clients are generated from the same models (prisma/schema.prisma and
 * its derived prisma/postgresql/schema.prisma), so the SQLite client's type describes either.
 */
export type Db = PrismaClient;

/**
 * Interactive transactions wait up to 10 s for a connection of the pool and may run 20 s (Prisma's defaults, 2 s
 * and 5 s, fail a burst of concurrent requests on a busy PostgreSQL instead of queueing them).
 */
const TRANSACTIONS = { maxWait: 10_000, timeout: 20_000 };

/**
 * A client for DATABASE_URL: `file:./x.db` is a SQLite file (relative to the current directory: run from the repo
 * root), `postgresql://user:password@host:port/database` a PostgreSQL database (a pool of connections per process).
 */
export function createDb(url = process.env.DATABASE_URL ?? "file:./tripod.db"): Db {
  const postgres = isPostgresUrl(url);
  const slot: ConnectionSlot = { open: null, sqliteFile: postgres ? null : sqliteFileOf(url), reader: null };
  const db = postgres
    ? (new PostgresPrismaClient({
        adapter: remembering(new PrismaPg(postgresPoolConfig(url)), slot),
        transactionOptions: TRANSACTIONS,
      }) as unknown as Db)
    : new PrismaClient({ adapter: remembering(new PrismaBetterSQLite3({ url }), slot), transactionOptions: TRANSACTIONS });
  connections.set(db, slot);
  return db;
}

/**
 * The SQLite file a URL names, as the adapter opens it (the URL without `file:`), or null for an in-memory or
 * temporary database: a second connection would open another, empty one.
 */
function sqliteFileOf(url: string): string | null {
  const name = url.replace(/^file:/, "");
  return name === "" || name === ":memory:" ? null : name;
}

/** The driver adapter's connection (SQLite file, PostgreSQL pool) a client opened, as Prisma's adapter factories give it. */
type Connection = Awaited<ReturnType<PrismaBetterSQLite3["connect"]>> | Awaited<ReturnType<PrismaPg["connect"]>>;
interface ConnectionSlot {
  open: Connection | null;
  /** SQLite: the file (sqliteFileOf; null in memory) and readRows' connection to it. */
  sqliteFile: string | null;
  reader: SqliteReader | null;
}
const connections = new WeakMap<Db, ConnectionSlot>();

/**
 * SQLite in write-ahead-log mode: a dashboard reads while the worker, another process, writes. In the default
 * rollback-journal mode a read that meets a commit gets "database is locked", and the driver's busy handler sleeps
 * on the server's only thread (1, 2, 5, 10, … ms) until the commit ends, holding up every request. With the log,
 * readers never wait for a writer. The mode is kept in the file (it then has `-wal` and `-shm` files beside it
 * while open); synchronous stays FULL, so a commit survives a power cut.
 */
const WRITE_AHEAD_LOG = "PRAGMA journal_mode = WAL";

/**
 * The factory, remembering in `slot` the connection Prisma opens through it (at its first statement) until Prisma
 * closes it; a SQLite connection is first put in write-ahead-log mode, and its statements outside a transaction
 * wait while one is open (outsideTransactions); a PostgreSQL one gives a transaction's broken connection back to its
 * pool (lib/db-postgres.ts).
 */
function remembering<F extends { connect(): Promise<C> }, C extends Connection>(factory: F, slot: ConnectionSlot): F {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const connection = await connect();
    if (connection.provider === "sqlite") {
      await connection.executeScript(WRITE_AHEAD_LOG);
      beginImmediate(connection);
      outsideTransactions(connection);
    } else givingBackBrokenTransactions(connection);
    const dispose = connection.dispose.bind(connection);
    connection.dispose = () => {
      slot.open = null;
      slot.reader?.connection.close();
      slot.reader = null;
      return dispose();
    };
    slot.open = connection;
    return connection;
  };
  return factory;
}

/**
 * Transactions on SQLite take the write lock at their start (BEGIN IMMEDIATE), where the adapter begins them with a
 * plain, deferred BEGIN that takes it at their first write. Every transaction here writes, and another process (a
 * worker run apart, `npm run seed`, a CLI) may write to the same file: a deferred transaction that has read, then
 * meets a commit of that process before its own first write, fails with "database is locked" at once (its snapshot is
 * stale; SQLite's BUSY_SNAPSHOT, which no wait cures). Begun IMMEDIATE, the transaction waits for the other writer at
 * its start (the driver's busy timeout, 5 s) and then cannot be failed by it. The deferred BEGIN has taken no lock
 * yet, so it is ended and begun again; the adapter's lock on the connection is held meanwhile.
 */
function beginImmediate(connection: Connection): void {
  const startTransaction = connection.startTransaction.bind(connection);
  connection.startTransaction = async (isolationLevel) => {
    const tx = await startTransaction(isolationLevel);
    try {
      await connection.executeScript("ROLLBACK; BEGIN IMMEDIATE");
    } catch (e) {
      await tx.rollback();
      throw e;
    }
    return tx;
  };
}

/**
 * Prisma's SQLite adapter has one connection per client and locks it for transactions only: a statement outside a
 * transaction (another request's plain write) that comes while an interactive transaction is open runs inside that
 * transaction, and is undone with it when it rolls back. Here such statements wait until no transaction is open or
 * begun. (PostgreSQL's adapter gives each transaction a connection of its own.)
 */
function outsideTransactions(connection: Connection): void {
  let transactions = 0; // open, or waiting for the adapter's lock
  let noneOpen: Promise<void> = Promise.resolve();
  let allEnded = () => {};
  const ended = () => {
    if (--transactions === 0) allEnded();
  };
  const startTransaction = connection.startTransaction.bind(connection);
  connection.startTransaction = async (isolationLevel) => {
    if (transactions++ === 0) noneOpen = new Promise((resolve) => (allEnded = resolve));
    try {
      const tx = await startTransaction(isolationLevel);
      const [commit, rollback] = [tx.commit.bind(tx), tx.rollback.bind(tx)];
      tx.commit = () => commit().finally(ended);
      tx.rollback = () => rollback().finally(ended);
      return tx;
    } catch (e) {
      ended();
      throw e;
    }
  };
  const [queryRaw, executeRaw] = [connection.queryRaw.bind(connection), connection.executeRaw.bind(connection)];
  connection.queryRaw = async (query) => {
    while (transactions > 0) await noneOpen;
    return queryRaw(query);
  };
  connection.executeRaw = async (query) => {
    while (transactions > 0) await noneOpen;
    return executeRaw(query);
  };
}

/**
 * The rows of a read-only statement, past Prisma's query compiler: Prisma 6.19 with a driver adapter compiles every
 * statement, raw ones included, in Wasm on the main thread (~0.3 ms of CPU where SQLite answers the cluster page's
 * poll in ~0.03 ms). For the statements every request sends. Values come as the driver gives them (nothing converts
 * them): integers may be numbers or strings (PostgreSQL's 64-bit), so read them with lib/db-values.ts. Parameters:
 * text or numbers. Before Prisma's first statement (no connection yet) it is $queryRaw.
 * - PostgreSQL: on the pool Prisma opened, as a named prepared statement (prepared).
 * - SQLite: on a read-only connection of its own to the same file, which keeps each statement prepared: the adapter
 *   prepares every statement anew and converts every value, together about half of what the cluster page's reads
 *   cost. In write-ahead-log mode (createDb) it reads the last commit; a transaction's own uncommitted rows are read
 *   on the transaction's client (readRows(tx, …) is $queryRaw there). An in-memory database: on the connection
 *   Prisma opened, as PostgreSQL.
 */
export async function readRows<T>(db: Db, query: Prisma.Sql): Promise<T[]> {
  const slot = connections.get(db);
  const connection = slot?.open;
  if (!slot || !connection) return db.$queryRaw<T[]>(query);
  const args = query.values.map((value) => {
    if (typeof value === "string" || typeof value === "number") return value;
    throw new TypeError(`readRows takes text and number parameters, not ${typeof value}`);
  });
  if (slot.sqliteFile !== null) return sqliteReader(slot, slot.sqliteFile).rows<T>(query.sql, args);
  if (connection.provider === "postgres") return objectsOf<T>(await prepared(poolOf(connection), query.text, args).catch(unavailable));
  return objectsOf<T>(await connection.queryRaw(adapterStatementOf(query.sql, args)));
}

/** The pool of Prisma's PostgreSQL adapter (a union of the two adapters' connections does not narrow by provider). */
function poolOf(connection: Connection): pg.Pool {
  return (connection as Awaited<ReturnType<PrismaPg["connect"]>>).underlyingDriver();
}

/**
 * A statement on PostgreSQL as a named prepared statement, on Prisma's pool or a connection taken from it: parsed and
 * planned once per connection, where Prisma's adapter sends every statement unnamed, parsed and planned on every call
 * (the cluster page's statements: 0.04 ms of PostgreSQL's CPU each instead of 0.12, test/bench/RESULTS.md). Named by
 * the hash of the text: the texts are the code's own, as many as its statements and the lengths of their IN lists.
 * Values are parsed as the adapter parses them (ADAPTER_TYPES), so that readers get the same values either way.
 */
async function prepared(on: pg.Pool | pg.PoolClient, text: string, values: PgValue[]): Promise<{ columnNames: string[]; rows: unknown[][]; rowCount: number }> {
  const name = `tripod_${createHash("sha1").update(text).digest("base64url")}`;
  const result = await on.query<unknown[]>({ name, text, values, rowMode: "array", types: ADAPTER_TYPES });
  return { columnNames: result.fields.map((f) => f.name), rows: result.rows, rowCount: result.rowCount ?? 0 };
}

/**
 * The value parsers of Prisma's PostgreSQL adapter (@prisma/adapter-pg's customParsers) for the types Tripod's
 * tables and expressions have, node-postgres' own for the rest: timestamps (stored in UTC, without a zone) as ISO
 * text in UTC, where node-postgres would read them as local time; JSON, dates and times as their text.
 */
const PG_OID = { json: 114, date: 1082, time: 1083, timestamp: 1114, timestamptz: 1184, jsonb: 3802 } as const;
const asText = (value: string) => value;
const ADAPTER_TYPES = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === PG_OID.timestamp) return (value: string) => `${value.replace(" ", "T")}+00:00`;
    if (oid === PG_OID.timestamptz) return (value: string) => value.replace(" ", "T").replace(/[+-]\d{2}(:\d{2})?$/, "+00:00");
    if (oid === PG_OID.json || oid === PG_OID.jsonb || oid === PG_OID.date || oid === PG_OID.time) return asText;
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig["getTypeParser"],
};

/** A parameter of rawTransaction's statements (readRows takes text and numbers only). */
type RawValue = string | number | Date | null;
/** A parameter as node-postgres sends it. */
type PgValue = string | number | null;
type Statement = Parameters<Connection["queryRaw"]>[0];
type ResultSet = Awaited<ReturnType<Connection["queryRaw"]>>;

function rawValuesOf(query: Prisma.Sql): RawValue[] {
  return query.values.map((value): RawValue => {
    if (value === null || typeof value === "string" || typeof value === "number" || value instanceof Date) return value;
    throw new TypeError(`raw statements take text, number, Date and null parameters, not ${typeof value}`);
  });
}

/**
 * rawTransaction's parameters for PostgreSQL as Prisma's adapter sends them (its mapArg): a Date as its UTC time
 * without a zone, which the timestamp(3) columns store as it is.
 */
function pgValuesOf(query: Prisma.Sql): PgValue[] {
  return rawValuesOf(query).map((value) => (value instanceof Date ? value.toISOString().replace("T", " ").replace("Z", "") : value));
}

/** A statement as the SQLite adapter takes it (readRows on an in-memory database, on Prisma's own connection). */
function adapterStatementOf(sql: string, args: (string | number)[]): Statement {
  return { sql, args, argTypes: args.map((value) => ({ scalarType: typeof value === "string" ? "string" : Number.isInteger(value) ? "int" : "float", arity: "scalar" })) };
}

/** Rows as arrays beside column names (the adapter's, node-postgres' in array mode) as objects. */
function objectsOf<T>(result: Pick<ResultSet, "columnNames" | "rows">): T[] {
  return result.rows.map((row) => Object.fromEntries(result.columnNames.map((name, i) => [name, row[i]])) as T);
}

/** The statements of a rawTransaction; values of the rows come as readRows' do (lib/db-values.ts). */
export interface RawTransaction {
  rows<T>(query: Prisma.Sql): Promise<T[]>;
  /** the number of rows the statement changed */
  execute(query: Prisma.Sql): Promise<number>;
}

/**
 * A transaction of raw statements past Prisma's query compiler, for writes sent at the VIP agents' cadence: through
 * Prisma each statement costs ~0.5 ms of CPU (its Wasm compiler and client runtime), several times what SQLite
 * spends on it. It is begun on a connection as Prisma's adapter begins its own transactions, its statements prepared
 * once per connection: on SQLite on the connection Prisma opened (sqliteTransaction: it then waits for Prisma's
 * transactions on that connection and they for it), on PostgreSQL on a connection of Prisma's pool
 * (preparedTransaction). It ends with COMMIT or, when `work` throws, ROLLBACK, as Prisma ends its own. Parameters:
 * text, numbers, Dates (stored as Prisma stores them) and null. Before Prisma's first statement (no connection yet)
 * it is $transaction with $queryRaw and $executeRaw.
 */
export async function rawTransaction<T>(db: Db, work: (tx: RawTransaction) => Promise<T>): Promise<T> {
  const connection = connections.get(db)?.open;
  if (!connection) return db.$transaction((tx) => work({ rows: (query) => tx.$queryRaw(query), execute: (query) => tx.$executeRaw(query) }));
  if (connection.provider === "postgres") return preparedTransaction(poolOf(connection), work).catch(unavailable);
  return sqliteTransaction(connection, work);
}

/**
 * A node-postgres error of a connection that could not be made or ended (the server restarting…) as
 * DatabaseUnavailableError, as Prisma tells its own (lib/db-errors.ts); any other error as it is.
 */
function unavailable(error: unknown): never {
  throw isDriverConnectionError(error) ? new DatabaseUnavailableError(error) : error;
}

/**
 * rawTransaction on SQLite: begun and ended through the adapter's connection (its lock between transactions), the
 * statements on that connection's better-sqlite3 handle, each prepared once (sqliteStatement) where the adapter
 * prepares every statement anew and converts every value: under the dashboard bench's mixed load at 1,000 clusters
 * that was ~5 % of the server's CPU, nearly all of it the ingest's five or six statements per message. Values are
 * bound as the adapter binds them (sqliteValuesOf); rows come as the driver gives them, as readRows' do.
 */
async function sqliteTransaction<T>(connection: Connection, work: (tx: RawTransaction) => Promise<T>): Promise<T> {
  const handle = sqliteHandleOf(connection);
  const tx = await connection.startTransaction();
  const statement = (sql: string) => sqliteStatement(handle, sql);
  try {
    const result = await work({
      rows: async <R>(query: Prisma.Sql) => {
        const prepared = statement(query.sql);
        const values = sqliteValuesOf(query);
        if (prepared.reader) return prepared.all(...values) as R[];
        prepared.run(...values);
        return [];
      },
      execute: async (query) => statement(query.sql).run(...sqliteValuesOf(query)).changes,
    });
    statement("COMMIT").run();
    await tx.commit();
    return result;
  } catch (e) {
    try {
      statement("ROLLBACK").run();
    } catch {
      // no transaction left to undo: SQLite ended it with the error, or the connection is gone
    }
    await tx.rollback();
    throw e;
  }
}

/**
 * The better-sqlite3 handle of Prisma's SQLite adapter connection, which keeps it as `client` without exporting it:
 * checked, so that an adapter that keeps it otherwise fails every rawTransaction (and its tests) instead of writing
 * elsewhere.
 */
function sqliteHandleOf(connection: Connection): Database.Database {
  const handle = (connection as unknown as { client?: unknown }).client;
  if (handle instanceof Database) return handle;
  throw new Error("Prisma's SQLite adapter no longer keeps its better-sqlite3 handle as `client` (lib/db.ts sqliteHandleOf)");
}

/** rawTransaction's parameters for SQLite as Prisma's adapter binds them (its mapArg): a Date as ISO text in UTC. */
function sqliteValuesOf(query: Prisma.Sql): (string | number | null)[] {
  return rawValuesOf(query).map((value) => (value instanceof Date ? value.toISOString().replace("Z", "+00:00") : value));
}

/**
 * rawTransaction on PostgreSQL: BEGIN, the statements as named prepared statements (prepared: the ingest's five or
 * six per message), then COMMIT or ROLLBACK, on a connection taken from Prisma's pool as its adapter takes one for a
 * transaction. A connection that failed to roll back is closed rather than returned to the pool.
 */
async function preparedTransaction<T>(pool: pg.Pool, work: (tx: RawTransaction) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // an error of the connection while it is out of the pool fails the statement in flight; unheard, it ends the process
  const ignore = () => undefined;
  client.on("error", ignore);
  let broken: Error | undefined;
  const run = (query: Prisma.Sql) => prepared(client, query.text, pgValuesOf(query));
  try {
    await client.query("BEGIN");
    const result = await work({ rows: async (query) => objectsOf(await run(query)), execute: async (query) => (await run(query)).rowCount });
    await client.query("COMMIT");
    return result;
  } catch (e) {
    await client.query("ROLLBACK").catch((error: Error) => (broken = error));
    throw e;
  } finally {
    client.removeListener("error", ignore);
    client.release(broken);
  }
}

/** readRows' connection to a SQLite file: read-only, its statements prepared once (the oldest dropped past a bound). */
interface SqliteReader {
  connection: Database.Database;
  rows<T>(sql: string, args: (string | number)[]): T[];
}

/** More than the distinct statements the pages send (an IN list makes one per length). */
const STATEMENTS_KEPT = 200;
const statementsOf = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** `sql` prepared on the SQLite connection `handle` once, kept while it is among its STATEMENTS_KEPT latest. */
function sqliteStatement(handle: Database.Database, sql: string): Database.Statement {
  let statements = statementsOf.get(handle);
  if (!statements) statementsOf.set(handle, (statements = new Map()));
  const known = statements.get(sql);
  if (known) return known;
  const statement = handle.prepare(sql);
  setBounded(statements, sql, statement, STATEMENTS_KEPT);
  return statement;
}

function sqliteReader(slot: ConnectionSlot, file: string): SqliteReader {
  if (slot.reader) return slot.reader;
  const connection = new Database(file, { readonly: true, fileMustExist: true });
  slot.reader = { connection, rows: <T>(sql: string, args: (string | number)[]) => sqliteStatement(connection, sql).all(...args) as T[] };
  return slot.reader;
}

// One client per process; dev-mode hot reloads would otherwise open a new connection on every edit.
const globalForPrisma = globalThis as unknown as { prisma?: Db };
export const prisma = globalForPrisma.prisma ?? createDb();
if (process.env.NODE_ENV !== "production") globalForPrisma.prisma = prisma;
