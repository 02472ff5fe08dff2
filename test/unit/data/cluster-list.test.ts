import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshOperationHealth } from "@/lib/cluster-health";
import type { Actor } from "@/lib/auth/policy";
import { loadActor } from "@/lib/data/actor";
import { listClusters, type ClusterListInput } from "@/lib/data/directory";
import { ForbiddenError, InvalidInputError } from "@/lib/data/errors";
import { getOversight } from "@/lib/data/oversight";
import { listAudit } from "@/lib/data/audit-log";
import { withoutRefusedFilters, type AddressQuery } from "@/lib/data/paging";
import { makeProjectWithCluster, makeUser, testDb, uniq } from "../../support/db";

// The clusters list's filters, sorts and pages, as a member of one project sees them (its statement is raw SQL:
// these are what it must keep meaning).

const db = testDb();
afterAll(() => db.$disconnect());

let member: Actor;
let creator: string;
let project: string;
let otherProject: string;
const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes));

beforeAll(async () => {
  const owner = await makeUser(db);
  creator = owner.username;
  const { project: p, cloud } = await makeProjectWithCluster(db, owner.id);
  project = p.name;
  otherProject = (await makeProjectWithCluster(db, owner.id)).project.id;
  member = (await loadActor(db, (await makeUser(db, { projects: [{ id: p.id, role: "member" }] })).id))!;
  // makeProjectWithCluster's own cluster is a draft named cl-…; these are named by what they are
  const cluster = async (name: string, status: string, minutes: number, operation?: { status: string; step?: string }) => {
    const c = await db.cluster.create({
      data: { projectId: p.id, cloudId: cloud.id, name, specJson: "{}", infraId: uniq("infra"), status, createdById: owner.id, createdAt: at(minutes) },
    });
    if (operation) {
      const op = await db.operation.create({ data: { clusterId: c.id, kind: "create", status: operation.status, requestedById: owner.id } });
      if (operation.step) await db.step.create({ data: { operationId: op.id, name: operation.step, position: 2, status: "running" } });
      await refreshOperationHealth(db, c.id);
    }
  };
  await cluster("ready-1", "ready", 1, { status: "succeeded" });
  await cluster("cancelled-1", "failed", 2, { status: "cancelled" });
  await cluster("failed-1", "failed", 3, { status: "failed" });
  await cluster("failed-2", "failed", 4);
  await cluster("deleted-1", "deleted", 5, { status: "succeeded" });
  await cluster("creating-1", "creating", 6, { status: "running", step: "control-plane" });
  for (let i = 0; i < 6; i++) await cluster(`ready-x${i}`, "ready", 10 + i);
});

const names = async (query: ClusterListInput) => (await listClusters(db, member, query)).rows.map((c) => c.name).filter((n) => !n.startsWith("cl-"));

describe("the clusters list", () => {
  it("shows the newest first without deleted ones, each with its project, owner, age and running step", async () => {
    const page = await listClusters(db, member);
    expect(page.total).toBe(12); // eleven here and makeProjectWithCluster's draft
    expect(page.rows.map((c) => c.name).filter((n) => !n.startsWith("cl-")).slice(0, 7)).toEqual(["ready-x5", "ready-x4", "ready-x3", "ready-x2", "ready-x1", "ready-x0", "creating-1"]);
    const creating = page.rows.find((c) => c.name === "creating-1")!;
    expect(creating).toMatchObject({ project, createdBy: creator, status: "creating", createdAt: at(6).toISOString() });
    expect(creating.operation).toEqual({ kind: "create", status: "running", step: "control-plane", done: expect.any(Number), total: expect.any(Number) });
    expect(creating.operation!.done).toBeGreaterThan(0);
    expect(page.rows.find((c) => c.name === "ready-1")!.operation).toMatchObject({ status: "succeeded" });
    expect(page.rows.find((c) => c.name === "failed-2")!.operation).toBeNull();
  });

  it("filters by the status as shown: a cancelled create is 'cancelled', not 'failed'", async () => {
    expect(await names({ status: "cancelled" })).toEqual(["cancelled-1"]);
    expect(await names({ status: "failed", sort: "name", dir: "asc" })).toEqual(["failed-1", "failed-2"]);
    expect((await listClusters(db, member, { status: "cancelled" })).rows[0].status).toBe("cancelled");
    expect(await names({ status: "deleted" })).toEqual(["deleted-1"]);
  });

  it("shows deleted clusters when asked, filters by name prefix and sorts by name either way", async () => {
    expect(await names({ deleted: "1", q: "deleted" })).toEqual(["deleted-1"]);
    expect(await names({ q: "ready-x", sort: "name", dir: "asc" })).toEqual(["ready-x0", "ready-x1", "ready-x2", "ready-x3", "ready-x4", "ready-x5"]);
    expect(await names({ q: "fail", sort: "name", dir: "desc" })).toEqual(["failed-2", "failed-1"]);
    expect((await listClusters(db, member, { q: "ready-x" })).total).toBe(6);
  });

  it("pages without overlap, and shows nothing of a project the member is not in", async () => {
    const first = await listClusters(db, member, { size: 10, sort: "name", dir: "asc" });
    const second = await listClusters(db, member, { size: 10, page: 2, sort: "name", dir: "asc" });
    expect(first.rows).toHaveLength(10);
    expect(second.rows).toHaveLength(2);
    expect(second.pages).toBe(2);
    const all = [...first.rows, ...second.rows].map((c) => c.name);
    expect(new Set(all).size).toBe(12);
    expect(all).toEqual([...all].sort());
    const outside = await listClusters(db, member, { projectId: otherProject });
    expect(outside.rows).toEqual([]);
    expect(outside.total).toBe(0);
  });
});

describe("a list page's address with a filter the list refuses", () => {
  it("shows the list without it, filtered by the rest, and names it with why", async () => {
    const read = (query: AddressQuery) => listClusters(db, member, query);
    const { view, refused } = await withoutRefusedFilters({ status: "bogus", q: "failed-", deleted: "yes" }, read);
    expect(refused).toEqual([
      { name: "status", value: "bogus", message: "Not a cluster status" },
      { name: "deleted", value: "yes", message: "1 (deleted clusters shown too) or nothing" },
    ]);
    expect(view.filters).toMatchObject({ q: "failed-", deleted: false });
    expect(view.filters.status).toBeUndefined();
    expect(view.rows.map((c) => c.name).sort()).toEqual(["failed-1", "failed-2"]);
    // a filter given twice is refused as such, not by one of its values
    expect((await withoutRefusedFilters({ status: ["ready", "failed"], q: ["a", "b"] }, read)).refused).toEqual([
      { name: "status", value: "ready & status=failed", message: "Given more than once: a list takes one value of each filter" },
      { name: "q", value: "a & q=b", message: "Given more than once: a list takes one value of each filter" },
    ]);
    // nothing refused: the list as asked
    expect(await withoutRefusedFilters({ status: "cancelled" }, read)).toMatchObject({ refused: [], view: { filters: { status: "cancelled" } } });
  });

  it("says of the audit log's outcome and days what they must be", async () => {
    const admin = (await loadActor(db, (await makeUser(db, { role: "admin" })).id))!;
    const { view, refused } = await withoutRefusedFilters({ outcome: "nope", from: "2026-02-30", to: "2026-12-31", action: "session.sign-in" }, (query) => listAudit(db, admin, query));
    expect(refused).toEqual([
      { name: "outcome", value: "nope", message: "Not an outcome: allowed, denied, succeeded or failed" },
      { name: "from", value: "2026-02-30", message: "Not a date (YYYY-MM-DD)" },
    ]);
    expect(view.filters).toEqual({ action: "session.sign-in", to: "2026-12-31" });
  });

  it("throws what is not a refused filter of the address", async () => {
    const outsider = (await loadActor(db, (await makeUser(db)).id))!;
    const invalid = () => {
      throw new InvalidInputError({ elsewhere: "not from the address" });
    };
    await expect(withoutRefusedFilters({ status: "ready" }, async () => invalid())).rejects.toBeInstanceOf(InvalidInputError);
    // a list the actor may not read is refused as such, whatever its filters
    await expect(withoutRefusedFilters({ problem: "bogus" }, (query) => getOversight(db, outsider, query))).rejects.toBeInstanceOf(ForbiddenError);
  });
});
