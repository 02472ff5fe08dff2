import { z } from "zod";
import { readRows, type Db } from "@/lib/db";
import { count, dateOf } from "@/lib/db-values";
import { Prisma } from "@/lib/generated/prisma/client";
import { can, projectIdFilter, type Actor } from "@/lib/auth/policy";
import { SHOWN_CLUSTER_STATUSES, shownClusterStatus, STEP_NAMES, type OperationKind, type ShownClusterStatus } from "@/lib/domain";
import { ForbiddenError, parseCommand } from "./errors";
import { inScope } from "./sql";
import { pageOf, pageQuery, prefixRange, window, type Page } from "./paging";
import { byName } from "@/lib/util/names";

// Read models for the UI: plain DTOs, never Prisma rows (no password hashes, no sealed secrets).

export interface ProjectSummary {
  id: string;
  name: string;
  openstackProjectId: string | null;
  /** leads first, then members, each by name */
  members: { username: string; role: string }[];
  clusterCount: number;
}

export interface UserSummary {
  id: string;
  username: string;
  role: string;
  projects: string[];
  disabled: boolean;
  /** local | keystone */
  source: string;
}

export const NameListQuery = pageQuery(["name"], "name", "asc");
export type NameListInput = Partial<z.input<typeof NameListQuery>>;

export async function listProjects(db: Db, actor: Actor, query: NameListInput = {}): Promise<Page<ProjectSummary, "name">> {
  const req = parseCommand(NameListQuery, query);
  const where = { id: projectIdFilter(actor) };
  const [rows, total] = await Promise.all([
    db.project.findMany({
      where,
      select: {
        id: true,
        name: true,
        openstackProjectId: true,
        memberships: { select: { role: true, user: { select: { username: true } } } },
        _count: { select: { clusters: true } },
      },
      orderBy: { name: req.dir },
      ...window(req),
    }),
    db.project.count({ where }),
  ]);
  return pageOf(rows.map((p) => ({
    id: p.id,
    name: p.name,
    openstackProjectId: p.openstackProjectId,
    members: p.memberships
      .map((m) => ({ username: m.user.username, role: m.role }))
      .sort((a, b) => (a.role === b.role ? byName(a.username, b.username) : a.role === "lead" ? -1 : 1)),
    clusterCount: p._count.clusters,
  })), total, req);
}

export async function listUsers(db: Db, actor: Actor, query: NameListInput = {}): Promise<Page<UserSummary, "name">> {
  if (!can(actor, "admin.read")) throw new ForbiddenError();
  const req = parseCommand(NameListQuery, query);
  const [rows, total] = await Promise.all([
    db.user.findMany({
      select: { id: true, username: true, role: true, disabled: true, source: true, memberships: { select: { project: { select: { name: true } } } } },
      orderBy: { username: req.dir },
      ...window(req),
    }),
    db.user.count(),
  ]);
  return pageOf(
    rows.map((u) => ({ id: u.id, username: u.username, role: u.role, projects: u.memberships.map((m) => m.project.name), disabled: u.disabled, source: u.source })),
    total,
    req,
  );
}

export interface ClusterSummary {
  id: string;
  name: string;
  project: string;
  /** As shown: a cancelled create reads "cancelled" (shownClusterStatus). */
  status: string;
  createdBy: string;
  createdAt: string;
  /** The newest operation: its kind and status, the step running now (or where it failed or was cancelled) and how many steps are done. */
  operation: { kind: string; status: string; step: string | null; done: number; total: number } | null;
}

export const CLUSTER_SORTS = ["created", "name", "status"] as const;
export type ClusterSort = (typeof CLUSTER_SORTS)[number];

/**
 * The clusters list and oversight show 20 a page unless asked (PatternFly's second size, a compact table's
 * screenful): they are the pages opened most, and their server cost grows with their rows (~0.3–0.5 ms of CPU
 * each), the frame's does not.
 */
export const CLUSTER_PAGE_SIZE = 20;

/** The clusters list's query: a page, a sort, and filters on indexed columns (status, project, name prefix). */
export const ClusterListQuery = pageQuery(CLUSTER_SORTS, "created", "desc", CLUSTER_PAGE_SIZE).extend({
  status: z.enum(SHOWN_CLUSTER_STATUSES, { error: "Not a cluster status" }).optional(),
  projectId: z.string().max(64, "Not an id").optional(),
  q: z.string().max(63, "At most 63 characters").optional(),
  /** "1": deleted clusters too (hidden unless asked, or filtered by status=deleted). */
  deleted: z.enum(["1"], { error: "1 (deleted clusters shown too) or nothing" }).optional(),
});
export type ClusterListInput = Partial<z.input<typeof ClusterListQuery>>;

export type ClusterPage = Page<ClusterSummary, ClusterSort> & {
  filters: { status?: string; projectId?: string; q?: string; deleted: boolean };
  /** The projects the filter offers (those the actor sees, by name). */
  projects: { id: string; name: string }[];
};

/** What every list shows of a cluster (`c`): its columns, with its project's name and its creator's (HEADLINE_JOINS). */
export const HEADLINE_COLUMNS = Prisma.sql`c."id", c."name", c."status", c."createdAt", p."name" AS "project", u."username" AS "createdBy"`;
export const HEADLINE_JOINS = Prisma.sql`JOIN "Project" p ON p."id" = c."projectId" JOIN "User" u ON u."id" = c."createdById"`;

/** A row of HEADLINE_COLUMNS. */
export interface HeadlineRow {
  id: string;
  name: string;
  status: string;
  /** ISO text, as both driver adapters give a timestamp (lib/db.ts readRows) */
  createdAt: string;
  project: string;
  createdBy: string;
}

/** What every list shows of a cluster, whatever else it adds. */
export function clusterHeadline(c: HeadlineRow, lastOperationStatus: string | null | undefined): Omit<ClusterSummary, "operation"> {
  return {
    id: c.id,
    name: c.name,
    project: c.project,
    status: shownClusterStatus(c.status, lastOperationStatus),
    createdBy: c.createdBy,
    createdAt: dateOf(c.createdAt).toISOString(),
  };
}

/** The latest operation as its summary row keeps it, with its progress (steps run in their defined order). */
function operationProgress(h: { operationKind: string | null; operationStatus: string | null; currentStep: string | null } | null): ClusterSummary["operation"] {
  if (!h?.operationKind || !h.operationStatus) return null;
  const steps: readonly string[] = STEP_NAMES[h.operationKind as OperationKind] ?? [];
  const done = h.operationStatus === "succeeded" ? steps.length : h.currentStep ? Math.max(0, steps.indexOf(h.currentStep)) : 0;
  return { kind: h.operationKind, status: h.operationStatus, step: h.currentStep, done, total: steps.length };
}

/** The clusters list offers at most this many projects in its filter (a select list, not a page). */
const FILTER_PROJECTS_MAX = 500;

/**
 * The status filter as a condition on the cluster `c` and its summary row `h` ("cancelled" is a failed cluster whose
 * latest operation was cancelled); no status: every cluster, or with `deleted` false (the list's default) all but the
 * deleted ones.
 */
export function statusSql(status: ShownClusterStatus | undefined, deleted = true): Prisma.Sql {
  if (!status) return deleted ? Prisma.sql`1 = 1` : Prisma.sql`c."status" <> 'deleted'`;
  if (status === "cancelled") return Prisma.sql`c."status" = 'failed' AND h."operationStatus" = 'cancelled'`;
  if (status === "failed") return Prisma.sql`c."status" = 'failed' AND (h."operationStatus" IS NULL OR h."operationStatus" <> 'cancelled')`;
  return Prisma.sql`c."status" = ${status}`;
}

/** Whether statusSql reads the summary row `h`: only then is it joined (SQLite keeps a LEFT JOIN it could omit). */
export const statusReadsHealth = (status: ShownClusterStatus | undefined) => status === "cancelled" || status === "failed";

/** The summary row `h` of the cluster `c`, when there is one. */
export const HEALTH_JOIN = Prisma.sql`LEFT JOIN "ClusterHealth" h ON h."clusterId" = c."id"`;

/** A name prefix as a condition on `c` (a range the name index serves), or none. */
export function namePrefixSql(prefix: string | undefined): Prisma.Sql {
  if (!prefix) return Prisma.sql`1 = 1`;
  const names = prefixRange(prefix);
  return Prisma.sql`c."name" >= ${names.gte} AND c."name" < ${names.lt}`;
}

/** The order of a page of clusters `c`: whitelisted columns only (the sort comes from the address); the id breaks ties, so pages never overlap. */
export function clusterOrderSql(sort: ClusterSort, dir: "asc" | "desc"): Prisma.Sql {
  const direction = Prisma.raw(dir === "asc" ? "ASC" : "DESC");
  return Prisma.sql`ORDER BY ${CLUSTER_SORT_COLUMNS[sort]} ${direction}, c."id" ${direction}`;
}
const CLUSTER_SORT_COLUMNS: Record<ClusterSort, Prisma.Sql> = { created: Prisma.sql`c."createdAt"`, name: Prisma.sql`c."name"`, status: Prisma.sql`c."status"` };

interface ClusterListRow extends HeadlineRow {
  operationKind: string | null;
  operationStatus: string | null;
  currentStep: string | null;
}

/**
 * A page of the clusters the actor may see: the page's ids in one statement, then those rows with their project,
 * creator and summary row, and the count in another, raw SQL on one condition past Prisma's query compiler
 * (lib/db.ts readRows: the list is the page opened most; Prisma would send a statement per relation and compile each
 * query, raw ones too, in its Wasm compiler on every request, ~2/3 of the list's data cost). The ids first: for a
 * member of several projects SQLite cannot walk one index in the page's order, and it joined every cluster of those
 * projects before sorting them (2.6 ms for 1,000 clusters instead of 0.1).
 */
export async function listClusters(db: Db, actor: Actor, query: ClusterListInput = {}): Promise<ClusterPage> {
  const req = parseCommand(ClusterListQuery, query);
  const scope = projectIdFilter(actor);
  const filters = { status: req.status, projectId: req.projectId, q: req.q, deleted: req.deleted === "1" };
  const projects = await readRows<{ id: string; name: string }>(
    db,
    Prisma.sql`SELECT p."id", p."name" FROM "Project" p WHERE ${inScope(scope, Prisma.sql`p."id"`)} ORDER BY p."name" ASC LIMIT ${FILTER_PROJECTS_MAX}`,
  );
  if (req.projectId && scope && !scope.in.includes(req.projectId)) return { ...pageOf([], 0, req), filters, projects };
  const where = Prisma.join(
    [req.projectId ? Prisma.sql`c."projectId" = ${req.projectId}` : inScope(scope, Prisma.sql`c."projectId"`), statusSql(req.status, filters.deleted), namePrefixSql(req.q)],
    " AND ",
  );
  // only the cancelled/failed filters read the summary row: SQLite keeps a LEFT JOIN it could omit, and the count
  // would then visit every matching cluster's row (3.4 ms instead of 0.06 for a project of 400)
  const matching = Prisma.sql`FROM "Cluster" c ${statusReadsHealth(req.status) ? HEALTH_JOIN : Prisma.empty} WHERE ${where}`;
  const { skip, take } = window(req);
  const [rows, [counted]] = await Promise.all([
    readRows<{ id: string }>(db, Prisma.sql`SELECT c."id" ${matching} ${clusterOrderSql(req.sort, req.dir)} LIMIT ${take} OFFSET ${skip}`).then((ids) =>
      ids.length ? listRows(db, ids.map((c) => c.id)) : [],
    ),
    readRows<{ total: number | bigint | string }>(db, Prisma.sql`SELECT COUNT(*) AS "total" ${matching}`),
  ]);
  const page = rows.map((c) => ({ ...clusterHeadline(c, c.operationStatus), operation: operationProgress(c) }));
  return { ...pageOf(page, count(counted.total), req), filters, projects };
}

/** The list's rows of the clusters `ids`, in that order. */
async function listRows(db: Db, ids: string[]): Promise<ClusterListRow[]> {
  const rows = await readRows<ClusterListRow>(
    db,
    Prisma.sql`
      SELECT ${HEADLINE_COLUMNS}, h."operationKind", h."operationStatus", h."currentStep"
      FROM "Cluster" c ${HEADLINE_JOINS} ${HEALTH_JOIN}
      WHERE c."id" IN (${Prisma.join(ids)})`,
  );
  return inOrderOf(ids, rows);
}

/** Rows read by id, put in the order of `ids` (a page's order, which an IN list does not keep). */
export function inOrderOf<R extends { id: string }>(ids: string[], rows: R[]): R[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export interface CreateTarget {
  id: string;
  name: string;
  clouds: { id: string; name: string; authUrl: string }[];
}

/** The new-cluster form offers at most this many projects (a select list, not a page). */
const CREATE_TARGETS_MAX = 500;

/** The projects the actor may create clusters in, with their clouds (the new-cluster form's choices). */
export async function listCreateTargets(db: Db, actor: Actor): Promise<CreateTarget[]> {
  const projects = await db.project.findMany({
    where: { id: projectIdFilter(actor) },
    select: { id: true, name: true, clouds: { select: { id: true, name: true, authUrl: true }, orderBy: { name: "asc" } } },
    orderBy: { name: "asc" },
    take: CREATE_TARGETS_MAX,
  });
  return projects.filter((p) => can(actor, "cluster.create", { projectId: p.id }));
}

export interface Navigation {
  username: string;
  role: string;
  oversight: boolean;
  admin: boolean;
  audit: boolean;
}

/** Who is signed in and which sections they may open (the layout's header). */
export async function getNavigation(_db: Db, actor: Actor): Promise<Navigation> {
  return { username: actor.username, role: actor.role, oversight: can(actor, "oversight.read"), admin: can(actor, "admin.read"), audit: can(actor, "audit.read") };
}

export interface SignInCloud {
  id: string;
  name: string;
  project: string;
  authUrl: string;
  signInDomains: string | null;
}

/**
 * The Admin page: users and projects, a page of each, and the clouds whose Keystone may sign users in
 * (administrators only).
 */
export async function getAdministration(
  db: Db,
  actor: Actor,
  query: { users?: NameListInput; projects?: NameListInput } = {},
): Promise<{ users: Page<UserSummary, "name">; projects: Page<ProjectSummary, "name">; clouds: SignInCloud[] }> {
  if (!can(actor, "admin.read")) throw new ForbiddenError();
  const [users, projects, clouds] = await Promise.all([
    listUsers(db, actor, query.users),
    listProjects(db, actor, query.projects),
    db.cloud.findMany({ select: { id: true, name: true, authUrl: true, signInDomains: true, project: { select: { name: true } } }, orderBy: { createdAt: "asc" } }),
  ]);
  return { users, projects, clouds: clouds.map(({ project, ...c }) => ({ ...c, project: project.name })) };
}
