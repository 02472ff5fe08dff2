import { afterAll, describe, expect, it } from "vitest";
import { loadActor } from "@/lib/data/actor";
import { actorOfBearer, createApiToken, listApiTokens, revokeApiToken } from "@/lib/data/api-tokens";
import { InvalidInputError, NotFoundError } from "@/lib/data/errors";
import { apiRoute, decideTeardownApi, draftClusterApi, listProjectsApi, teardownApi } from "@/lib/data/api";
import { makeProjectWithCluster, makeUser, testDb } from "../../support/db";

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

describe("the automation API's answers", () => {
  const call = (handler: Parameters<typeof apiRoute>[1], token: string, body?: string, params: Record<string, string> = {}) =>
    apiRoute(() => db, handler)(new Request("http://127.0.0.1/api/v1/x", { method: body === undefined ? "GET" : "POST", headers: { authorization: `Bearer ${token}` }, body }), {
      params: Promise.resolve(params),
    });

  it("tear down a ready cluster of a two-person project as the cluster page does: asked by one member, approved by another", async () => {
    const owner = await makeUser(db);
    const { project, cluster } = await makeProjectWithCluster(db, owner.id);
    await db.project.update({ where: { id: project.id }, data: { twoPersonTeardown: true } });
    await db.cluster.update({ where: { id: cluster.id }, data: { status: "ready" } });
    const [other, approver] = await Promise.all(
      ["member", "member"].map(async () => (await createApiToken(db, await actorOf((await makeUser(db, { projects: [{ id: project.id, role: "member" }] })).id), { name: "script" })).token),
    );
    await db.membership.create({ data: { userId: owner.id, projectId: project.id, role: "member" } });
    const ownerToken = (await createApiToken(db, await actorOf(owner.id), { name: "script" })).token;

    const asked = await call(teardownApi, ownerToken, "", { id: cluster.id });
    const { approvalRequestId, url } = (await asked.json()) as { approvalRequestId: string; url: string };
    expect([asked.status, url]).toEqual([202, `/api/v1/clusters/${cluster.id}`]);
    expect(await db.operation.count({ where: { clusterId: cluster.id } })).toBe(0);
    // the creator (or a lead) asks, once: a second ask says who asked; another member may not ask
    expect((await call(teardownApi, other, "", { id: cluster.id })).status).toBe(403);
    const again = await call(teardownApi, ownerToken, "", { id: cluster.id });
    expect([again.status, ((await again.json()) as { error: string }).error]).toEqual([409, `${owner.username} already asked for this teardown; it waits for a second member's approval.`]);
    // the one who asked may not approve, another member may not withdraw
    expect((await call(decideTeardownApi("approve"), ownerToken, "", { id: approvalRequestId })).status).toBe(403);
    expect((await call(decideTeardownApi("withdraw"), other, "", { id: approvalRequestId })).status).toBe(403);

    const approved = await call(decideTeardownApi("approve"), approver, "", { id: approvalRequestId });
    const { operationId } = (await approved.json()) as { operationId: string };
    expect(approved.status).toBe(202);
    expect(await db.operation.findUniqueOrThrow({ where: { id: operationId }, select: { kind: true, requestedById: true, approvedById: true } })).toEqual({
      kind: "teardown",
      requestedById: owner.id,
      approvedById: (await actorOfBearer(db, `Bearer ${approver}`))!.id,
    });
    expect((await call(decideTeardownApi("withdraw"), ownerToken, "", { id: approvalRequestId })).status).toBe(409);
  });

  it("list the projects a token's user may create clusters in, with their clouds: a draft's projectId and cloudId", async () => {
    const owner = await makeUser(db);
    const { project, cloud } = await makeProjectWithCluster(db, owner.id);
    await makeProjectWithCluster(db, owner.id); // another project, not the user's
    const member = await actorOf((await makeUser(db, { projects: [{ id: project.id, role: "member" }] })).id);
    const { token } = await createApiToken(db, member, { name: "script" });
    const answer = await call(listProjectsApi, token);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ projects: [{ id: project.id, name: project.name, clouds: [{ id: cloud.id, name: cloud.name, authUrl: cloud.authUrl }] }] });
  });

  it("refuse a body that is not JSON, or nests deeper than any spec, with where, and store nothing", async () => {
    const member = await actorOf((await makeUser(db)).id);
    const { token } = await createApiToken(db, member, { name: "script" });
    const clusters = await db.cluster.count();
    const notJson = await call(draftClusterApi, token, '{\n  "projectId": x\n}');
    expect([notJson.status, await notJson.json()]).toEqual([400, { error: expect.any(String), errors: { body: expect.stringMatching(/^The request body is not valid JSON: Unexpected token .x. at line 2, column 16$/) } }]);
    const deep = await call(draftClusterApi, token, `{"projectId": "p", "cloudId": "c", "spec": ${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}}`);
    expect([deep.status, await deep.json()]).toEqual([400, { error: expect.any(String), errors: { body: "The request body nests deeper than 64 levels at line 1, column 359" } }]);
    // more than a spec and a kubeconfig can be: 413, read no further
    const huge = await call(draftClusterApi, token, `{"projectId": "p", "cloudId": "c", "spec": {"x": "${"y".repeat(5 * 1024 * 1024)}"}}`);
    expect([huge.status, await huge.json()]).toEqual([413, { error: "The request body is larger than 4.0 MiB. Nothing was stored." }]);
    expect(await db.cluster.count()).toBe(clusters);
  });
});
