import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { derivePostgresSchema, migrationNames, POSTGRES_MIGRATIONS, POSTGRES_SCHEMA, SQLITE_MIGRATIONS, SQLITE_SCHEMA } from "@/prisma/postgresql";

// The PostgreSQL schema and migrations are derived from the SQLite ones (`npm run db:derive-postgresql`). The
// PostgreSQL test pass also checks that its migrations produce exactly prisma/postgresql/schema.prisma.
describe("the PostgreSQL schema does not drift from the SQLite schema", () => {
  it("is exactly what the derivation makes of prisma/schema.prisma", () => {
    expect(readFileSync(POSTGRES_SCHEMA, "utf8")).toBe(derivePostgresSchema(readFileSync(SQLITE_SCHEMA, "utf8")));
  });

  it("has a migration up to the newest SQLite migration", () => {
    expect(migrationNames(POSTGRES_MIGRATIONS).at(-1)).toBe(migrationNames(SQLITE_MIGRATIONS).at(-1));
  });

  it("differs only in provider, client directory and header", () => {
    const sqlite = readFileSync(SQLITE_SCHEMA, "utf8").split("\n");
    const pg = readFileSync(POSTGRES_SCHEMA, "utf8").split("\n");
    const models = (lines: string[]) => lines.filter((l) => !l.startsWith("//") && !/provider\s*=\s*"(sqlite|postgresql)"|output\s*=/.test(l));
    expect(models(pg)).toEqual(models(sqlite));
  });
});
