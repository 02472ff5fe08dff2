import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { isPostgresUrl } from "../lib/db-url";
import { POSTGRES_MIGRATIONS, POSTGRES_SCHEMA } from "../prisma/postgresql";
import { migrate, removeSqliteFiles } from "./support/db";
import { createDatabase, startPostgres } from "./support/postgres";

// A fresh database per vitest run, schema applied with the committed migrations as production does: a SQLite file
// (vitest.config.mts names it after the run's process, so runs side by side do not share one), or with
// TRIPOD_TEST_DATABASE=postgresql a PostgreSQL server of the run's own (Debian's, 127.0.0.1:55432, data directory
// under .tmp/), stopped and removed at the end.
/** The committed PostgreSQL migrations, replayed in a shadow database, give exactly prisma/postgresql/schema.prisma. */
function assertMigrationsMatchSchema(url: string): void {
  const args = ["migrate", "diff", "--from-migrations", POSTGRES_MIGRATIONS, "--to-schema-datamodel", POSTGRES_SCHEMA, "--script", "--exit-code"];
  try {
    execFileSync(process.execPath, ["node_modules/prisma/build/index.js", ...args], { env: { ...process.env, DATABASE_URL: url }, encoding: "utf8", stdio: "pipe" });
  } catch (error) {
    const e = error as { status?: number; stdout?: string; stderr?: string };
    if (e.status === 2) throw new Error(`prisma/postgresql/migrations do not produce prisma/postgresql/schema.prisma; run npm run db:derive-postgresql:\n${e.stdout}`);
    throw new Error(`prisma migrate diff failed: ${e.stderr ?? String(error)}`);
  }
}

export default async function setup(project: TestProject) {
  const url = project.config.env.DATABASE_URL ?? "";
  if (isPostgresUrl(url)) {
    const u = new URL(url);
    const server = await startPostgres(path.join(".tmp", `pg-${process.pid}`), Number(u.port));
    try {
      createDatabase(url, u.pathname.slice(1));
      migrate(url);
      assertMigrationsMatchSchema(url);
    } catch (error) {
      await server.stop();
      throw error;
    }
    return () => server.stop();
  }
  if (!url.startsWith("file:")) throw new Error("vitest.config.mts must set test.env.DATABASE_URL to a file: or postgresql: URL");
  mkdirSync(".tmp", { recursive: true });
  removeSqliteFiles(url);
  migrate(url);
  return () => removeSqliteFiles(url);
}
