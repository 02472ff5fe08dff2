import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/policy";
import { recordVipHealth, refreshOperationHealth, type VipHealthSummary } from "@/lib/cluster-health";
import { ForbiddenError } from "@/lib/data/errors";
import { getOversight, OVERSIGHT_PROBLEMS, summarizeError, type OversightInput } from "@/lib/data/oversight";
import { clusterDriftRows, getDriftOversight } from "@/lib/data/drift";
import { makeTenant, makeUser, testDb, uniq } from "../../support/db";
import { loadActor } from "@/lib/data/actor";

// lib/data/oversight.ts getOversight and lib/data/drift.ts (raw SQL: run on SQLite and, by test/bin/test.sh, on
// PostgreSQL): a lead's project with a cluster for each thing oversight tells apart, read back row by row, filter by
// filter, total by total; and the drift the reconciler found in its cloud.

const db = testDb();
afterAll(() => db.$disconnect());

const now = new Date();
const MINUTE = 60_000;
const ago = (ms: number) => new Date(now.getTime() - ms);

let lead: Actor;
let member: Actor;
let asker: Actor;
let prefix = "";
let tenant: Awaited<ReturnType<typeof makeTenant>>;
const ids: Record<string, string> = {};

/** The keys of the clusters a read shows, in its order. */
const keysOf = (rows: { name: string }[]) => rows.map((r) => r.name.slice(prefix.length + 1));
const read = (query: OversightInput = {}) => getOversight(db, lead, { q: prefix, ...query }, now);

const vips = (heardAt: Date, api: "ok" | "degraded" | "down", ingress = "ok"): VipHealthSummary => ({
  status: api,
  vips: [
    { vip: "api", status: api, holders: api === "down" ? [] : ["master-0"], problems: api === "ok" ? [] : ["no-holder"] },
    { vip: "ingress", status: ingress, holders: ["master-1"], problems: [] },
  ],
  heardAt,
});

beforeAll(async () => {
  tenant = await makeTenant(db);
  lead = await tenant.actor({ projects: [{ id: tenant.projectId, role: "lead" }] });
  member = await tenant.actor({ projects: [{ id: tenant.projectId, role: "member" }] });
  asker = await tenant.actor({ projects: [{ id: tenant.projectId, role: "member" }] });
  prefix = uniq("ov");
  let created = 0;
  const cluster = async (key: string, status: string) => {
    const c = await db.cluster.create({
      data: { projectId: tenant.projectId, cloudId: tenant.cloudId, name: `${prefix}-${key}`, specJson: "{}", infraId: uniq("infra"), status, createdById: member.id, createdAt: ago(24 * 60 * MINUTE - created++ * MINUTE) },
    });
    ids[key] = c.id;
    return c.id;
  };
  const operation = async (clusterId: string, status: string, opts: { lease?: Date; step?: Date; error?: string; failedAt?: string } = {}) => {
    const op = await db.operation.create({ data: { clusterId, kind: "create", status, requestedById: member.id, leaseOwner: opts.lease && "w", leaseExpiresAt: opts.lease, error: opts.error } });
    if (opts.step) await db.step.create({ data: { operationId: op.id, name: "ports", position: 2, status: "running", attempt: 1, startedAt: opts.step } });
    if (opts.failedAt) await db.step.create({ data: { operationId: op.id, name: opts.failedAt, position: 0, status: "failed", attempt: 1, startedAt: ago(MINUTE) } });
    await refreshOperationHealth(db, clusterId);
  };

  await operation(await cluster("healthy", "ready"), "succeeded");
  await recordVipHealth(db, ids.healthy, vips(ago(1000), "ok"), now);
  await recordVipHealth(db, await cluster("silent", "ready"), vips(ago(10 * MINUTE), "ok"), now);
  await recordVipHealth(db, await cluster("degraded", "ready"), vips(ago(1000), "degraded"), now);
  await recordVipHealth(db, await cluster("vip-down", "ready"), vips(ago(1000), "down"), now);
  // running: a worker that stopped heartbeating, a step past its 10 min timeout, and one that is fine
  await operation(await cluster("lost", "creating"), "running", { step: ago(MINUTE) });
  await operation(await cluster("slow", "creating"), "running", { lease: new Date(now.getTime() + MINUTE), step: ago(11 * MINUTE) });
  await operation(await cluster("busy", "creating"), "running", { lease: new Date(now.getTime() + MINUTE), step: ago(MINUTE) });
  // and a later step of busy's left running too (a crash's leftover; the first id of all): the first by position shows
  const busy = await db.operation.findFirstOrThrow({ where: { clusterId: ids.busy } });
  await db.step.create({ data: { id: `0-${prefix}`, operationId: busy.id, name: "ignition-upload", position: 4, status: "running", attempt: 1, startedAt: ago(11 * MINUTE) } });
  await operation(await cluster("cancelled", "failed"), "cancelled");
  // as the engine records it: the step, then what went wrong
  await operation(await cluster("failed", "failed"), "failed", { error: "preflight: preflight found 2 problems: quota.instances: 4 needed, 2 free; flavor: no such flavor", failedAt: "preflight" });
  const orphan = await cluster("orphan", "deleted");
  for (const name of ["s0", "s1"]) await db.resource.create({ data: { clusterId: orphan, kind: "server", name, status: "present" } });
  await operation(orphan, "succeeded");
  // two pending requests (the first one shows) and a decided one
  const asked = await cluster("asked", "ready");
  await db.teardownRequest.create({ data: { id: `${prefix}-1`, clusterId: asked, requestedById: asker.id, createdAt: ago(2 * MINUTE) } });
  await db.teardownRequest.create({ data: { id: `${prefix}-2`, clusterId: asked, requestedById: member.id, createdAt: ago(MINUTE) } });
  await db.teardownRequest.create({ data: { id: `${prefix}-0`, clusterId: ids.healthy, requestedById: member.id, status: "approved" } });
});

describe("oversight", () => {
  it("shows the lead's clusters with their operation, stuck reason, error, approval and resources", async () => {
    const all = await read();
    expect(keysOf(all.rows)).toEqual(["asked", "busy", "cancelled", "degraded", "failed", "healthy", "lost", "orphan", "silent", "slow", "vip-down"]);
    const row = (key: string) => all.rows.find((r) => r.id === ids[key])!;
    expect(row("slow")).toEqual({
      id: ids.slow,
      name: `${prefix}-slow`,
      project: expect.any(String),
      status: "creating",
      createdBy: member.username,
      createdAt: ago(24 * 60 * MINUTE - 5 * MINUTE).toISOString(),
      operation: { kind: "create", status: "running", requestedBy: member.username, step: "ports", stepSince: ago(11 * MINUTE).toISOString(), stuck: "past the step's 10 min timeout", error: null },
      needsApproval: null,
      presentResources: 0,
    });
    expect(row("lost").operation).toMatchObject({ stuck: "no worker heartbeat", stepSince: ago(MINUTE).toISOString() });
    expect(row("busy").operation).toMatchObject({ stuck: null, stepSince: ago(MINUTE).toISOString() });
    expect(row("cancelled")).toMatchObject({ status: "cancelled", operation: { status: "cancelled", stuck: null, stepSince: null } });
    expect(row("failed").operation).toMatchObject({ status: "failed", step: "preflight", error: { first: "quota.instances: 4 needed, 2 free", problems: 2 } });
    expect(row("orphan")).toMatchObject({ status: "deleted", presentResources: 2 });
    expect(row("asked").needsApproval).toEqual({ requestedBy: asker.username, at: ago(2 * MINUTE).toISOString() });
    expect(row("healthy").needsApproval).toBeNull();
    expect(row("silent").operation).toBeNull();
  });

  it("totals the scope: VIPs per VIP, a silent cluster's ok VIPs counted degraded; the page's VIPs worst first", async () => {
    const all = await read();
    expect(all.totals).toEqual({ clusters: 11, active: 3, stuck: 2, failed: 1, cancelled: 1, needsApproval: 2, orphaned: 1 });
    expect(all.vips.counts).toEqual({ ok: 4, degraded: 3, down: 1 });
    expect(all.vips.clusters.map((c) => [c.clusterName.slice(prefix.length + 1), c.status])).toEqual([
      ["vip-down", "down"],
      ["degraded", "degraded"],
      ["silent", "degraded"],
      ["healthy", "ok"],
    ]);
    expect(all.vips.clusters.find((c) => c.clusterId === ids.silent)?.vips.map((v) => v.problems)).toEqual([["node-silent"], ["node-silent"]]);
    // the totals are the scope's, whatever the filter
    expect((await read({ problem: "stuck" })).totals).toEqual(all.totals);
  });

  it("filters by problem, status and name prefix (together: all of them), pages and sorts", async () => {
    const expected: Record<(typeof OVERSIGHT_PROBLEMS)[number], string[]> = {
      active: ["busy", "lost", "slow"],
      stuck: ["lost", "slow"],
      failed: ["failed"],
      "needs-approval": ["asked"],
      orphaned: ["orphan"],
      "vip-degraded": ["degraded"],
      "vip-down": ["vip-down"],
    };
    for (const problem of OVERSIGHT_PROBLEMS) {
      const filtered = await read({ problem });
      expect([problem, keysOf(filtered.rows)]).toEqual([problem, expected[problem]]);
      expect(filtered.page.total).toBe(expected[problem].length);
      expect(filtered.filters).toEqual({ problem, q: prefix, status: undefined });
    }
    expect(keysOf((await read({ status: "cancelled" })).rows)).toEqual(["cancelled"]);
    expect(keysOf((await read({ status: "failed" })).rows)).toEqual(["failed"]);
    expect(keysOf((await read({ status: "creating", problem: "stuck" })).rows)).toEqual(["lost", "slow"]);
    expect(keysOf((await read({ status: "creating", problem: "vip-down" })).rows)).toEqual([]);
    expect(keysOf((await read({ q: `${prefix}-s` })).rows)).toEqual(["silent", "slow"]);

    const newest = await read({ sort: "created", dir: "desc", size: 10, page: 2 });
    expect([keysOf(newest.rows), newest.page]).toEqual([["healthy"], { total: 11, page: 2, size: 10, pages: 2, sort: "created", dir: "desc", sizes: [10, 20, 50, 100] }]);
    const byStatus = (await read({ sort: "status", size: 10 })).rows.map((r) => (r.status === "cancelled" ? "failed" : r.status));
    expect(byStatus).toEqual([...Array(3).fill("creating"), "deleted", "failed", "failed", ...Array(4).fill("ready")]);
  });

  it("is for leads of the clusters' projects and admins", async () => {
    await expect(getOversight(db, member)).rejects.toBeInstanceOf(ForbiddenError);
    const admin = (await loadActor(db, (await makeUser(db, { role: "admin" })).id))!;
    const [asAdmin, asLead] = [await getOversight(db, admin, { q: prefix }, now), await read()];
    expect([asAdmin.rows, asAdmin.page]).toEqual([asLead.rows, asLead.page]);
    const otherLead = (await loadActor(db, (await makeUser(db, { role: "lead" })).id))!;
    expect((await getOversight(db, otherLead, { q: prefix }, now)).totals).toEqual({ clusters: 0, active: 0, stuck: 0, failed: 0, cancelled: 0, needsApproval: 0, orphaned: 0 });
  });

  it("shows the drift of the lead's clouds, oldest first, and of one cluster", async () => {
    const finding = (key: string, kind: string, clusterId: string | null, firstSeenAt: Date) =>
      db.driftFinding.create({ data: { cloudId: tenant.cloudId, clusterId, key: `${prefix}-${key}`, kind, resourceKind: "server", name: `${prefix}-${key}`, detail: key, firstSeenAt, lastSeenAt: ago(0) } });
    await finding("stray", "orphan", null, ago(10 * MINUTE));
    await finding("gone", "missing", ids.healthy, ago(20 * MINUTE));
    const drift = await getDriftOversight(db, lead, now);
    expect(drift.clouds).toEqual([{ id: tenant.cloudId, name: "c", project: expect.any(String), canSweep: true, orphans: 1 }]);
    expect(drift.rows.map((r) => [r.name.slice(prefix.length + 1), r.cluster, r.kind, r.cloud, r.ageSeconds])).toEqual([
      ["gone", `${prefix}-healthy`, "missing", "c", 1200],
      ["stray", null, "orphan", "c", 600],
    ]);
    expect(drift.rows[1]).toMatchObject({ firstSeenAt: ago(10 * MINUTE).toISOString(), lastSeenAt: now.toISOString(), openstackId: null, detail: "stray" });
    expect((await clusterDriftRows(db, ids.healthy, "c", now)).map((r) => r.name)).toEqual([`${prefix}-gone`]);
    await expect(getDriftOversight(db, member)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe("a failed operation's error on Oversight", () => {
  it("is a refused preflight's first problem and count, as recorded today and before (\"problem(s)\")", () => {
    expect(summarizeError("preflight: preflight found 3 problems: quota; flavor; image", "preflight")).toEqual({ first: "quota", problems: 3 });
    expect(summarizeError("preflight: preflight found 1 problem: flavor", "preflight")).toEqual({ first: "flavor", problems: 1 });
    expect(summarizeError("preflight: preflight found 2 problem(s): quota; flavor", "preflight")).toEqual({ first: "quota", problems: 2 });
  });

  it("is the first line without the step the row names already; with it, when the row names no step", () => {
    expect(summarizeError("control-plane: server master-1 went to ERROR\nmore", "control-plane")).toEqual({ first: "server master-1 went to ERROR", problems: 1 });
    expect(summarizeError("control-plane: server master-1 went to ERROR", null)).toEqual({ first: "control-plane: server master-1 went to ERROR", problems: 1 });
    expect(summarizeError("ports: quota exceeded", "control-plane")).toEqual({ first: "ports: quota exceeded", problems: 1 });
  });
});
