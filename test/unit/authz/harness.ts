import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { prisma } from "@/lib/db";
import { hashPassword } from "@/lib/auth/credentials";
import { sealStoredSpec } from "@/lib/cluster-spec/sealed";
import { loadActor } from "@/lib/data/actor";
import { createApiToken } from "@/lib/data/api-tokens";
import { demoSpecInput } from "../../support/demo-spec";
import { closeOpenstackStandIn, openstackStandIn, standInCredentials as credentials } from "../../support/openstack-standin";

// The authorization matrix's stand-ins and fixture. The test file points DATABASE_URL at a database of its own
// before anything opens it (vi.hoisted), so `prisma` here is the very client the entry points use, and the
// before/after comparison sees only what the calls did.

export const ROLES = ["member", "lead", "admin"] as const;
export type Role = "anonymous" | "outsider" | (typeof ROLES)[number];
export type Outcome = "login" | "not-found" | "forbidden" | "ok" | "redirect" | "tested" | "invalid" | "state" | `other: ${string}`;
type PerRole<T> = Record<Role, T>;
const ALL_ROLES: Role[] = ["anonymous", "outsider", ...ROLES];

/** An audit log row as the matrix checks it. */
export interface AuditRow {
  actorId: string | null;
  actor: string;
  action: string;
  target: string;
  outcome: string;
  detail: string | null;
}

export interface Fixture {
  users: Record<Exclude<Role, "anonymous">, { id: string; username: string }>;
  a: {
    project: { id: string; name: string };
    cloud: { id: string };
    /**
     * A cloud at the OpenStack stand-in below: drafts (network lookup), reconcile and sweep reach it and succeed. It
     * starts with one stale drift finding, which the first reconcile removes.
     */
    liveCloud: { id: string };
    spareClouds: PerRole<{ id: string }>;
    /** Per role: a cluster whose create failed (retry, teardown, pages). */
    clusters: PerRole<{ id: string }>;
    failedOps: PerRole<{ id: string }>;
    /** Per role: untouched drafts to create from, and others to delete. */
    drafts: PerRole<{ id: string }>;
    /** Per role: untouched drafts on the live cloud (a wizard's save or upload looks the draft's networks up). */
    liveDrafts: PerRole<{ id: string }>;
    discards: PerRole<{ id: string }>;
    /** Per role: a cluster whose create failed in preflight (nothing made: it may go back to editing). */
    preflightFailed: PerRole<{ id: string }>;
    /** Per role: a create waiting at wait-bootstrap-complete. */
    waiting: PerRole<{ id: string }>;
    /** Per role: a ready cluster to tear down. */
    ready: PerRole<{ id: string }>;
    /** Per role: a ready cluster whose teardown another member of project A asked for (two-person teardown). */
    teardownRequests: PerRole<{ id: string; clusterId: string }>;
    /** The same, for the automation API's approve and withdraw. */
    apiTeardownRequests: PerRole<{ id: string; clusterId: string }>;
    withdrawnTeardownRequests: PerRole<{ id: string; clusterId: string }>;
  };
  b: { project: { id: string }; cluster: { id: string } };
  /** Users in no project, one per role (targets of user administration and of "add member"). */
  spare: PerRole<{ id: string; username: string }>;
  /** Members of project A, one per role (targets of "remove member" and "set role"). */
  spareMembers: PerRole<{ id: string; username: string }>;
  /** Each signed-in role's personal API token (the automation API), and its id. */
  tokens: Record<Exclude<Role, "anonymous">, { id: string; token: string }>;
}

const uniq = (p: string) => `${p}-${randomBytes(4).toString("hex")}`;
let pwHash: Promise<string> | undefined;
/** The signed-in user of the call in progress, and the session version their token carries (default: current). */
let current: { id: string; version?: number } | null = null;

async function user(role: string, projects: { id: string; role: string }[] = []) {
  const u = await prisma.user.create({ data: { username: uniq(`authz-${role}`), role, passwordHash: await (pwHash ??= hashPassword("pw")) } });
  for (const p of projects) await prisma.membership.create({ data: { userId: u.id, projectId: p.id, role: p.role } });
  return { id: u.id, username: u.username };
}

async function perRole<T>(make: (role: Role) => Promise<T>): Promise<PerRole<T>> {
  const out = {} as PerRole<T>;
  for (const role of ALL_ROLES) out[role] = await make(role);
  return out;
}

async function cluster(projectId: string, cloudId: string, createdById: string, name: string, status = "draft") {
  const spec = { ...demoSpecInput(), name };
  return prisma.cluster.create({ data: { projectId, cloudId, name, status, specJson: sealStoredSpec(spec), infraId: uniq("infra"), createdById }, select: { id: true } });
}

export const authzHarness = {
  prisma,

  /** What next-auth's getToken decodes from the session cookie: the current role's user and the session version it carries. */
  async token() {
    if (!current) return null;
    const u = await prisma.user.findUnique({ where: { id: current.id } });
    return u ? { sub: u.id, name: u.username, sv: current.version ?? u.sessionVersion } : null;
  },

  /** A fresh fixture in an otherwise empty database: each row's snapshots read its own rows only. */
  async fixture(): Promise<Fixture> {
    await emptyDatabase();
    const a = await prisma.project.create({ data: { name: uniq("authz-a") } });
    const b = await prisma.project.create({ data: { name: uniq("authz-b") } });
    const cloudA = await prisma.cloud.create({ data: { projectId: a.id, name: "a", authUrl: "http://127.0.0.1:9/v3", credentialsSealed: credentials() } });
    const cloudB = await prisma.cloud.create({ data: { projectId: b.id, name: "b", authUrl: "http://127.0.0.1:9/v3", credentialsSealed: credentials() } });
    const users = {
      member: await user("member", [{ id: a.id, role: "member" }]),
      lead: await user("lead", [{ id: a.id, role: "lead" }]),
      admin: await user("admin"),
      outsider: await user("lead", [{ id: b.id, role: "lead" }]),
    };
    this.users = users;
    const live = await prisma.cloud.create({ data: { projectId: a.id, name: "live", authUrl: (await openstackStandIn()).url, credentialsSealed: credentials() }, select: { id: true } });
    // A finding the stand-in no longer shows: the first reconcile of the live cloud removes it (a change to audit).
    await prisma.driftFinding.create({ data: { cloudId: live.id, key: "orphan:port:stale", kind: "orphan", resourceKind: "port", name: "stale", detail: "seen by an earlier cycle" } });
    const clusters = await perRole((role) => cluster(a.id, cloudA.id, users.member.id, `c-${role}`, "failed"));
    const failedOps = await perRole((role) =>
      prisma.operation.create({ data: { clusterId: clusters[role].id, kind: "create", status: "failed", requestedById: users.member.id, error: "stand-in failure" }, select: { id: true } }),
    );
    const preflightFailed = await perRole(async (role) => {
      const c = await cluster(a.id, cloudA.id, users.member.id, `p-${role}`, "failed");
      const op = await prisma.operation.create({ data: { clusterId: c.id, kind: "create", status: "failed", requestedById: users.member.id, error: "quota" } });
      await prisma.step.create({ data: { operationId: op.id, name: "preflight", position: 0, status: "failed", attempt: 1 } });
      return c;
    });
    const waiting = await perRole(async (role) => {
      const c = await cluster(a.id, cloudA.id, users.member.id, `w-${role}`, "creating");
      const op = await prisma.operation.create({ data: { clusterId: c.id, kind: "create", status: "running", activeClusterId: c.id, requestedById: users.member.id } });
      await prisma.step.create({ data: { operationId: op.id, name: "wait-bootstrap-complete", position: 6, status: "running" } });
      return c;
    });
    const requester = await user("member", [{ id: a.id, role: "member" }]);
    const askedTeardowns = (prefix: string) =>
      perRole(async (role) => {
        const c = await cluster(a.id, cloudA.id, users.member.id, `${prefix}-${role}`, "ready");
        const request = await prisma.teardownRequest.create({ data: { clusterId: c.id, requestedById: requester.id }, select: { id: true } });
        return { id: request.id, clusterId: c.id };
      });
    const teardownRequests = await askedTeardowns("t");
    return {
      users,
      a: {
        project: { id: a.id, name: a.name },
        cloud: { id: cloudA.id },
        liveCloud: live,
        drafts: await perRole((role) => cluster(a.id, cloudA.id, users.member.id, `d-${role}`)),
        discards: await perRole((role) => cluster(a.id, cloudA.id, users.member.id, `x-${role}`)),
        liveDrafts: await perRole((role) => cluster(a.id, live.id, users.member.id, `l-${role}`)),
        preflightFailed,
        waiting,
        ready: await perRole((role) => cluster(a.id, cloudA.id, users.member.id, `r-${role}`, "ready")),
        teardownRequests,
        apiTeardownRequests: await askedTeardowns("ta"),
        withdrawnTeardownRequests: await askedTeardowns("tw"),
        spareClouds: await perRole(async (role) => prisma.cloud.create({ data: { projectId: a.id, name: `spare-${role}`, authUrl: "http://127.0.0.1:9/v3", credentialsSealed: credentials() }, select: { id: true } })),
        clusters,
        failedOps,
      },
      b: { project: { id: b.id }, cluster: await cluster(b.id, cloudB.id, users.outsider.id, "c-b") },
      spare: await perRole((role) => user(`member`).then((u) => ({ ...u, role }))),
      spareMembers: await perRole(() => user("member", [{ id: a.id, role: "member" }])),
      tokens: {
        outsider: await createApiToken(prisma, (await loadActor(prisma, users.outsider.id))!, { name: "authz" }),
        member: await createApiToken(prisma, (await loadActor(prisma, users.member.id))!, { name: "authz" }),
        lead: await createApiToken(prisma, (await loadActor(prisma, users.lead.id))!, { name: "authz" }),
        admin: await createApiToken(prisma, (await loadActor(prisma, users.admin.id))!, { name: "authz" }),
      },
    };
  },

  users: undefined as Fixture["users"] | undefined,

  /** Calls an entry point as a role and names what came of it. */
  async run(role: Role, call: () => Promise<unknown>, tokenVersion?: number): Promise<Outcome> {
    current = role === "anonymous" ? null : { id: this.users![role].id, version: tokenVersion };
    try {
      return classify(await call());
    } catch (error) {
      return classifyThrown(error);
    } finally {
      current = null;
    }
  },

  /** The session version a token issued now would carry (a copied cookie keeps it). */
  async tokenVersion(role: Exclude<Role, "anonymous">): Promise<number> {
    return (await prisma.user.findUniqueOrThrow({ where: { id: this.users![role].id } })).sessionVersion;
  },

  /**
   * Every row of every table but the audit log and sign-in failures (which a refused call writes on purpose), less
   * what `ignore` names: "Table" or "Table.column" (a matrix row's documented unaudited changes).
   */
  async snapshot(ignore: readonly string[] = []): Promise<Record<string, unknown[]>> {
    const out: Record<string, unknown[]> = {};
    for (const name of await tableNames()) {
      if (name === "AuditLog" || name === "LoginFailure" || ignore.includes(name)) continue;
      const rows = await prisma.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT * FROM "${name}" ORDER BY rowid`);
      for (const column of ignore.filter((i) => i.startsWith(`${name}.`)).map((i) => i.slice(name.length + 1))) for (const row of rows) delete row[column];
      out[name] = rows;
    }
    return out;
  },

  /** Where the audit log ends now: `auditSince` answers the rows written after it. */
  async auditMark(): Promise<number> {
    const [row] = await prisma.$queryRawUnsafe<{ last: number | bigint | null }[]>(`SELECT MAX(rowid) AS last FROM "AuditLog"`);
    return Number(row?.last ?? 0);
  },

  /** The audit rows written since `mark`, oldest first. */
  async auditSince(mark: number): Promise<AuditRow[]> {
    return prisma.$queryRawUnsafe<AuditRow[]>(`SELECT "actorId", "actor", "action", "target", "outcome", "detail" FROM "AuditLog" WHERE rowid > ? ORDER BY rowid`, mark);
  },

  /** The tables whose rows differ between two snapshots (what a call changed). */
  changedTables(before: Record<string, unknown[]>, after: Record<string, unknown[]>): string[] {
    const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return names.filter((name) => !isDeepStrictEqual(before[name], after[name]));
  },

  async dispose() {
    await closeOpenstackStandIn();
    await prisma.$disconnect();
    const file = process.env.DATABASE_URL!.replace(/^file:/, "");
    for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) rmSync(f, { force: true });
  },
};

let tables: Promise<string[]> | undefined;
/** The schema's tables (not Prisma's migration log). */
function tableNames(): Promise<string[]> {
  return (tables ??= prisma
    .$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name <> '_prisma_migrations' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .then((rows) => rows.map((r) => r.name)));
}

/** Deletes every row of every table (foreign keys checked at the commit, when nothing is left to point at). */
async function emptyDatabase(): Promise<void> {
  const names = await tableNames();
  await prisma.$transaction([prisma.$executeRawUnsafe("PRAGMA defer_foreign_keys = ON"), ...names.map((name) => prisma.$executeRawUnsafe(`DELETE FROM "${name}"`))]);
}

function classify(result: unknown): Outcome {
  if (result instanceof Response) {
    const s = result.status;
    return s === 401 ? "login" : s === 404 ? "not-found" : s === 403 ? "forbidden" : s === 400 || s === 413 ? "invalid" : s === 409 ? "state" : s < 300 ? "ok" : `other: ${s}`;
  }
  if (!result || typeof result !== "object" || "$$typeof" in result || !("message" in result || "ok" in result)) return "ok";
  const state = result as { ok?: boolean; message?: string; errors?: Record<string, string> };
  if (state.ok || "token" in state) return "ok";
  const message = state.message ?? "";
  if (/Test connection failed/.test(message)) return "tested";
  if (/does not exist, or you may not see it/.test(message)) return "not-found";
  if (/not allowed|^Only /.test(message)) return "forbidden";
  if (state.errors || /^That request is not valid|not saved|correct the fields/.test(message)) return "invalid";
  return `other: ${message}`;
}

function classifyThrown(error: unknown): Outcome {
  const digest = (error as { digest?: unknown })?.digest;
  if (typeof digest === "string" && digest.startsWith("NEXT_REDIRECT")) return digest.split(";")[2]?.startsWith("/login") ? "login" : "redirect";
  if (typeof digest === "string" && digest.startsWith("NEXT_HTTP_ERROR_FALLBACK;404")) return "not-found";
  throw error;
}
