import Database from "better-sqlite3";
import { afterAll, describe, expect, it, vi } from "vitest";
import { Prisma } from "@/lib/generated/prisma/client";
import { createDb, readRows } from "@/lib/db";
import { isolatedDb, makeUser } from "../../support/db";

// lib/db.ts readRows on SQLite: its own read-only connection to the file, which prepares each statement once (the
// adapter prepares every statement anew) and cannot write.

const isolated = isolatedDb("reader");
afterAll(() => isolated.dispose());

describe("readRows on SQLite", () => {
  it("prepares a statement once, whatever its parameters, until Prisma closes its connection", async () => {
    const { db } = isolated;
    const [a, b] = [await makeUser(db), await makeUser(db)];
    const query = (id: string) => Prisma.sql`SELECT u."username" FROM "User" u WHERE u."id" = ${id}`;
    const prepare = vi.spyOn(Database.prototype, "prepare");
    try {
      expect(await readRows(db, query(a.id))).toEqual([{ username: a.username }]);
      expect(prepare).toHaveBeenCalledTimes(1);
      expect(await readRows(db, query(b.id))).toEqual([{ username: b.username }]);
      expect(await readRows(db, query(a.id))).toEqual([{ username: a.username }]);
      expect(prepare).toHaveBeenCalledTimes(1);
      await db.$disconnect();
      await db.user.count();
      expect(await readRows(db, query(b.id))).toEqual([{ username: b.username }]);
      expect(prepare.mock.calls.filter(([sql]) => sql === query(b.id).sql)).toHaveLength(2);
    } finally {
      prepare.mockRestore();
    }
  });

  it("cannot write", async () => {
    const { db } = isolated;
    const user = await makeUser(db);
    await expect(readRows(db, Prisma.sql`UPDATE "User" SET "disabled" = 1 WHERE "id" = ${user.id} RETURNING "id"`)).rejects.toThrow(/readonly/);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).disabled).toBe(false);
  });

  it("reads an in-memory or temporary database on Prisma's own connection, which alone sees it", async () => {
    for (const url of ["file::memory:", "file:"]) {
      const db = createDb(url);
      try {
        await db.$executeRawUnsafe(`CREATE TABLE "T" ("name" TEXT)`);
        await db.$executeRawUnsafe(`INSERT INTO "T" VALUES ('kept')`);
        expect(await readRows(db, Prisma.sql`SELECT "name" FROM "T" WHERE "name" = ${"kept"}`), url).toEqual([{ name: "kept" }]);
      } finally {
        await db.$disconnect();
      }
    }
  });
});
