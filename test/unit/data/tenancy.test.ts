import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listClusters, listProjects, listUsers } from "@/lib/data/directory";
import { loadActor } from "@/lib/data/actor";
import { ForbiddenError } from "@/lib/data/errors";
import { registerCloud } from "@/lib/data/clouds";
import { getProject } from "@/lib/data/projects";
import { makeProjectWithCluster, makeUser, testDb, uniq } from "../../support/db";

const db = testDb();
afterAll(() => db.$disconnect());

describe("tenant isolation through lib/data", () => {
  let fixture: Awaited<ReturnType<typeof setup>>;
  async function setup() {
    const owner = await makeUser(db);
    const a = await makeProjectWithCluster(db, owner.id);
    const b = await makeProjectWithCluster(db, owner.id);
    const memberOfA = await makeUser(db, { projects: [{ id: a.project.id, role: "member" }] });
    const leadOfA = await makeUser(db, { role: "lead", projects: [{ id: a.project.id, role: "lead" }] });
    const admin = await makeUser(db, { role: "admin" });
    return { a, b, memberOfA, leadOfA, admin };
  }
  beforeAll(async () => {
    fixture = await setup();
  });

  it("a member of project A lists A's clusters and none of B's", async () => {
    const actor = (await loadActor(db, fixture.memberOfA.id))!;
    const names = (await listClusters(db, actor)).rows.map((c) => c.name);
    expect(names).toContain(fixture.a.cluster.name);
    expect(names).not.toContain(fixture.b.cluster.name);
    const projects = (await listProjects(db, actor)).rows.map((p) => p.id);
    expect(projects).toEqual([fixture.a.project.id]);
  });

  it("a member of project A cannot change project B's rows", async () => {
    const actor = (await loadActor(db, fixture.memberOfA.id))!;
    await expect(
      registerCloud(db, actor, {
        projectId: fixture.b.project.id,
        name: "intruder",
        authUrl: "http://127.0.0.1:5000/v3",
        credentials: { type: "password", username: "x", password: "y", projectName: "p" },
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(await db.cloud.count({ where: { projectId: fixture.b.project.id, name: "intruder" } })).toBe(0);
  });

  it("only an admin reads the user directory; an admin sees every project", async () => {
    const lead = (await loadActor(db, fixture.leadOfA.id))!;
    await expect(listUsers(db, lead)).rejects.toBeInstanceOf(ForbiddenError);
    const admin = (await loadActor(db, fixture.admin.id))!;
    // "!" sorts before every other test's user names (the files share the database), so the first page has it
    await db.user.update({ where: { id: fixture.memberOfA.id }, data: { username: `!${uniq("listed")}` } });
    const users = await listUsers(db, admin);
    expect(users.rows.map((u) => u.id)).toContain(fixture.memberOfA.id);
    expect(JSON.stringify(users)).not.toContain("$2"); // no bcrypt hash leaks into the DTO
    const projects = (await listProjects(db, admin)).rows.map((p) => p.id);
    expect(projects).toEqual(expect.arrayContaining([fixture.a.project.id, fixture.b.project.id]));
  });
});

describe("a project's members, in the order people read them", () => {
  it("leads first, then members, numbers inside names by their value, on the projects list and the project's page", async () => {
    // "!" sorts before every other test's project names, so the first page of the list has it
    const project = await db.project.create({ data: { name: `!${uniq("order")}` } });
    const suffix = uniq("m");
    for (const [name, role] of [["user-10", "member"], ["user-3", "member"], ["user-2", "lead"], ["user-11", "lead"], ["user-1", "member"]] as const) {
      const user = await db.user.create({ data: { username: `${name}-${suffix}`, role: "member", passwordHash: "x" } });
      await db.membership.create({ data: { userId: user.id, projectId: project.id, role } });
    }
    const admin = (await loadActor(db, (await makeUser(db, { role: "admin" })).id))!;
    const named = (members: { username: string; role: string }[]) => members.map((m) => `${m.username.replace(`-${suffix}`, "")} ${m.role}`);
    const listed = (await listProjects(db, admin)).rows.find((p) => p.id === project.id)!;
    expect(named(listed.members)).toEqual(["user-2 lead", "user-11 lead", "user-1 member", "user-3 member", "user-10 member"]);
    const page = await getProject(db, admin, project.id);
    expect(named(page.members)).toEqual(["user-1 member", "user-2 lead", "user-3 member", "user-10 member", "user-11 lead"]);
  });
});
