import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { loadActor } from "@/lib/data/actor";
import { getActorAndClusterVersion, getClusterVersion, getClusterView } from "@/lib/data/cluster-view";
import { getClusterCloud } from "@/lib/data/cluster-cloud";
import { listClusters, listProjects, listUsers } from "@/lib/data/directory";
import { listClusterEvents } from "@/lib/data/history";
import { listAudit } from "@/lib/data/audit-log";
import { getOversight, OVERSIGHT_PROBLEMS } from "@/lib/data/oversight";
import { clusterDriftRows, getDriftOversight } from "@/lib/data/drift";
import { refreshOperationHealth } from "@/lib/cluster-health";
import type { Actor } from "@/lib/auth/policy";
import { demoSpecInput } from "../../support/demo-spec";

// The read models' SQL, as Prisma sends it, through SQLite's EXPLAIN QUERY PLAN: every table a page reads is reached
// through an index (no full scan of a table that grows with the clusters or their history), and a page of rows is an
// index walk in the page's order (no sort of every matching row first) — what keeps a first page's cost flat.

const file = `.tmp/plans-${process.pid}-${randomBytes(3).toString("hex")}.db`;
const url = `file:./${file}`;
let db: PrismaClient;
let raw: Database.Database;
const statements: { sql: string; params: unknown[] }[] = [];
const actors: Record<"member" | "twoProjects" | "lead" | "admin", Actor> = {} as never;
let clusterId = "";
let deletedClusterId = "";


beforeAll(async () => {
  mkdirSync(".tmp", { recursive: true });
  execFileSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], { env: { ...process.env, DATABASE_URL: url }, stdio: "pipe" });
  const client = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url }), log: [{ emit: "event" as const, level: "query" as const }] });
  client.$on("query", (e) => statements.push({ sql: e.query, params: JSON.parse(e.params) as unknown[] }));
  db = client as unknown as PrismaClient;
  raw = new Database(file, { readonly: true });

  const user = (username: string, role = "member") => db.user.create({ data: { username, role, passwordHash: "x" } });
  const [member, twoProjects, lead, admin] = [await user("member"), await user("two"), await user("lead", "lead"), await user("admin", "admin")];
  for (let p = 0; p < 3; p++) {
    const project = await db.project.create({ data: { name: `p${p}` } });
    const cloud = await db.cloud.create({ data: { projectId: project.id, name: "c", authUrl: "http://127.0.0.1:5000/v3", credentialsSealed: "x" } });
    if (p === 0) await db.membership.create({ data: { userId: member.id, projectId: project.id } });
    if (p < 2) await db.membership.create({ data: { userId: twoProjects.id, projectId: project.id } });
    await db.membership.create({ data: { userId: lead.id, projectId: project.id, role: "lead" } });
    for (let c = 0; c < 8; c++) {
      const cluster = await db.cluster.create({
        // a spec with VIPs: the cluster page reads the VIP panel's rows and the grid plans from it
        data: { projectId: project.id, cloudId: cloud.id, name: `c${p}${c}`, specJson: JSON.stringify(demoSpecInput()), infraId: `i${p}${c}`, status: ["ready", "creating", "failed", "deleted"][c % 4], createdById: member.id },
      });
      clusterId ||= cluster.id;
      if (c === 3) deletedClusterId ||= cluster.id;
      const op = await db.operation.create({ data: { clusterId: cluster.id, kind: "create", status: c % 4 === 1 ? "running" : "succeeded", requestedById: member.id } });
      await db.step.create({ data: { operationId: op.id, name: "ports", position: 0, status: "running" } });
      await db.resource.create({ data: { clusterId: cluster.id, kind: "server", name: `s${p}${c}`, node: "master-0", status: "present" } });
      await db.event.create({ data: { clusterId: cluster.id, level: "info", message: "m" } });
      await refreshOperationHealth(db, cluster.id);
    }
  }
  await db.auditLog.create({ data: { actor: "admin", action: "cluster.draft", target: "x", outcome: "succeeded" } });
  actors.member = (await loadActor(db, member.id))!;
  actors.twoProjects = (await loadActor(db, twoProjects.id))!;
  actors.lead = (await loadActor(db, lead.id))!;
  actors.admin = (await loadActor(db, admin.id))!;
});

afterAll(async () => {
  raw?.close();
  await db?.$disconnect();
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
});

/** The plans of every statement `read` sends. */
async function plansOf(read: () => Promise<unknown>): Promise<{ sql: string; plan: string[] }[]> {
  statements.length = 0;
  await read();
  return statements
    .filter((s) => /^\s*SELECT/i.test(s.sql))
    .map((s) => ({
      sql: s.sql,
      plan: (raw.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).all(...s.params.map((p) => (typeof p === "boolean" ? Number(p) : p))) as { detail: string }[]).map((r) => r.detail),
    }));
}

/** Totals over the actor's scope: they read the scope's rows by nature (one pass, no rows loaded). */
const isAggregate = (sql: string) => /^\s*SELECT\s+(COUNT|SUM)\(/i.test(sql) || /GROUP BY/i.test(sql);

function fullScans(plans: { sql: string; plan: string[] }[]): string[] {
  return plans
    .filter(({ sql }) => !isAggregate(sql))
    .flatMap(({ sql, plan }) => plan.filter((line) => /^SCAN /.test(line) && !/USING (COVERING )?INDEX/.test(line)).map((line) => `${line}  ←  ${sql}`));
}

/** Row queries (with LIMIT) that sort every matching row before taking a page. */
function sortedBeforePaging(plans: { sql: string; plan: string[] }[]): string[] {
  return plans.filter(({ sql, plan }) => /LIMIT/.test(sql) && /FROM (`main`\.`|")(Cluster|Event|AuditLog)[`"]/.test(sql) && plan.some((l) => l.includes("TEMP B-TREE FOR ORDER BY"))).map(({ sql, plan }) => `${plan.join(" | ")}  ←  ${sql}`);
}

const READS: [string, (a: typeof actors) => Promise<unknown>][] = [
  ["the signed-in actor", (a) => loadActor(db, a.member.id)],
  ["clusters list, member of one project, newest first", (a) => listClusters(db, a.member)],
  ["clusters list, admin, each sort", async (a) => {
    for (const sort of ["created", "name", "status"] as const) for (const dir of ["asc", "desc"] as const) await listClusters(db, a.admin, { sort, dir });
  }],
  ["clusters list, filtered by status", async (a) => {
    await listClusters(db, a.admin, { status: "ready" });
    await listClusters(db, a.member, { status: "ready" });
  }],
  ["clusters list, name prefix; member of two projects", async (a) => {
    await listClusters(db, a.admin, { q: "c1" });
    await listClusters(db, a.twoProjects);
  }],
  ["oversight, admin, by name and newest first", async (a) => {
    await getOversight(db, a.admin);
    await getOversight(db, a.admin, { sort: "created", dir: "desc" });
  }],
  ["oversight, lead of three projects, every problem filter", async (a) => {
    await getOversight(db, a.lead);
    for (const problem of OVERSIGHT_PROBLEMS) await getOversight(db, a.admin, { problem });
  }],
  ["drift: oversight's and a cluster's", async (a) => {
    await getDriftOversight(db, a.lead);
    await getDriftOversight(db, a.admin);
    await clusterDriftRows(db, clusterId, "c");
  }],
  ["cluster page and its version (the poll's, with the actor; the page's)", async (a) => {
    await getActorAndClusterVersion(db, { userId: a.member.id, version: 0 }, clusterId);
    await getClusterVersion(db, a.member, clusterId);
    await getClusterView(db, a.member, clusterId);
    await getClusterCloud(db, a.member, deletedClusterId); // a deleted cluster's grid: the plan and the ledger, no cloud
  }],
  ["events and audit log", async (a) => {
    await listClusterEvents(db, a.member, clusterId);
    await listClusterEvents(db, a.member, clusterId, { level: "warning" });
    await listAudit(db, a.admin);
    await listAudit(db, a.admin, { actor: "admin" });
    await listAudit(db, a.admin, { action: "cluster.draft" });
  }],
  ["admin: users and projects", async (a) => {
    await listUsers(db, a.admin);
    await listProjects(db, a.admin);
  }],
];

describe("the pages' queries use indexes (EXPLAIN QUERY PLAN)", () => {
  it.each(READS)("%s: rows are found through indexes, never by a full table scan", async (_name, read) => {
    const plans = await plansOf(() => read(actors));
    expect(plans.length).toBeGreaterThan(0);
    expect(fullScans(plans)).toEqual([]);
  });

  // Filters (a name range, a problem, several projects' ranges) sort what their index search found: the matches, not
  // every cluster. The unfiltered pages and the history lists walk their index in order and stop after the page.
  const walks = READS.filter(([name]) => !/name prefix|lead of three|two projects/.test(name));
  it.each(walks)("%s: a page is an index walk in its order, not a sort of every row", async (_name, read) => {
    expect(sortedBeforePaging(await plansOf(() => read(actors)))).toEqual([]);
  });

  // A member of several projects: SQLite cannot walk one index in the page's order, so the page's ids are sorted
  // first (from the index), and only that page's rows are joined with their project, creator and summary row.
  it("clusters list, member of two projects: only the page's rows are joined", async () => {
    const plans = await plansOf(() => listClusters(db, actors.twoProjects));
    const joined = plans.filter(({ sql }) => /JOIN (`main`\.`|")Project[`"]/.test(sql));
    expect(joined.map(({ plan }) => plan.join(" | "))).toEqual([expect.stringMatching(/^SEARCH c USING INDEX sqlite_autoindex_Cluster_1 \(id=\?\)/)]);
    expect(joined[0].plan.join(" | ")).not.toContain("TEMP B-TREE");
  });
});
