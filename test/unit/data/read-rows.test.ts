import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { Prisma } from "@/lib/generated/prisma/client";
import { rawTransaction, readRows } from "@/lib/db";
import { sqliteFiles } from "@/lib/db-url";
import { count, dateOf, flag } from "@/lib/db-values";
import { isolatedDb, makeUser, testDb } from "../../support/db";

// lib/db.ts readRows: a statement past Prisma's query compiler (on SQLite, on a read-only connection of its own). The
// same rows as $queryRaw (values compared as numbers: the driver's integers may come as strings), before Prisma's
// first statement (it is then $queryRaw), while Prisma holds its connection, and again after Prisma closed and
// reopened it; the committed rows beside an open transaction, and the transaction's own on its client.
// lib/db.ts rawTransaction: raw statements in a transaction of the driver adapter's (before Prisma's first statement,
// Prisma's own); what it writes reads back through Prisma as Prisma's own writes do, all or nothing. And Prisma's own
// statements outside a transaction are not drawn into one (lib/db.ts outsideTransactions on SQLite).

const db = testDb();
afterAll(() => db.$disconnect());

/** A Prisma transaction that writes, stays open 200 ms for the test to act beside it, then throws and is undone. */
function undoneTransaction(write: (tx: Prisma.TransactionClient) => Promise<unknown>): { wrote: Promise<void>; ended: Promise<string> } {
  let wrote!: () => void;
  const written = new Promise<void>((resolve) => (wrote = resolve));
  const ended = db
    .$transaction(async (tx) => {
      await write(tx);
      wrote();
      await new Promise((resolve) => setTimeout(resolve, 200));
      throw new Error("undone");
    })
    .catch((e: Error) => e.message);
  return { wrote: written, ended };
}

/**
 * Runs `check` with the process in Asia/Kolkata (+05:30): a timestamp (stored in UTC, without a zone) written or read
 * as local time would be hours off.
 */
async function inKolkata(check: () => Promise<void>): Promise<void> {
  const zone = process.env.TZ;
  process.env.TZ = "Asia/Kolkata";
  try {
    await check();
  } finally {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  }
}

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

  it("gives dates, counts and flags that read as Prisma's, whatever the process's time zone", async () => {
    await inKolkata(async () => {
      const user = await makeUser(db);
      const stored = await db.user.update({ where: { id: user.id }, data: { disabled: true } });
      const [row] = await readRows<{ createdAt: string | Date; disabled: unknown; users: number | bigint | string }>(
        db,
        Prisma.sql`SELECT u."createdAt", u."disabled", (SELECT COUNT(*) FROM "User" x WHERE x."id" = ${user.id}) AS "users" FROM "User" u WHERE u."id" = ${user.id}`,
      );
      expect(dateOf(row.createdAt).toISOString()).toBe(stored.createdAt.toISOString());
      expect(flag(row.disabled)).toBe(true);
      expect(count(row.users)).toBe(1);
    });
  });
});

describe("rawTransaction", () => {
  const nonce = (clusterId: string, n: string, receivedAt: Date) =>
    Prisma.sql`INSERT INTO "VrrpNonce" ("id", "clusterId", "node", "nonce", "receivedAt") VALUES (${`id-${clusterId}-${n}`}, ${clusterId}, ${"master-0"}, ${n}, ${receivedAt})
      ON CONFLICT ("clusterId", "nonce") DO NOTHING`;
  const later = new Date(Date.UTC(2026, 11, 4, 12, 0, 0, 250));
  const earlier = new Date(Date.UTC(2026, 11, 4, 11, 59, 59, 0));

  // on a fresh client (no connection yet: Prisma's $transaction) and on one whose connection Prisma opened
  for (const opened of [false, true]) {
    it(`commits its statements; dates and nulls stored as Prisma stores them (${opened ? "on Prisma's open connection" : "before Prisma's first statement"})`, async () => {
      const client = testDb();
      const clusterId = `raw-${opened}-${Date.now()}`;
      if (opened) await client.vrrpNonce.count();
      const out = await rawTransaction(client, async (tx) => {
        const inserted = (await tx.execute(nonce(clusterId, "a", later))) + (await tx.execute(nonce(clusterId, "a", later)));
        await tx.execute(Prisma.sql`INSERT INTO "VrrpNonce" ("id", "clusterId", "node", "nonce", "receivedAt") VALUES (${`id-${clusterId}-b`}, ${clusterId}, ${null}, ${"b"}, ${earlier})`);
        const [{ n }] = await tx.rows<{ n: unknown }>(Prisma.sql`SELECT COUNT(*) AS "n" FROM "VrrpNonce" WHERE "clusterId" = ${clusterId} AND "receivedAt" > ${earlier}`);
        return { inserted, n: Number(n) };
      }).catch((e: unknown) => e);
      // a NOT NULL column refuses the null: the whole transaction is undone, nothing of it is stored
      expect(out).toBeInstanceOf(Error);
      expect(await client.vrrpNonce.count({ where: { clusterId } })).toBe(0);

      const committed = await rawTransaction(client, async (tx) => {
        const inserted = (await tx.execute(nonce(clusterId, "a", later))) + (await tx.execute(nonce(clusterId, "a", later)));
        await tx.execute(nonce(clusterId, "b", earlier));
        const [{ n }] = await tx.rows<{ n: unknown }>(Prisma.sql`SELECT COUNT(*) AS "n" FROM "VrrpNonce" WHERE "clusterId" = ${clusterId} AND "receivedAt" > ${earlier}`);
        return { inserted, n: Number(n) };
      });
      expect(committed).toEqual({ inserted: 1, n: 1 });
      // Prisma reads the dates back and compares them with its own parameters as it does with the rows it writes
      const rows = await client.vrrpNonce.findMany({ where: { clusterId, receivedAt: { gt: earlier } }, select: { nonce: true, receivedAt: true } });
      expect(rows).toEqual([{ nonce: "a", receivedAt: later }]);
      expect((await client.vrrpNonce.findFirstOrThrow({ where: { clusterId, nonce: "b" } })).receivedAt).toEqual(earlier);
      await client.$disconnect();
    });
  }

  it("stores dates as Prisma stores them, whatever the process's time zone", async () => {
    const clusterId = `raw-zone-${Date.now()}`;
    await db.vrrpNonce.count(); // Prisma's connection open: the transaction is rawTransaction's own
    await inKolkata(async () => {
      await rawTransaction(db, (tx) => tx.execute(nonce(clusterId, "a", later)));
      expect((await db.vrrpNonce.findFirstOrThrow({ where: { clusterId } })).receivedAt).toEqual(later);
      expect(await db.vrrpNonce.count({ where: { clusterId, receivedAt: later } })).toBe(1);
    });
  });

  it("does not run inside a transaction of Prisma's that is open meanwhile: one undone leaves the other's rows", async () => {
    const clusterId = `raw-beside-${Date.now()}`;
    const prisma = undoneTransaction((tx) => tx.vrrpNonce.create({ data: { clusterId, node: "master-1", nonce: "prisma", receivedAt: later } }));
    await prisma.wrote;
    await rawTransaction(db, (tx) => tx.execute(nonce(clusterId, "raw", later)));
    expect(await prisma.ended).toBe("undone");
    expect((await db.vrrpNonce.findMany({ where: { clusterId }, select: { nonce: true } })).map((r) => r.nonce)).toEqual(["raw"]);
  });
});

describe("a statement outside a transaction", () => {
  it("is not drawn into another request's transaction open meanwhile, nor undone with it", async () => {
    const name = `plain-${Date.now()}`;
    const transaction = undoneTransaction((tx) => tx.metricCounter.create({ data: { name: `${name}-undone`, labels: "{}", value: 1 } }));
    await transaction.wrote;
    await db.metricCounter.create({ data: { name, labels: "{}", value: 1 } });
    expect(await transaction.ended).toBe("undone");
    expect((await db.metricCounter.findMany({ where: { name: { startsWith: name } } })).map((r) => r.name)).toEqual([name]);
  });
});

describe("a transaction on SQLite", () => {
  // Another process (`npm run worker`, `npm run seed`, a CLI) writes to the same file between a transaction's read
  // and its write: a transaction begun with a plain (deferred) BEGIN then fails at its write with "database is
  // locked" (SQLite's BUSY_SNAPSHOT: its snapshot is stale, and no wait helps). Begun IMMEDIATE, it holds the write
  // lock from its start: the other process's write waits for it instead (here, allowed no wait, it is refused).
  it("holds the write lock from its start: another process's write cannot fail it (Prisma's and rawTransaction)", async () => {
    const { db: sqlite, url, dispose } = isolatedDb("immediate", { sqlite: true });
    const otherProcess = new Database(sqliteFiles(url)[0], { timeout: 0 });
    const otherWrite = (id: string) => () => otherProcess.prepare(`UPDATE "User" SET "disabled" = 1 WHERE "id" = ?`).run(id);
    try {
      const user = await makeUser(sqlite);
      await sqlite.$transaction(async (tx) => {
        const { sessionVersion } = await tx.user.findUniqueOrThrow({ where: { id: user.id } });
        expect(otherWrite(user.id)).toThrow(/database is locked/);
        await tx.user.update({ where: { id: user.id }, data: { sessionVersion: sessionVersion + 1 } });
      });
      // Prisma's connection is open: rawTransaction begins on it (sqliteTransaction), as the VRRP ingest does
      await rawTransaction(sqlite, async (tx) => {
        const [{ sessionVersion }] = await tx.rows<{ sessionVersion: unknown }>(Prisma.sql`SELECT "sessionVersion" FROM "User" WHERE "id" = ${user.id}`);
        expect(otherWrite(user.id)).toThrow(/database is locked/);
        await tx.execute(Prisma.sql`UPDATE "User" SET "sessionVersion" = ${Number(sessionVersion) + 1} WHERE "id" = ${user.id}`);
      });
      expect(await sqlite.user.findUniqueOrThrow({ where: { id: user.id }, select: { sessionVersion: true, disabled: true } })).toEqual({ sessionVersion: user.sessionVersion + 2, disabled: false });
      // between transactions the other process writes as before
      otherWrite(user.id)();
      expect((await sqlite.user.findUniqueOrThrow({ where: { id: user.id } })).disabled).toBe(true);
    } finally {
      otherProcess.close();
      await dispose();
    }
  });
});
