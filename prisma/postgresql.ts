// The PostgreSQL schema is derived from prisma/schema.prisma (SQLite, the source): Prisma needs one provider per
// schema file, and the models must be the same for both databases. Only the datasource provider, the generated
// client's directory and the header comment differ. Used by prisma/derive-postgresql.ts and the drift unit test.
import { readdirSync } from "node:fs";
import path from "node:path";

export const SQLITE_SCHEMA = path.join("prisma", "schema.prisma");
export const SQLITE_MIGRATIONS = path.join("prisma", "migrations");
export const POSTGRES_SCHEMA = path.join("prisma", "postgresql", "schema.prisma");
export const POSTGRES_MIGRATIONS = path.join("prisma", "postgresql", "migrations");

const HEADER = [
  "// GENERATED from prisma/schema.prisma by `npm run db:derive-postgresql` — do not edit; edit the SQLite schema",
  "// and derive again (test/unit/data/schema-drift.test.ts fails when the two differ).",
].join("\n");

function replaceOnce(text: string, from: RegExp, to: string): string {
  if (!from.test(text)) throw new Error(`prisma/schema.prisma no longer matches ${from}: update prisma/postgresql.ts`);
  return text.replace(from, to);
}

/** The PostgreSQL schema for the SQLite schema's text. */
export function derivePostgresSchema(sqlite: string): string {
  let pg = sqlite.replace(/^(\/\/[^\n]*\n)+/, ""); // the SQLite schema's header comment
  pg = replaceOnce(pg, /(datasource db \{[^}]*provider\s*=\s*)"sqlite"/, '$1"postgresql"');
  pg = replaceOnce(pg, /(generator client \{[^}]*output\s*=\s*)"\.\.\/lib\/generated\/prisma"/, '$1"../../lib/generated/prisma-pg"');
  return `${HEADER}\n${pg}`;
}

/** Migration directory names, oldest first. */
export function migrationNames(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}
