import { afterAll, describe, expect, it } from "vitest";
import { loadActor } from "@/lib/data/actor";
import { makeUser, testDb, uniq } from "../../support/db";

// The actor behind every request: one join, on SQLite and on PostgreSQL (TRIPOD_TEST_DATABASE=postgresql), which
// answer booleans and integers of a raw query differently.
const db = testDb();
afterAll(() => db.$disconnect());

describe("loadActor", () => {
  it("reads the user with their memberships, and ends a session that is behind the user's version or of a disabled user", async () => {
    const project = await db.project.create({ data: { name: uniq("actor") } });
    const user = await makeUser(db, { role: "lead", projects: [{ id: project.id, role: "lead" }] });
    expect(await loadActor(db, user.id, { version: 0 })).toMatchObject({ id: user.id, role: "lead", memberships: [{ projectId: project.id, role: "lead" }] });
    expect(await loadActor(db, "no-such-user")).toBeNull();

    await db.user.update({ where: { id: user.id }, data: { sessionVersion: { increment: 1 } } });
    expect(await loadActor(db, user.id, { version: 0 })).toBeNull();
    expect(await loadActor(db, user.id, { version: 1 })).not.toBeNull();

    await db.user.update({ where: { id: user.id }, data: { disabled: true } });
    expect(await loadActor(db, user.id, { version: 1 })).toBeNull();
    // Without a session (an API token's user is checked on its own), the actor is still read.
    expect((await loadActor(db, user.id))?.id).toBe(user.id);
  });
});
