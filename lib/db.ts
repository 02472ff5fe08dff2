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
 * A client for DATABASE_URL: `file:./x.db` is a SQLite file (relative to the current directory: run from the repo
 * root), `postgresql://user:password@host:port/database` a PostgreSQL database (a pool of connections per process).
 */
export function createDb(url = process.env.DATABASE_URL ?? "file:./tripod.db"): Db {
  if (isPostgresUrl(url)) return new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as Db;
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url }) });
}

// One client per process; dev-mode hot reloads would otherwise open a new connection on every edit.
const globalForPrisma = globalThis as unknown as { prisma?: Db };
export const prisma = globalForPrisma.prisma ?? createDb();
if (process.env.NODE_ENV !== "production") globalForPrisma.prisma = prisma;
