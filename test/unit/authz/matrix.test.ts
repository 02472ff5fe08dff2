import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { isPublicPath } from "@/lib/auth/public-paths";
import { pathsOutsideNext } from "@/lib/outside-next";
import { discoverEntryPoints, type EntryPoint } from "./entry-points";
import { authzHarness, type Fixture, type Outcome, type Role, ROLES } from "./harness";
import { demoSpecInput } from "../../support/demo-spec";

// The authorization matrix: every page, layout, server action and route handler of app/ (read from the source tree),
// called for real (the module itself, with the session, request headers and cache of Next.js stood in for) as
//   anonymous  no session                                  → the sign-in redirect (pages, actions) or 401 (APIs)
//   outsider   a lead of ANOTHER project, using project A's ids → not found, and the database unchanged
//   member / lead / admin of project A                     → the outcome documented in the row
// and, for every action, malformed, oversized and wrongly typed input → "invalid" (a 400 sentence), nothing stored.
//
// ADDING AN ENTRY POINT: add a row to ENTRIES below, keyed "<file>" (page, layout) or "<file>#<export>" (action,
// route handler). `call(fx, role)` invokes it with project A's ids (per-role resources exist in the fixture so that
// every role's call can succeed on its own); `expect` gives the outcome per role; `malformed` lists bad inputs for
// actions. A public entry point (reachable without a session by design) gives `public: "why"` instead.
//
// EVERY STATE CHANGE IS AUDITED. Around each call the matrix compares the database (harness `snapshot()`: every table
// but AuditLog and LoginFailure) and reads the audit rows the call wrote:
//   anonymous           changes nothing
//   a call that changed the database  wrote ≥1 row naming the caller (actorId and actor) with outcome "succeeded",
//                       or "failed" where the command records a failure it kept something of
//   "forbidden"         wrote a "denied" row naming the caller (lib/data/guard.ts allow and the commands' own checks)
//   the outsider's "not-found" on a command (an action, or a route handler other than GET): a "denied" row naming
//                       them — project A's thing exists and was refused (guard.ts visibleProject, clusters.ts
//                       visibleCluster). Reads (pages, GET) that answer not-found need not audit.
// A row whose calls change something on purpose without an audit row names it and says why:
// `unaudited: { "Table.column": "why" }` (left out of every comparison of that row; it must change, or it is stale).
// A command whose outsider's not-found is no refusal says `notFoundUnaudited: "why"`. Public entry points are not
// called here: sign-in audits each attempt itself (lib/data/signin.ts; LoginFailure is its throttle's bookkeeping),
// next-auth's session renewal writes nothing, the VIP agents' ingest records observations (no user acts).

// A database of its own, migrated before anything opens one: the entry points' `prisma` is this database's client.
await vi.hoisted(async () => {
  const { execFileSync } = await import("node:child_process");
  const { mkdirSync } = await import("node:fs");
  mkdirSync(".tmp", { recursive: true });
  const url = `file:./.tmp/authz-${process.pid}-${Date.now()}.db`;
  execFileSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], { env: { ...process.env, DATABASE_URL: url }, stdio: "pipe" });
  process.env.DATABASE_URL = url;
});

vi.mock("next-auth/jwt", async (importOriginal) => ({ ...(await importOriginal<typeof import("next-auth/jwt")>()), getToken: () => authzHarness.token() }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "x-forwarded-for": "198.51.100.77" }), cookies: async () => new Map() }));
// Pages are called, never rendered: PatternFly (whose CommonJS build requires CSS files) is not needed.
vi.mock("@patternfly/react-core", () => stubComponents());
vi.mock("@patternfly/react-table", () => stubComponents());
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));
// What a page leaves for after its response (the cluster page's cloud listing) runs at once: the call is the response.
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  after: (task: unknown) => void (typeof task === "function" ? task() : task),
}));

function stubComponents() {
  return new Proxy({}, { get: (_target, key) => (key === "then" ? undefined : key === "__esModule" ? true : () => null) });
}

type Call = (fx: Fixture, role: Role) => Promise<unknown>;
interface Row {
  call?: Call;
  expect?: Record<Exclude<Role, "anonymous">, Outcome> & { anonymous?: Outcome };
  /** For actions: bad inputs, each answered "invalid" (or "not-found") with nothing stored. */
  malformed?: Call[];
  /** Reachable without a session by design: why. */
  public?: string;
  /** Authenticated by its own token instead of a session (the proxy lets it through; no token → 401). */
  bearer?: true;
  /** The entry acts on the caller's own account only (no other project's ids to try): the outsider may succeed. */
  ownAccount?: true;
  /**
   * What the call changes on purpose without an audit row, "Table" or "Table.column", and why: left out of the
   * comparisons (the outsider's too), and each must actually change during the row's calls.
   */
  unaudited?: Record<string, string>;
  /** A command whose outsider's "not found" is not a refusal of project A's resource (so not audited "denied"): why. */
  notFoundUnaudited?: string;
}

/** Every request with an API token records when the token was last used. */
const TOKEN_USE = {
  "ApiToken.lastUsedAt": "the caller's own token records when it was last used (lib/data/api-tokens.ts actorOfBearer): bookkeeping of the credential, not a change to what it reached",
};

const A = (fx: Fixture) => fx.a;
const form = (fields: Record<string, string | Blob>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
};
const page = (fx: Fixture, params: Record<string, string> = {}, searchParams: Record<string, string> = {}) => ({
  params: Promise.resolve(params),
  searchParams: Promise.resolve(searchParams),
});
const HUGE = "x".repeat(100_000);
const FILE_TOO_LARGE = new Blob(["y".repeat(300 * 1024)]);
/** Every field a form action reads, oversized or of the wrong shape. */
const garbageForm = (...names: string[]) => form(Object.fromEntries([...names.map((n) => [n, HUGE]), ["upload", FILE_TOO_LARGE]]));
const params = (p: Record<string, string>) => ({ params: Promise.resolve(p) });
/** An automation API request with the role's token (none for anonymous). */
const api = (path: string, fx: Fixture, role: Role, body?: unknown) =>
  new Request(`http://127.0.0.1${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { ...(role === "anonymous" ? {} : { authorization: `Bearer ${fx.tokens[role].token}` }), "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const everyone = (o: Outcome) => ({ outsider: o, member: o, lead: o, admin: o });
const STRONG = (role: Role) => `Strong-${role}-passphrase-${Math.random().toString(36).slice(2)}`;

const ENTRIES: Record<string, Row> = {
  // ---- pages and layouts
  "app/layout.tsx": { public: "the HTML shell around every page; reads nothing" },
  "app/login/page.tsx": { public: "the sign-in page" },
  "app/(dashboard)/page.tsx": { public: "redirects to /clusters (which needs a session); shows nothing" },
  "app/(dashboard)/layout.tsx": { call: () => mod("app/(dashboard)/layout.tsx").default({ children: null }), expect: everyone("ok") },
  "app/(dashboard)/account/page.tsx": { call: () => mod("app/(dashboard)/account/page.tsx").default(), expect: everyone("ok") },
  "app/(dashboard)/admin/page.tsx": { call: (fx) => mod("app/(dashboard)/admin/page.tsx").default(page(fx)), expect: { outsider: "not-found", member: "not-found", lead: "not-found", admin: "ok" } },
  "app/(dashboard)/audit/page.tsx": {
    call: (fx) => mod("app/(dashboard)/audit/page.tsx").default(page(fx, {}, { projectId: A(fx).project.id })),
    // The outsider leads project B: the viewer opens, filtered to B (the filter by A's id shows nothing: tested below).
    expect: { outsider: "ok", member: "not-found", lead: "ok", admin: "ok" },
  },
  "app/(dashboard)/clusters/page.tsx": { call: (fx) => mod("app/(dashboard)/clusters/page.tsx").default(page(fx)), expect: everyone("ok") },
  "app/(dashboard)/clusters/new/page.tsx": { call: () => mod("app/(dashboard)/clusters/new/page.tsx").default(), expect: everyone("ok") },
  "app/(dashboard)/clusters/[id]/page.tsx": {
    call: (fx) => mod("app/(dashboard)/clusters/[id]/page.tsx").default(page(fx, { id: A(fx).clusters.member.id })),
    expect: { outsider: "not-found", member: "ok", lead: "ok", admin: "ok" },
  },
  "app/(dashboard)/clusters/[id]/events/page.tsx": {
    call: (fx) => mod("app/(dashboard)/clusters/[id]/events/page.tsx").default(page(fx, { id: A(fx).clusters.member.id }, { level: "warning" })),
    expect: { outsider: "not-found", member: "ok", lead: "ok", admin: "ok" },
  },
  "app/(dashboard)/oversight/page.tsx": { call: (fx) => mod("app/(dashboard)/oversight/page.tsx").default(page(fx)), expect: { outsider: "ok", member: "not-found", lead: "ok", admin: "ok" } },
  "app/(dashboard)/projects/page.tsx": { call: (fx) => mod("app/(dashboard)/projects/page.tsx").default(page(fx)), expect: everyone("ok") },
  "app/(dashboard)/projects/[id]/page.tsx": {
    call: (fx) => mod("app/(dashboard)/projects/[id]/page.tsx").default(page(fx, { id: A(fx).project.id })),
    expect: { outsider: "not-found", member: "ok", lead: "ok", admin: "ok" },
  },

  // ---- server actions: clusters
  "app/(dashboard)/clusters/actions.ts#startOperationAction": {
    call: (fx, role) => mod("app/(dashboard)/clusters/actions.ts").startOperationAction(A(fx).drafts[role].id, "create"),
    expect: { outsider: "not-found", member: "ok", lead: "ok", admin: "ok" },
    malformed: [
      () => mod("app/(dashboard)/clusters/actions.ts").startOperationAction(HUGE, "create"),
      (fx) => mod("app/(dashboard)/clusters/actions.ts").startOperationAction(A(fx).clusters.admin.id, "destroy" as never),
      () => mod("app/(dashboard)/clusters/actions.ts").startOperationAction(42 as never, { kind: "create" } as never),
    ],
  },
  "app/(dashboard)/clusters/actions.ts#operationAction": {
    call: (fx, role) => mod("app/(dashboard)/clusters/actions.ts").operationAction(A(fx).clusters[role].id, A(fx).failedOps[role].id, "retry"),
    expect: { outsider: "not-found", member: "ok", lead: "ok", admin: "ok" },
    malformed: [
      (fx) => mod("app/(dashboard)/clusters/actions.ts").operationAction(A(fx).clusters.admin.id, HUGE, "retry"),
      (fx) => mod("app/(dashboard)/clusters/actions.ts").operationAction(A(fx).clusters.admin.id, A(fx).failedOps.admin.id, "rm -rf" as never),
      () => mod("app/(dashboard)/clusters/actions.ts").operationAction(null as never, [] as never, 7 as never),
    ],
  },
  "app/(dashboard)/clusters/actions.ts#markBootstrapCompleteAction": {
    call: (fx, role) => mod("app/(dashboard)/clusters/actions.ts").markBootstrapCompleteAction(A(fx).waiting[role].id),
    expect: { outsider: "not-found", member: "forbidden", lead: "ok", admin: "ok" },
    malformed: [() => mod("app/(dashboard)/clusters/actions.ts").markBootstrapCompleteAction(HUGE), () => mod("app/(dashboard)/clusters/actions.ts").markBootstrapCompleteAction({} as never)],
  },
  "app/(dashboard)/clusters/actions.ts#deleteDraftAction": {
    call: (fx, role) => mod("app/(dashboard)/clusters/actions.ts").deleteDraftAction(A(fx).discards[role].id),
    expect: { outsider: "not-found", member: "redirect", lead: "redirect", admin: "redirect" },
    malformed: [() => mod("app/(dashboard)/clusters/actions.ts").deleteDraftAction(HUGE), () => mod("app/(dashboard)/clusters/actions.ts").deleteDraftAction({} as never)],
  },
  "app/(dashboard)/clusters/actions.ts#reopenDraftAction": {
    // The creator (member), a lead or an admin takes a create that failed in preflight back to editing.
    call: (fx, role) => mod("app/(dashboard)/clusters/actions.ts").reopenDraftAction(A(fx).preflightFailed[role].id),
    expect: { outsider: "not-found", member: "ok", lead: "ok", admin: "ok" },
    malformed: [() => mod("app/(dashboard)/clusters/actions.ts").reopenDraftAction(HUGE), () => mod("app/(dashboard)/clusters/actions.ts").reopenDraftAction({} as never)],
  },
  "app/(dashboard)/clusters/actions.ts#requestTeardownAction": {
    // The cluster's creator (member) or a lead; queued at once (project A does not require two people).
    call: (fx, role) => mod("app/(dashboard)/clusters/actions.ts").requestTeardownAction(A(fx).ready[role].id),
    expect: { outsider: "not-found", member: "ok", lead: "ok", admin: "ok" },
    malformed: [() => mod("app/(dashboard)/clusters/actions.ts").requestTeardownAction(HUGE), () => mod("app/(dashboard)/clusters/actions.ts").requestTeardownAction({} as never)],
  },
  "app/(dashboard)/clusters/actions.ts#decideTeardownAction": {
    // Any member of the project but the one who asked approves (a second person, administrators included).
    call: (fx, role) => mod("app/(dashboard)/clusters/actions.ts").decideTeardownAction(A(fx).teardownRequests[role].clusterId, A(fx).teardownRequests[role].id, "approve"),
    expect: { outsider: "not-found", member: "ok", lead: "ok", admin: "ok" },
    malformed: [
      (fx) => mod("app/(dashboard)/clusters/actions.ts").decideTeardownAction(A(fx).teardownRequests.admin.clusterId, HUGE, "approve"),
      (fx) => mod("app/(dashboard)/clusters/actions.ts").decideTeardownAction(A(fx).teardownRequests.admin.clusterId, A(fx).teardownRequests.admin.id, "explode" as never),
      () => mod("app/(dashboard)/clusters/actions.ts").decideTeardownAction(null as never, [] as never, 7 as never),
    ],
  },

  // ---- the create wizard: its page, its server actions (installer files go through the upload route below)
  "app/(dashboard)/clusters/[id]/edit/[step]/page.tsx": {
    call: (fx) => mod("app/(dashboard)/clusters/[id]/edit/[step]/page.tsx").default(page(fx, { id: A(fx).drafts.member.id, step: "cluster" })),
    expect: { outsider: "not-found", member: "ok", lead: "ok", admin: "ok" },
  },
  "app/(dashboard)/clusters/new/actions.ts#saveStepAction": {
    // A first step makes a new draft of project A; saving a step of a draft is the creator's, a lead's or an admin's.
    call: (fx, role) =>
      mod("app/(dashboard)/clusters/new/actions.ts").saveStepAction(
        role === "outsider" || role === "anonymous"
          ? { projectId: A(fx).project.id, cloudId: A(fx).liveCloud.id, step: "cluster", values: { name: `s-${role}` } }
          : { clusterId: A(fx).liveDrafts[role].id, projectId: A(fx).project.id, cloudId: A(fx).liveCloud.id, step: "cluster", values: { baseDomain: `${role}.example.test` } },
      ),
    expect: { outsider: "not-found", member: "ok", lead: "ok", admin: "ok" },
    malformed: [
      () => mod("app/(dashboard)/clusters/new/actions.ts").saveStepAction({ projectId: HUGE, cloudId: HUGE, step: "everything", values: {} } as never),
      (fx) => mod("app/(dashboard)/clusters/new/actions.ts").saveStepAction({ clusterId: HUGE, projectId: A(fx).project.id, cloudId: A(fx).liveCloud.id, step: "cluster", values: {} }),
      (fx) => mod("app/(dashboard)/clusters/new/actions.ts").saveStepAction({ projectId: A(fx).project.id, cloudId: A(fx).liveCloud.id, step: "cluster", values: "name" } as never),
    ],
  },
  "app/(dashboard)/clusters/new/actions.ts#importSpecAction": {
    call: (fx, role) =>
      mod("app/(dashboard)/clusters/new/actions.ts").importSpecAction({ projectId: A(fx).project.id, cloudId: A(fx).liveCloud.id, text: JSON.stringify({ ...demoSpecInput(), name: `i-${role}` }) }),
    expect: { outsider: "not-found", member: "ok", lead: "ok", admin: "ok" },
    malformed: [
      () => mod("app/(dashboard)/clusters/new/actions.ts").importSpecAction({ projectId: HUGE, cloudId: HUGE, text: "{}" }),
      (fx) => mod("app/(dashboard)/clusters/new/actions.ts").importSpecAction({ projectId: A(fx).project.id, cloudId: A(fx).liveCloud.id, text: "" }),
      (fx) => mod("app/(dashboard)/clusters/new/actions.ts").importSpecAction({ projectId: A(fx).project.id, cloudId: A(fx).liveCloud.id, text: "z".repeat(33 * 1024 * 1024) }),
      (fx) => mod("app/(dashboard)/clusters/new/actions.ts").importSpecAction({ projectId: A(fx).project.id, cloudId: A(fx).liveCloud.id, text: { name: "x" } } as never),
    ],
  },
  "app/(dashboard)/clusters/new/actions.ts#createClusterAction": {
    call: (fx, role) => mod("app/(dashboard)/clusters/new/actions.ts").createClusterAction(A(fx).drafts[role].id),
    expect: { outsider: "not-found", member: "redirect", lead: "redirect", admin: "redirect" },
    malformed: [() => mod("app/(dashboard)/clusters/new/actions.ts").createClusterAction(HUGE), () => mod("app/(dashboard)/clusters/new/actions.ts").createClusterAction({} as never)],
  },
  "app/(dashboard)/clusters/new/actions.ts#cloneClusterAction": {
    // "New cluster like this": anyone who may draft in the project, from any cluster of it they can see.
    call: (fx, role) => mod("app/(dashboard)/clusters/new/actions.ts").cloneClusterAction(A(fx).liveDrafts[role].id),
    expect: { outsider: "not-found", member: "redirect", lead: "redirect", admin: "redirect" },
    malformed: [() => mod("app/(dashboard)/clusters/new/actions.ts").cloneClusterAction(HUGE), () => mod("app/(dashboard)/clusters/new/actions.ts").cloneClusterAction([] as never)],
  },

  // ---- server actions: oversight (drift), against the OpenStack stand-in
  "app/(dashboard)/oversight/actions.ts#reconcileNowAction": {
    // Anyone who sees the cloud's project may ask for a reconcile.
    call: (fx) => mod("app/(dashboard)/oversight/actions.ts").reconcileNowAction(A(fx).liveCloud.id),
    expect: { outsider: "not-found", member: "ok", lead: "ok", admin: "ok" },
    malformed: [() => mod("app/(dashboard)/oversight/actions.ts").reconcileNowAction(HUGE), () => mod("app/(dashboard)/oversight/actions.ts").reconcileNowAction({} as never)],
  },
  "app/(dashboard)/oversight/actions.ts#sweepOrphansAction": {
    call: (fx) => mod("app/(dashboard)/oversight/actions.ts").sweepOrphansAction(A(fx).liveCloud.id),
    expect: { outsider: "not-found", member: "forbidden", lead: "ok", admin: "ok" },
    malformed: [() => mod("app/(dashboard)/oversight/actions.ts").sweepOrphansAction(HUGE), () => mod("app/(dashboard)/oversight/actions.ts").sweepOrphansAction([] as never)],
  },

  // ---- server actions: administration (not project-scoped: everyone but an admin is forbidden)
  "app/(dashboard)/admin/actions.ts#createUserAction": {
    call: (_fx, role) => mod("app/(dashboard)/admin/actions.ts").createUserAction({}, form({ username: `new-${role}`, password: STRONG(role), role: "member" })),
    expect: { outsider: "forbidden", member: "forbidden", lead: "forbidden", admin: "ok" },
    malformed: [
      () => mod("app/(dashboard)/admin/actions.ts").createUserAction({}, garbageForm("username", "password", "role")),
      () => mod("app/(dashboard)/admin/actions.ts").createUserAction({}, form({ username: "ok-name", password: "password123", role: "member" })),
      () => mod("app/(dashboard)/admin/actions.ts").createUserAction({}, form({ username: "Bad Name!", password: STRONG("admin"), role: "root" })),
    ],
  },
  "app/(dashboard)/admin/actions.ts#setUserDisabledAction": {
    call: (fx, role) => mod("app/(dashboard)/admin/actions.ts").setUserDisabledAction({}, form({ userId: fx.spare[role].id, disabled: "true" })),
    expect: { outsider: "forbidden", member: "forbidden", lead: "forbidden", admin: "ok" },
    malformed: [() => mod("app/(dashboard)/admin/actions.ts").setUserDisabledAction({}, garbageForm("userId", "disabled")), (fx) => mod("app/(dashboard)/admin/actions.ts").setUserDisabledAction({}, form({ userId: fx.spare.admin.id, disabled: "perhaps" }))],
  },
  "app/(dashboard)/admin/actions.ts#resetPasswordAction": {
    call: (fx, role) => mod("app/(dashboard)/admin/actions.ts").resetPasswordAction({}, form({ userId: fx.spare[role].id, password: STRONG(role) })),
    expect: { outsider: "forbidden", member: "forbidden", lead: "forbidden", admin: "ok" },
    malformed: [() => mod("app/(dashboard)/admin/actions.ts").resetPasswordAction({}, garbageForm("userId", "password")), (fx) => mod("app/(dashboard)/admin/actions.ts").resetPasswordAction({}, form({ userId: fx.spare.admin.id, password: "short" }))],
  },
  "app/(dashboard)/admin/actions.ts#setUserRoleAction": {
    call: (fx, role) => mod("app/(dashboard)/admin/actions.ts").setUserRoleAction({}, form({ userId: fx.spare[role].id, role: "lead" })),
    expect: { outsider: "forbidden", member: "forbidden", lead: "forbidden", admin: "ok" },
    malformed: [() => mod("app/(dashboard)/admin/actions.ts").setUserRoleAction({}, garbageForm("userId", "role")), (fx) => mod("app/(dashboard)/admin/actions.ts").setUserRoleAction({}, form({ userId: fx.spare.admin.id, role: "superuser" }))],
  },
  "app/(dashboard)/admin/actions.ts#createProjectAction": {
    call: (_fx, role) => mod("app/(dashboard)/admin/actions.ts").createProjectAction({}, form({ name: `proj-${role}-${Math.random().toString(36).slice(2, 8)}` })),
    expect: { outsider: "forbidden", member: "forbidden", lead: "forbidden", admin: "ok" },
    malformed: [() => mod("app/(dashboard)/admin/actions.ts").createProjectAction({}, garbageForm("name", "openstackProjectId")), () => mod("app/(dashboard)/admin/actions.ts").createProjectAction({}, form({ name: "fine", openstackProjectId: "not-hex" }))],
  },
  "app/(dashboard)/admin/actions.ts#signInDomainsAction": {
    call: (fx) => mod("app/(dashboard)/admin/actions.ts").signInDomainsAction({}, form({ cloudId: A(fx).cloud.id, domains: "Default" })),
    expect: { outsider: "forbidden", member: "forbidden", lead: "forbidden", admin: "ok" },
    malformed: [() => mod("app/(dashboard)/admin/actions.ts").signInDomainsAction({}, garbageForm("cloudId", "domains")), (fx) => mod("app/(dashboard)/admin/actions.ts").signInDomainsAction({}, form({ cloudId: A(fx).cloud.id, domains: "a b; DROP TABLE" }))],
  },

  // ---- server actions: your own account
  "app/(dashboard)/account/actions.ts#changePasswordAction": {
    ownAccount: true,
    call: (_fx, role) => mod("app/(dashboard)/account/actions.ts").changePasswordAction({}, form({ currentPassword: "pw", newPassword: STRONG(role) })),
    expect: everyone("ok"),
    malformed: [
      () => mod("app/(dashboard)/account/actions.ts").changePasswordAction({}, garbageForm("currentPassword", "newPassword")),
      () => mod("app/(dashboard)/account/actions.ts").changePasswordAction({}, form({ currentPassword: "wrong", newPassword: STRONG("admin") })),
      () => mod("app/(dashboard)/account/actions.ts").changePasswordAction({}, form({ currentPassword: "pw", newPassword: "qwertyuiop123" })),
    ],
  },

  "app/(dashboard)/account/actions.ts#createApiTokenAction": {
    ownAccount: true,
    call: () => mod("app/(dashboard)/account/actions.ts").createApiTokenAction({}, form({ name: "matrix" })),
    expect: everyone("ok"),
    malformed: [() => mod("app/(dashboard)/account/actions.ts").createApiTokenAction({}, garbageForm("name"))],
  },
  "app/(dashboard)/account/actions.ts#revokeApiTokenAction": {
    // Only one's own token: the outsider tries the member's.
    call: (fx, role) => mod("app/(dashboard)/account/actions.ts").revokeApiTokenAction(fx.tokens[role === "outsider" || role === "anonymous" ? "member" : role].id),
    expect: { outsider: "not-found", member: "ok", lead: "ok", admin: "ok" },
    malformed: [() => mod("app/(dashboard)/account/actions.ts").revokeApiTokenAction(HUGE), () => mod("app/(dashboard)/account/actions.ts").revokeApiTokenAction({} as never)],
  },

  // ---- server actions: a project's members, settings and clouds (admins, and the project's leads)
  "app/(dashboard)/projects/actions.ts#addMemberAction": {
    call: (fx, role) => mod("app/(dashboard)/projects/actions.ts").addMemberAction({}, form({ projectId: A(fx).project.id, username: fx.spare[role].username, role: "member" })),
    expect: { outsider: "not-found", member: "forbidden", lead: "ok", admin: "ok" },
    malformed: [() => mod("app/(dashboard)/projects/actions.ts").addMemberAction({}, garbageForm("projectId", "username", "role")), (fx) => mod("app/(dashboard)/projects/actions.ts").addMemberAction({}, form({ projectId: A(fx).project.id, username: "nobody-here", role: "owner" }))],
  },
  "app/(dashboard)/projects/actions.ts#removeMemberAction": {
    call: (fx, role) => mod("app/(dashboard)/projects/actions.ts").removeMemberAction({}, form({ projectId: A(fx).project.id, userId: fx.spareMembers[role].id })),
    expect: { outsider: "not-found", member: "forbidden", lead: "ok", admin: "ok" },
    malformed: [() => mod("app/(dashboard)/projects/actions.ts").removeMemberAction({}, garbageForm("projectId", "userId"))],
  },
  "app/(dashboard)/projects/actions.ts#setMemberRoleAction": {
    call: (fx, role) => mod("app/(dashboard)/projects/actions.ts").setMemberRoleAction({}, form({ projectId: A(fx).project.id, userId: fx.spareMembers[role].id, role: "lead" })),
    expect: { outsider: "not-found", member: "forbidden", lead: "ok", admin: "ok" },
    malformed: [() => mod("app/(dashboard)/projects/actions.ts").setMemberRoleAction({}, garbageForm("projectId", "userId", "role")), (fx) => mod("app/(dashboard)/projects/actions.ts").setMemberRoleAction({}, form({ projectId: A(fx).project.id, userId: fx.spareMembers.admin.id, role: "admin" }))],
  },
  "app/(dashboard)/projects/actions.ts#projectSettingsAction": {
    call: (fx) => mod("app/(dashboard)/projects/actions.ts").projectSettingsAction({}, form({ projectId: A(fx).project.id, twoPersonTeardown: "on" })),
    expect: { outsider: "not-found", member: "forbidden", lead: "ok", admin: "ok" },
    malformed: [() => mod("app/(dashboard)/projects/actions.ts").projectSettingsAction({}, garbageForm("projectId", "twoPersonTeardown", "openstackProjectId")), (fx) => mod("app/(dashboard)/projects/actions.ts").projectSettingsAction({}, form({ projectId: A(fx).project.id, twoPersonTeardown: "yes please" }))],
  },
  "app/(dashboard)/projects/actions.ts#cloudAction": {
    // A closed port: a lead's or admin's call gets as far as the connection test, which fails; nothing is saved.
    call: (fx, role) =>
      mod("app/(dashboard)/projects/actions.ts").cloudAction({}, form({ intent: role === "lead" ? "test" : "register", projectId: A(fx).project.id, name: `c-${role}`, authUrl: "http://127.0.0.1:9/v3", username: "u", password: "p", projectName: "demo" })),
    expect: { outsider: "not-found", member: "forbidden", lead: "tested", admin: "tested" },
    malformed: [
      () => mod("app/(dashboard)/projects/actions.ts").cloudAction({}, garbageForm("projectId", "name", "authUrl", "region", "interface", "caBundle", "credentialType", "username", "password", "cloudsYaml")),
      (fx) => mod("app/(dashboard)/projects/actions.ts").cloudAction({}, form({ intent: "register", projectId: A(fx).project.id, name: "yaml", cloudsYaml: "clouds: [1, 2" })),
      (fx) => mod("app/(dashboard)/projects/actions.ts").cloudAction({}, form({ intent: "register", projectId: A(fx).project.id, name: "typed", authUrl: "ftp://x", interface: "sideways", credentialType: "telepathy" })),
    ],
  },
  "app/(dashboard)/projects/actions.ts#rotateCloudAction": {
    call: (fx) => mod("app/(dashboard)/projects/actions.ts").rotateCloudAction({}, form({ cloudId: A(fx).cloud.id, username: "u", password: "p", projectName: "demo" })),
    expect: { outsider: "not-found", member: "forbidden", lead: "tested", admin: "tested" },
    malformed: [() => mod("app/(dashboard)/projects/actions.ts").rotateCloudAction({}, garbageForm("cloudId", "credentialType", "username", "password")), (fx) => mod("app/(dashboard)/projects/actions.ts").rotateCloudAction({}, form({ cloudId: A(fx).cloud.id, credentialType: "password" }))],
  },
  "app/(dashboard)/projects/actions.ts#removeCloudAction": {
    call: (fx, role) => mod("app/(dashboard)/projects/actions.ts").removeCloudAction({}, form({ cloudId: A(fx).spareClouds[role].id })),
    expect: { outsider: "not-found", member: "forbidden", lead: "ok", admin: "ok" },
    malformed: [() => mod("app/(dashboard)/projects/actions.ts").removeCloudAction({}, garbageForm("cloudId")), () => mod("app/(dashboard)/projects/actions.ts").removeCloudAction({}, form({ cloudId: "" }))],
  },

  // ---- route handlers
  "app/api/auth/[...nextauth]/route.ts#GET": { public: "next-auth itself (sign-in, sign-out, session)" },
  "app/api/auth/[...nextauth]/route.ts#POST": { public: "next-auth itself (sign-in, sign-out, session)" },
  "app/api/health/route.ts#GET": { public: "liveness (no database round trip); answers nothing about tenants" },
  "app/api/ready/route.ts#GET": { public: "readiness (database and worker alive); answers nothing about tenants" },
  "app/api/metrics/route.ts#GET": { public: "Prometheus metrics behind their own bearer token (TRIPOD_METRICS_TOKEN)" },
  "app/api/v1/openapi.json/route.ts#GET": { public: "the automation API's OpenAPI document (static)" },
  // The automation API: a personal API token instead of a session (none → 401).
  "app/api/v1/clusters/route.ts#GET": {
    bearer: true, unaudited: TOKEN_USE, call: (fx, role) => mod("app/api/v1/clusters/route.ts").GET(api("/api/v1/clusters", fx, role), params({})), expect: everyone("ok") },
  "app/api/v1/clusters/route.ts#POST": {
    bearer: true,
    unaudited: TOKEN_USE,
    call: (fx, role) =>
      mod("app/api/v1/clusters/route.ts").POST(api("/api/v1/clusters", fx, role, { projectId: A(fx).project.id, cloudId: A(fx).liveCloud.id, spec: { ...demoSpecInput(), name: `v1-${role}` } }), params({})),
    expect: { outsider: "not-found", member: "ok", lead: "ok", admin: "ok" },
  },
  // every user may list the projects they may create in (their own: the outsider's list is of their own project)
  "app/api/v1/projects/route.ts#GET": {
    bearer: true, unaudited: TOKEN_USE, call: (fx, role) => mod("app/api/v1/projects/route.ts").GET(api("/api/v1/projects", fx, role), params({})), expect: everyone("ok") },
  "app/api/v1/clusters/[id]/route.ts#GET": {
    bearer: true,
    unaudited: TOKEN_USE,
    call: (fx, role) => mod("app/api/v1/clusters/[id]/route.ts").GET(api("/api/v1/clusters/x", fx, role), params({ id: A(fx).clusters.member.id })),
    expect: { outsider: "not-found", member: "ok", lead: "ok", admin: "ok" },
  },
  "app/api/v1/clusters/[id]/create/route.ts#POST": {
    bearer: true,
    unaudited: TOKEN_USE,
    call: (fx, role) => mod("app/api/v1/clusters/[id]/create/route.ts").POST(api("/api/v1/clusters/x/create", fx, role, {}), params({ id: A(fx).drafts[role].id })),
    expect: { outsider: "not-found", member: "ok", lead: "ok", admin: "ok" },
  },
  "app/api/v1/clusters/[id]/teardown/route.ts#POST": {
    bearer: true,
    unaudited: TOKEN_USE,
    call: (fx, role) => mod("app/api/v1/clusters/[id]/teardown/route.ts").POST(api("/api/v1/clusters/x/teardown", fx, role, {}), params({ id: A(fx).clusters[role].id })),
    expect: { outsider: "not-found", member: "ok", lead: "ok", admin: "ok" },
  },
  "app/api/v1/teardown-requests/[id]/approve/route.ts#POST": {
    // Any member of the project but the one who asked, as on the cluster page.
    bearer: true,
    unaudited: TOKEN_USE,
    call: (fx, role) => mod("app/api/v1/teardown-requests/[id]/approve/route.ts").POST(api("/api/v1/teardown-requests/x/approve", fx, role, {}), params({ id: A(fx).apiTeardownRequests[role].id })),
    expect: { outsider: "not-found", member: "ok", lead: "ok", admin: "ok" },
  },
  "app/api/v1/teardown-requests/[id]/withdraw/route.ts#POST": {
    // The one who asked, or a lead: another member may not.
    bearer: true,
    unaudited: TOKEN_USE,
    call: (fx, role) =>
      mod("app/api/v1/teardown-requests/[id]/withdraw/route.ts").POST(api("/api/v1/teardown-requests/x/withdraw", fx, role, {}), params({ id: A(fx).withdrawnTeardownRequests[role].id })),
    expect: { outsider: "not-found", member: "forbidden", lead: "ok", admin: "ok" },
  },
  "app/api/v1/operations/[id]/route.ts#GET": {
    bearer: true,
    unaudited: TOKEN_USE,
    call: (fx, role) => mod("app/api/v1/operations/[id]/route.ts").GET(api("/api/v1/operations/x", fx, role), params({ id: A(fx).failedOps.member.id })),
    expect: { outsider: "not-found", member: "ok", lead: "ok", admin: "ok" },
  },
  "app/api/vrrp/ingest/route.ts#POST": { public: "the VIP agents' messages, each authenticated by its cluster's HMAC key (test/unit/vip/ingest.test.ts); the server answers them before Next.js with the same code (test/unit/data/vrrp-listener.test.ts)" },
  "app/api/clusters/[id]/cloud/route.ts#GET": {
    // A draft's grid comes from its plan: nothing is asked of the cloud.
    call: (fx) => mod("app/api/clusters/[id]/cloud/route.ts").GET(new Request("http://127.0.0.1/api/clusters/x/cloud"), { params: Promise.resolve({ id: A(fx).drafts.member.id }) }),
    expect: { outsider: "not-found", member: "ok", lead: "ok", admin: "ok" },
  },
  "app/api/clusters/[id]/files/[file]/route.ts#GET": {
    call: (fx) => mod("app/api/clusters/[id]/files/[file]/route.ts").GET(new Request("http://127.0.0.1/api/clusters/x/files/log"), { params: Promise.resolve({ id: A(fx).clusters.member.id, file: "log" }) }),
    expect: { outsider: "not-found", member: "ok", lead: "ok", admin: "ok" },
  },
  "app/api/clusters/[id]/files/[file]/route.ts#PUT": {
    // An installer file streamed as the body, into a draft its creator, a lead or an admin may change.
    call: (fx, role) =>
      mod("app/api/clusters/[id]/files/[file]/route.ts").PUT(new Request("http://127.0.0.1/x", { method: "PUT", body: readFileSync("test/fixtures/master.ign") }), {
        params: Promise.resolve({ id: A(fx).liveDrafts[role].id, file: "master" }),
      }),
    expect: { outsider: "not-found", member: "ok", lead: "ok", admin: "ok" },
  },
  "app/api/clusters/[id]/spec/route.ts#GET": {
    call: (fx) => mod("app/api/clusters/[id]/spec/route.ts").GET(new Request("http://127.0.0.1/x"), { params: Promise.resolve({ id: A(fx).clusters.member.id }) }),
    expect: { outsider: "not-found", member: "ok", lead: "ok", admin: "ok" },
  },
  "app/api/clusters/[id]/route.ts#GET": {
    call: (fx) => mod("app/api/clusters/[id]/route.ts").GET(new Request("http://127.0.0.1/api/clusters/x"), { params: Promise.resolve({ id: A(fx).clusters.member.id }) }),
    expect: { outsider: "not-found", member: "ok", lead: "ok", admin: "ok" },
  },

  // ---- the demo lab's control: off here as in production (no TRIPOD_DEMO_LAB_SOCKET), so not found for everyone;
  // with the lab on, administrators only (test/unit/data/demo-lab.test.ts)
  "app/api/clusters/[id]/lab/route.ts#GET": {
    call: (fx, role) => mod("app/api/clusters/[id]/lab/route.ts").GET(new Request("http://127.0.0.1/api/clusters/x/lab"), { params: Promise.resolve({ id: A(fx).clusters[role].id }) }),
    expect: { outsider: "not-found", member: "not-found", lead: "not-found", admin: "not-found" },
  },
  "app/(dashboard)/clusters/[id]/lab-actions.ts#labControlAction": {
    call: (fx, role) => mod("app/(dashboard)/clusters/[id]/lab-actions.ts").labControlAction(A(fx).clusters[role].id, "master-0", "keepalived", "stop"),
    expect: { outsider: "not-found", member: "not-found", lead: "not-found", admin: "not-found" },
    notFoundUnaudited: "the lab is off: the lab itself is not found, for everyone, before any cluster is read (with it on, the outsider's refusal is audited: lib/data/demo-lab.ts)",
    malformed: [
      (fx) => mod("app/(dashboard)/clusters/[id]/lab-actions.ts").labControlAction(A(fx).clusters.admin.id, "master-9" as never, "keepalived", "stop"),
      (fx) => mod("app/(dashboard)/clusters/[id]/lab-actions.ts").labControlAction(A(fx).clusters.admin.id, "master-0", "sshd" as never, "stop"),
      () => mod("app/(dashboard)/clusters/[id]/lab-actions.ts").labControlAction(HUGE, "master-0", "api", "kill" as never),
    ],
  },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const modules = new Map<string, any>();
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function mod(file: string): any {
  const m = modules.get(file);
  if (!m) throw new Error(`${file} was not loaded`);
  return m;
}

const entryPoints = discoverEntryPoints();

describe("the authorization matrix", () => {
  beforeAll(async () => {
    for (const file of new Set(entryPoints.map((e) => e.file))) modules.set(file, await import(/* @vite-ignore */ `@/${file}`));
  }, 120_000);
  afterAll(() => authzHarness.dispose());

  it("has a row for every entry point of app/, and none for one that is gone", () => {
    expect(entryPoints.length).toBeGreaterThan(20);
    const keys = new Set(entryPoints.map((e) => e.key));
    const missing = entryPoints.filter((e) => !(e.key in ENTRIES)).map((e) => `${e.kind} ${e.key}`);
    const stale = Object.keys(ENTRIES).filter((k) => !keys.has(k));
    expect(missing, `No authorization matrix row for: ${missing.join(", ")} — add one to ENTRIES in test/unit/authz/matrix.test.ts`).toEqual([]);
    expect(stale, `Matrix rows for entry points that no longer exist: ${stale.join(", ")}`).toEqual([]);
  });

  it("has every request the server answers outside Next.js as a route of app/ with a row (the same method, path and code)", async () => {
    // the ingest's route registers its handler when it first answers
    await mod("app/api/vrrp/ingest/route.ts").POST(new Request("http://127.0.0.1/api/vrrp/ingest", { method: "POST", body: "{}" }));
    const outside = pathsOutsideNext();
    expect(outside.length).toBeGreaterThan(0);
    for (const { method, path } of outside) expect(ENTRIES[`app${path}/route.ts#${method}`], `${method} ${path}`).toBeDefined();
  });

  it("marks as public only what the proxy lets through without a session", () => {
    const publicRoutes = entryPoints.filter((e) => e.kind === "route" && ENTRIES[e.key]?.public);
    for (const e of publicRoutes) expect(isPublicPath(urlOf(e)), e.key).toBe(true);
    for (const e of entryPoints.filter((x) => x.kind === "route" && !ENTRIES[x.key]?.public && !ENTRIES[x.key]?.bearer)) expect(isPublicPath(urlOf(e)), e.key).toBe(false);
  });

  for (const entry of entryPoints) {
    const row = ENTRIES[entry.key];
    if (!row || row.public) continue;
    it(`${entry.kind} ${entry.key}`, { timeout: 120_000 }, async () => {
      const fx = await authzHarness.fixture();
      const command = entry.kind === "action" || (entry.kind === "route" && entry.exportName !== "GET");
      const ignore = Object.keys(row.unaudited ?? {});
      const whole = ignore.length ? await authzHarness.snapshot() : undefined;
      let before = await authzHarness.snapshot(ignore);
      /** Calls the entry point as the role, checks its outcome and what it wrote to the audit log (the rules at the top). */
      const call = async (role: Role, expected: Outcome, what: string) => {
        const mark = await authzHarness.auditMark();
        const outcome = await authzHarness.run(role, () => row.call!(fx, role));
        expect(outcome, `${entry.key} ${what}`).toBe(expected);
        const after = await authzHarness.snapshot(ignore);
        const changed = authzHarness.changedTables(before, after);
        before = after;
        const written = await authzHarness.auditSince(mark);
        const rows = written.map((r) => `${r.action} ${r.outcome} by ${r.actor}`).join("; ") || "none";
        if (role === "anonymous") {
          expect(changed, `${entry.key} ${what} changed the database`).toEqual([]);
          return;
        }
        const mine = written.filter((r) => r.actorId === fx.users[role].id && r.actor === fx.users[role].username);
        if (changed.length > 0) {
          expect.soft(
            mine.some((r) => r.outcome === "succeeded" || r.outcome === "failed"),
            `${entry.key} ${what} changed ${changed.join(", ")} but wrote no "succeeded" or "failed" audit row naming the ${role} (new rows: ${rows}): audit it in lib/data, or give the row \`unaudited: { "Table.column": "why" }\``,
          ).toBe(true);
        }
        const refused = outcome === "forbidden" || (role === "outsider" && outcome === "not-found" && command && !row.notFoundUnaudited);
        if (refused) {
          expect.soft(mine.some((r) => r.outcome === "denied"), `${entry.key} ${what} was refused (${outcome}) but wrote no "denied" audit row naming the ${role} (new rows: ${rows})`).toBe(true);
        }
      };

      await call("anonymous", row.expect?.anonymous ?? "login", "without a session");
      const untouched = before;
      await call("outsider", row.expect!.outsider, "by a lead of another project with project A's ids");
      if (!row.ownAccount) expect(before, `${entry.key}: the outsider's call changed the database`).toEqual(untouched);

      for (const role of ROLES) await call(role, row.expect![role], `by the ${role} of project A`);
      if (whole) {
        // an exemption that nothing changed is stale: remove it
        const now = await authzHarness.snapshot();
        for (const key of ignore) {
          const [table, column] = key.split(".");
          const cells = (snap: Record<string, unknown[]>) => (snap[table] ?? []).map((r) => (column ? (r as Record<string, unknown>)[column] : r));
          expect(isDeepStrictEqual(cells(whole), cells(now)), `${entry.key}: unaudited "${key}" did not change in any call`).toBe(false);
        }
      }

      for (const [i, bad] of (row.malformed ?? []).entries()) {
        const untouched = await authzHarness.snapshot(ignore);
        const outcome = await authzHarness.run("admin", () => bad(fx, "admin"));
        expect(["invalid", "not-found"], `${entry.key} malformed input #${i + 1} answered ${outcome}`).toContain(outcome);
        expect(await authzHarness.snapshot(ignore), `${entry.key} malformed input #${i + 1} changed the database`).toEqual(untouched);
      }
    });
  }

  it("gives every unaudited change a table (or column) and a reason", () => {
    for (const [key, row] of Object.entries(ENTRIES)) {
      for (const [what, reason] of Object.entries(row.unaudited ?? {})) {
        expect(what, `${key}: unaudited names "Table" or "Table.column"`).toMatch(/^[A-Z][A-Za-z]*(\.[A-Za-z]+)?$/);
        expect(reason.trim().length, `${key}: unaudited "${what}" without a reason`).toBeGreaterThan(10);
      }
      if (row.notFoundUnaudited !== undefined) expect(row.notFoundUnaudited.trim().length, `${key}: notFoundUnaudited without a reason`).toBeGreaterThan(10);
    }
  });

  it("ends a user's sessions at once: sign-out, password change, reset, role change, disabling", async () => {
    const fx = await authzHarness.fixture();
    const { signOut } = await import("@/lib/data/signin");
    const clusters = () => mod("app/(dashboard)/clusters/page.tsx").default({ searchParams: Promise.resolve({}) });
    const api = () => mod("app/api/clusters/[id]/route.ts").GET(new Request("http://127.0.0.1/x"), { params: Promise.resolve({ id: fx.a.clusters.member.id }) });
    const admin = (action: string, fields: Record<string, string>) => () => mod("app/(dashboard)/admin/actions.ts")[action]({}, form(fields));
    const ends: [string, () => Promise<unknown>][] = [
      ["sign-out", () => signOut(authzHarness.prisma, fx.users.member.id)],
      ["password change", async () => expect(await authzHarness.run("member", () => mod("app/(dashboard)/account/actions.ts").changePasswordAction({}, form({ currentPassword: "pw", newPassword: STRONG("member") })))).toBe("ok")],
      ["password reset", async () => expect(await authzHarness.run("admin", admin("resetPasswordAction", { userId: fx.users.member.id, password: STRONG("member") }))).toBe("ok")],
      ["role change", async () => expect(await authzHarness.run("admin", admin("setUserRoleAction", { userId: fx.users.member.id, role: "lead" }))).toBe("ok")],
      ["disabling", async () => expect(await authzHarness.run("admin", admin("setUserDisabledAction", { userId: fx.users.member.id, disabled: "true" }))).toBe("ok")],
    ];
    for (const [what, end] of ends) {
      const copied = await authzHarness.tokenVersion("member");
      expect(await authzHarness.run("member", clusters, copied), `before ${what}`).toBe("ok");
      await end();
      expect(await authzHarness.run("member", clusters, copied), `a page after ${what}`).toBe("login");
      expect(await authzHarness.run("member", api, copied), `the API after ${what}`).toBe("login");
    }
    // Disabled: not even a fresh token works.
    expect(await authzHarness.run("member", clusters)).toBe("login");
  });

  it("every action row tries malformed input", () => {
    const without = entryPoints.filter((e) => e.kind === "action" && !ENTRIES[e.key]?.malformed?.length).map((e) => e.key);
    expect(without).toEqual([]);
  });
});

function urlOf(e: EntryPoint): string {
  return (
    "/" +
    e.file
      .replace(/^app\//, "")
      .replace(/\/route\.ts$/, "")
      .split("/")
      .filter((s) => !/^\(.*\)$/.test(s))
      .map((s) => (/^\[\.\.\..*\]$/.test(s) ? "x" : /^\[.*\]$/.test(s) ? "some-id" : s))
      .join("/")
  );
}
