import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { Prisma } from "@/lib/generated/prisma/client";
import { createDb, readRows } from "@/lib/db";
import { sqliteFiles } from "@/lib/db-url";
import { isolatedDb, makeUser } from "../../support/db";

// lib/db.ts puts SQLite in write-ahead-log mode: the dashboard keeps reading while another process (the worker)
// holds a write transaction, and sees only what was committed. In the default rollback-journal mode the same read
// waits in the driver's busy handler, on the server's only thread, and fails with "database is locked" after 5 s.

const isolated = isolatedDb("journal");
afterAll(() => isolated.dispose());

describe("SQLite journal mode", () => {
  it("is the write-ahead log, kept in the file", async () => {
    const [mode] = await isolated.db.$queryRaw<{ journal_mode: string }[]>(Prisma.sql`PRAGMA journal_mode`);
    expect(mode.journal_mode).toBe("wal");
    const [file] = sqliteFiles(isolated.url);
    const other = new Database(file, { readonly: true });
    try {
      expect(other.pragma("journal_mode", { simple: true })).toBe("wal");
    } finally {
      other.close();
    }
  });

  it("lets a reader through while another connection holds a write transaction, with the committed rows only", async () => {
    const user = await makeUser(isolated.db);
    const [file] = sqliteFiles(isolated.url);
    const worker = new Database(file, { timeout: 5000 });
    const reader = createDb(isolated.url);
    try {
      worker.exec("BEGIN EXCLUSIVE");
      worker.prepare(`UPDATE "User" SET "sessionVersion" = 41 WHERE "id" = ?`).run(user.id);
      const query = Prisma.sql`SELECT "sessionVersion" FROM "User" WHERE "id" = ${user.id}`;
      const [row] = await readRows<{ sessionVersion: number | bigint }>(reader, query);
      expect(Number(row.sessionVersion)).toBe(user.sessionVersion);
      worker.exec("COMMIT");
      const [after] = await readRows<{ sessionVersion: number | bigint }>(reader, query);
      expect(Number(after.sessionVersion)).toBe(41);
    } finally {
      if (worker.inTransaction) worker.exec("ROLLBACK");
      worker.close();
      await reader.$disconnect();
    }
  });
});
