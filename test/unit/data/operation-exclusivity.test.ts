import { afterAll, describe, expect, it } from "vitest";
import { makeProjectWithCluster, makeUser, testDb } from "../../support/db";

const db = testDb();
afterAll(() => db.$disconnect());

describe("one active operation per cluster", () => {
  it("is enforced by the database's unique index, not by code", async () => {
    const user = await makeUser(db);
    const { cluster } = await makeProjectWithCluster(db, user.id);
    const active = { clusterId: cluster.id, activeClusterId: cluster.id, requestedById: user.id };
    await db.operation.create({ data: { ...active, kind: "create" } });
    await expect(db.operation.create({ data: { ...active, kind: "teardown" } })).rejects.toMatchObject({ code: "P2002" });
    // A finished operation frees the slot.
    await db.operation.updateMany({ where: { clusterId: cluster.id }, data: { status: "succeeded", activeClusterId: null } });
    await db.operation.create({ data: { ...active, kind: "teardown" } });
    expect(await db.operation.count({ where: { clusterId: cluster.id } })).toBe(2);
  });
});
