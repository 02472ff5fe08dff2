import { afterAll, describe, expect, it } from "vitest";
import { loadActor } from "@/lib/data/actor";
import { actorOfBearer, createApiToken, listApiTokens, revokeApiToken } from "@/lib/data/api-tokens";
import { InvalidInputError, NotFoundError } from "@/lib/data/errors";
import { makeUser, testDb } from "../../support/db";

const db = testDb();
afterAll(() => db.$disconnect());
const actorOf = async (id: string) => (await loadActor(db, id))!;

describe("personal API tokens", () => {
  it("are stored hashed, act as their user, and stop working once revoked", async () => {
    const alice = await actorOf((await makeUser(db)).id);
    const { id, token } = await createApiToken(db, alice, { name: "ci" });
    expect(token).toMatch(/^tripod_[A-Za-z0-9_-]{43}$/);
    const row = await db.apiToken.findUniqueOrThrow({ where: { id } });
    expect(JSON.stringify(row)).not.toContain(token.slice(7));
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);

    expect((await actorOfBearer(db, `Bearer ${token}`))?.id).toBe(alice.id);
    expect(await actorOfBearer(db, `Bearer ${token}x`)).toBeNull();
    expect(await actorOfBearer(db, null)).toBeNull();
    expect((await listApiTokens(db, alice))[0]).toMatchObject({ id, name: "ci", prefix: token.slice(0, 13), revokedAt: null });
    expect((await db.apiToken.findUniqueOrThrow({ where: { id } })).lastUsedAt).not.toBeNull();

    const bob = await actorOf((await makeUser(db)).id);
    await expect(revokeApiToken(db, bob, { tokenId: id })).rejects.toBeInstanceOf(NotFoundError);
    expect(await actorOfBearer(db, `Bearer ${token}`)).not.toBeNull();
    await revokeApiToken(db, alice, { tokenId: id });
    expect(await actorOfBearer(db, `Bearer ${token}`)).toBeNull();
    const audit = await db.auditLog.findMany({ where: { action: { startsWith: "api-token." }, actorId: { in: [alice.id, bob.id] } }, orderBy: { at: "asc" } });
    expect(audit.map((a) => `${a.actor === alice.username ? "alice" : "bob"} ${a.action} ${a.outcome}`)).toEqual([
      "alice api-token.create succeeded",
      "bob api-token.revoke denied",
      "alice api-token.revoke succeeded",
    ]);
  });

  it("need a name", async () => {
    const alice = await actorOf((await makeUser(db)).id);
    await expect(createApiToken(db, alice, { name: "  " })).rejects.toBeInstanceOf(InvalidInputError);
  });
});
