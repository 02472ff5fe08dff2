import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { isPostgresUrl } from "./db-url";
import { PrismaClient } from "./generated/prisma/client";
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
  if (isPostgresUrl(url)) return new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: url }), transactionOptions: TRANSACTIONS }) as unknown as Db;
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url }), transactionOptions: TRANSACTIONS });
}

// One client per process; dev-mode hot reloads would otherwise open a new connection on every edit.
const globalForPrisma = globalThis as unknown as { prisma?: Db };
export const prisma = globalForPrisma.prisma ?? createDb();
if (process.env.NODE_ENV !== "production") globalForPrisma.prisma = prisma;
