import { afterAll, describe, expect, it } from "vitest";
import { Prisma } from "@/lib/generated/prisma/client";
import { readRows } from "@/lib/db";
import { makeUser, testDb } from "../../support/db";

// lib/db.ts readRows: a statement past Prisma's query compiler (on SQLite, on a read-only connection of its own). The
// same rows as $queryRaw (values compared as numbers: the driver's integers may come as strings), before Prisma's
// first statement (it is then $queryRaw), while Prisma holds its connection, and again after Prisma closed and
// reopened it; the committed rows beside an open transaction, and the transaction's own on its client.

const db = testDb();
afterAll(() => db.$disconnect());

describe("readRows", () => {
  it("answers what $queryRaw answers, before, while and after Prisma holds its connection", async () => {
    const query = (id: string) => Prisma.sql`SELECT u."id", u."username", u."disabled", u."sessionVersion", ${7} AS "seven" FROM "User" u WHERE u."id" = ${id}`;
    const numbers = (rows: Record<string, unknown>[]) => rows.map((r) => ({ ...r, disabled: Number(r.disabled), sessionVersion: Number(r.sessionVersion), seven: Number(r.seven) }));

    const fresh = testDb();
    const first = await readRows<Record<string, unknown>>(fresh, query("nobody"));
    expect(first).toEqual([]);
    const user = await makeUser(fresh);
    await fresh.user.update({ where: { id: user.id }, data: { sessionVersion: 3, disabled: true } });
    const expected = [{ id: user.id, username: user.username, disabled: 1, sessionVersion: 3, seven: 7 }];
    expect(numbers(await fresh.$queryRaw<Record<string, unknown>[]>(query(user.id)))).toEqual(expected);
    expect(numbers(await readRows(fresh, query(user.id)))).toEqual(expected);

    await fresh.$disconnect();
    expect(numbers(await readRows(fresh, query(user.id)))).toEqual(expected);
    expect(numbers(await readRows(fresh, query(user.id)))).toEqual(expected);
    await fresh.$disconnect();
    expect(numbers(await readRows(db, query(user.id)))).toEqual(expected);
  });

  it("reads the committed rows beside an open transaction, and the transaction's own rows on its client", async () => {
    const user = await makeUser(db);
    const version = Prisma.sql`SELECT u."sessionVersion" FROM "User" u WHERE u."id" = ${user.id}`;
    const read = async (client: Parameters<typeof readRows>[0]) => Number((await readRows<{ sessionVersion: unknown }>(client, version))[0].sessionVersion);
    await db.$transaction(async (tx) => {
      await tx.user.update({ where: { id: user.id }, data: { sessionVersion: 9 } });
      expect(await read(tx as typeof db)).toBe(9);
      expect(await read(db)).toBe(user.sessionVersion);
    });
    expect(await read(db)).toBe(9);
  });
});
