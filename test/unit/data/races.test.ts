import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import type { Actor } from "@/lib/auth/policy";
import { loadActor } from "@/lib/data/actor";
import { createUser, setUserDisabled, setUserRole } from "@/lib/data/accounts";
import { addCloud, removeCloud } from "@/lib/data/clouds";
import { InvalidInputError, InvalidStateError, NotFoundError } from "@/lib/data/errors";
import { addMember, createProject, removeMember, setMemberRole } from "@/lib/data/projects";
import { decideTeardown, requestTeardown } from "@/lib/data/teardown";
import { OperationConflictError } from "@/lib/lifecycle/operations";
import { isolatedDb, makeProjectWithCluster, makeUser, testDb, uniq } from "../../support/db";
import { closeOpenstackStandIn, openstackStandIn } from "../../support/openstack-standin";

// Two requests at the same moment, as two people clicking at once: each pair runs concurrently, so both pass the
// command's checks before either writes. One must win; the other gets the sentence the check gives, never a
// database error, and the rows stay right.

const db = testDb();
afterAll(async () => {
  await closeOpenstackStandIn();
  await db.$disconnect();
});

/**
 * The client with its counts and searches held back a while: two requests at once are both past them before either
 * writes, unless the command makes the second wait (on PostgreSQL two transactions otherwise run side by side).
 */
function slowReads(on: Db): Db {
  const later = <T>(read: Promise<T>) => new Promise((resolve) => setTimeout(resolve, 50)).then(() => read);
  return on.$extends({
    query: { $allModels: { count: ({ args, query }) => later(query(args)), findFirst: ({ args, query }) => later(query(args)) } },
  }) as unknown as Db;
}

async function actorOf(on: Db, opts: Parameters<typeof makeUser>[1]): Promise<Actor> {
  return (await loadActor(on, (await makeUser(on, opts)).id))!;
}

/** Exactly one of the two settled calls succeeded; the other's error. */
function loserOf(results: PromiseSettledResult<unknown>[]): unknown {
  expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
  return (results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason;
}

function expectFieldError(error: unknown, errors: Record<string, string>): void {
  expect(error).toBeInstanceOf(InvalidInputError);
  expect((error as InvalidInputError).errors).toEqual(errors);
}

/** A ready cluster in a project where its teardown needs a second member's approval, and a maker of its leads. */
async function readyClusterOfTwoPersonProject() {
  const creator = await makeUser(db);
  const { project, cluster } = await makeProjectWithCluster(db, creator.id);
  await db.project.update({ where: { id: project.id }, data: { twoPersonTeardown: true } });
  await db.cluster.update({ where: { id: cluster.id }, data: { status: "ready" } });
  return { project, cluster, lead: () => actorOf(db, { role: "lead", projects: [{ id: project.id, role: "lead" }] }) };
}

describe("two requests at once, in a project", () => {
  let projectId: string;
  let leads: [Actor, Actor];
  let admins: [Actor, Actor];
  beforeAll(async () => {
    projectId = (await db.project.create({ data: { name: uniq("races") } })).id;
    const lead = () => actorOf(db, { role: "lead", projects: [{ id: projectId, role: "lead" }] });
    leads = [await lead(), await lead()];
    admins = [await actorOf(db, { role: "admin" }), await actorOf(db, { role: "admin" })];
  });

  it("two leads add the same user: one membership, the other lead hears they are already a member", async () => {
    const user = await makeUser(db);
    const results = await Promise.allSettled(leads.map((lead) => addMember(db, lead, { projectId, username: user.username, role: "member" })));
    expectFieldError(loserOf(results), { username: "Already a member; change the role in the list" });
    expect(await db.membership.count({ where: { projectId, userId: user.id } })).toBe(1);
    expect(await db.auditLog.count({ where: { action: "membership.add", target: { startsWith: `user ${user.username} ` }, outcome: "succeeded" } })).toBe(1);
  });

  it("two leads remove the same member: the second hears the membership is gone", async () => {
    const user = await makeUser(db, { projects: [{ id: projectId, role: "member" }] });
    const results = await Promise.allSettled(leads.map((lead) => removeMember(db, lead, { projectId, userId: user.id })));
    const error = loserOf(results);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toBe("That membership does not exist, or you may not see it.");
    expect(await db.membership.count({ where: { projectId, userId: user.id } })).toBe(0);
    expect(await db.auditLog.count({ where: { action: "membership.remove", target: { startsWith: `user ${user.username} ` }, outcome: "succeeded" } })).toBe(1);
  });

  it("a lead changes the role of a member another lead removes: the change hears the membership is gone", async () => {
    const user = await makeUser(db, { projects: [{ id: projectId, role: "member" }] });
    const [removal, roleChange] = await Promise.allSettled([
      removeMember(db, leads[0], { projectId, userId: user.id }),
      setMemberRole(db, leads[1], { projectId, userId: user.id, role: "lead" }),
    ]);
    expect(removal.status).toBe("fulfilled");
    expect(roleChange.status).toBe("rejected");
    expect((roleChange as PromiseRejectedResult).reason).toBeInstanceOf(NotFoundError);
    expect(await db.membership.count({ where: { projectId, userId: user.id } })).toBe(0);
    expect(await db.auditLog.count({ where: { action: "membership.set-role", target: { startsWith: `user ${user.username} ` } } })).toBe(0);
  });

  it("two leads make the same member a lead at once: the audit names the role each change replaced", async () => {
    const user = await makeUser(db, { projects: [{ id: projectId, role: "member" }] });
    // both read the membership before either writes
    const readsLate = db.$extends({
      query: { membership: { findUnique: ({ args, query }) => new Promise((resolve) => setTimeout(resolve, 50)).then(() => query(args)) } },
    }) as unknown as Db;
    const results = await Promise.allSettled(leads.map((lead) => setMemberRole(readsLate, lead, { projectId, userId: user.id, role: "lead" })));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
    const audited = await db.auditLog.findMany({ where: { action: "membership.set-role", target: { startsWith: `user ${user.username} ` } } });
    expect(audited.map((a) => a.detail).sort()).toEqual(["lead → lead", "member → lead"]);
  });

  it("two leads add a cloud of the same name during the connection test: one cloud, the other lead hears the name is taken", async () => {
    const name = uniq("cloud");
    // the connection test asks the OpenStack stand-in: both requests are in it, past the name's check, together
    const form = { projectId, name, authUrl: (await openstackStandIn()).url, username: "u", password: "p", projectName: "demo" };
    const results = await Promise.allSettled(leads.map((lead) => addCloud(db, lead, form)));
    expectFieldError(loserOf(results), { name: "This project has a cloud of this name; rotate its credentials instead" });
    expect(await db.cloud.count({ where: { projectId, name } })).toBe(1);
    const audited = await db.auditLog.findMany({ where: { action: "cloud.register", target: { startsWith: `cloud ${name} ` } } });
    expect(audited.map((a) => a.outcome)).toEqual(["succeeded"]);
  });

  it("two leads remove the same cloud: the second hears the cloud is gone", async () => {
    const name = uniq("cloud");
    const cloudId = (await db.cloud.create({ data: { projectId, name, authUrl: "http://127.0.0.1:9/v3", credentialsSealed: "x" } })).id;
    const results = await Promise.allSettled(leads.map((lead) => removeCloud(db, lead, { cloudId })));
    const error = loserOf(results);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toBe("That cloud does not exist, or you may not see it.");
    expect(await db.cloud.count({ where: { id: cloudId } })).toBe(0);
    expect(await db.auditLog.count({ where: { action: "cloud.remove", target: { startsWith: `cloud ${name} ` }, outcome: "succeeded" } })).toBe(1);
  });

  it("a lead removes a cloud as a cluster is drafted on it: the cloud stays, the lead hears why", async () => {
    const name = uniq("cloud");
    const cloudId = (await db.cloud.create({ data: { projectId, name, authUrl: "http://127.0.0.1:9/v3", credentialsSealed: "x" } })).id;
    const creatorId = (await makeUser(db)).id;
    // the draft lands right after the command counted the cloud's clusters (none), before it deletes the cloud
    const draftedMeanwhile = db.$extends({
      query: {
        cluster: {
          count: async ({ args, query }) => {
            const counted = await query(args);
            await db.cluster.create({ data: { projectId, cloudId, name: uniq("cl"), specJson: "{}", infraId: uniq("infra"), createdById: creatorId } });
            return counted;
          },
        },
      },
    }) as unknown as Db;
    const refused = removeCloud(draftedMeanwhile, leads[0], { cloudId });
    await expect(refused).rejects.toBeInstanceOf(InvalidStateError);
    await expect(refused).rejects.toThrow("A cluster was drafted on this cloud a moment ago; it stays.");
    expect(await db.cloud.count({ where: { id: cloudId } })).toBe(1);
  });

  it("two administrators create a project of the same name: one project, the other hears the name is taken", async () => {
    const name = uniq("proj");
    const results = await Promise.allSettled(admins.map((admin) => createProject(db, admin, { name })));
    expectFieldError(loserOf(results), { name: "A project with this name exists" });
    expect(await db.project.count({ where: { name } })).toBe(1);
  });

  it("two administrators create a user of the same name: one user, the other hears the name is taken", async () => {
    const username = uniq("user");
    const results = await Promise.allSettled(admins.map((admin) => createUser(db, admin, { username, password: "Correct-horse-7-battery", role: "member" })));
    expectFieldError(loserOf(results), { username: "A user with this name exists" });
    expect(await db.user.count({ where: { username } })).toBe(1);
  });

  it("two leads ask for the same two-person teardown: one request waits for approval, the other lead hears it was asked for", async () => {
    const { project, cluster, lead } = await readyClusterOfTwoPersonProject();
    const askers = [await lead(), await lead()];
    const results = await Promise.allSettled(askers.map((asker) => requestTeardown(slowReads(db), asker, { clusterId: cluster.id })));
    const error = loserOf(results);
    expect(error).toBeInstanceOf(InvalidStateError);
    expect((error as Error).message).toMatch(/already asked for this teardown; it waits for a second member's approval\.$/);
    expect(await db.teardownRequest.count({ where: { clusterId: cluster.id, status: "pending" } })).toBe(1);
  });

  it("a lead asks for a teardown as a member approves the one asked for: it is queued, and no request is left waiting", async () => {
    const { project, cluster, lead } = await readyClusterOfTwoPersonProject();
    const [asker, approver, latecomer] = [await lead(), await actorOf(db, { projects: [{ id: project.id, role: "member" }] }), await lead()];
    const asked = await requestTeardown(db, asker, { clusterId: cluster.id });
    if (!("approvalRequestId" in asked)) throw new Error("the teardown should wait for approval");
    const [approval, askedAgain] = await Promise.allSettled([
      decideTeardown(slowReads(db), approver, { requestId: asked.approvalRequestId, decision: "approve" }),
      requestTeardown(slowReads(db), latecomer, { clusterId: cluster.id }),
    ]);
    expect(approval.status).toBe("fulfilled");
    expect(askedAgain.status).toBe("rejected");
    // asked before the approval took the cluster: the request was still waiting; after: the teardown is queued
    const error = (askedAgain as PromiseRejectedResult).reason as Error;
    expect([InvalidStateError, OperationConflictError].some((kind) => error instanceof kind)).toBe(true);
    expect(await db.teardownRequest.findMany({ where: { clusterId: cluster.id }, select: { status: true } })).toEqual([{ status: "approved" }]);
    expect(await db.operation.count({ where: { clusterId: cluster.id, kind: "teardown", status: "queued" } })).toBe(1);
  });
});

// The rule counts every enabled administrator, so these tests have a database of their own with exactly two.
describe("two administrators remove each other at once", () => {
  let own: ReturnType<typeof isolatedDb>;
  beforeAll(() => {
    own = isolatedDb("races-admins");
  });
  afterAll(() => own.dispose());

  async function twoAdmins(): Promise<[Actor, Actor]> {
    await own.db.user.updateMany({ where: { role: "admin" }, data: { role: "member" } });
    return [await actorOf(own.db, { role: "admin" }), await actorOf(own.db, { role: "admin" })];
  }

  const slowDb = () => slowReads(own.db);

  async function expectOneEnabledAdminLeft(results: PromiseSettledResult<unknown>[]): Promise<void> {
    const error = loserOf(results);
    expect(error).toBeInstanceOf(InvalidStateError);
    expect((error as Error).message).toBe("This is the last enabled administrator; make someone else an administrator first.");
    expect(await own.db.user.count({ where: { role: "admin", disabled: false } })).toBe(1);
  }

  it("demoting each other leaves one administrator", async () => {
    const [a, b] = await twoAdmins();
    await expectOneEnabledAdminLeft(await Promise.allSettled([setUserRole(slowDb(), a, { userId: b.id, role: "member" }), setUserRole(slowDb(), b, { userId: a.id, role: "lead" })]));
  });

  it("disabling each other leaves one enabled administrator", async () => {
    const [a, b] = await twoAdmins();
    await expectOneEnabledAdminLeft(await Promise.allSettled([setUserDisabled(slowDb(), a, { userId: b.id, disabled: "on" }), setUserDisabled(slowDb(), b, { userId: a.id, disabled: "on" })]));
  });

  it("one demoting while the other disables leaves one enabled administrator", async () => {
    const [a, b] = await twoAdmins();
    await expectOneEnabledAdminLeft(await Promise.allSettled([setUserRole(slowDb(), a, { userId: b.id, role: "member" }), setUserDisabled(slowDb(), b, { userId: a.id, disabled: "on" })]));
  });
});
