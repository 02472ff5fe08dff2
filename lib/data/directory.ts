import { z } from "zod";
import type { Db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { can, projectIdFilter, type Actor } from "@/lib/auth/policy";
import { CLUSTER_STATUSES } from "@/lib/domain";
import { ForbiddenError, parseCommand } from "./errors";
import { pageOf, pageQuery, prefixRange, window, type Page } from "./paging";

// Read models for the UI: plain DTOs, never Prisma rows (no password hashes, no sealed secrets).

export interface ProjectSummary {
  id: string;
  name: string;
  openstackProjectId: string | null;
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
    members: p.memberships.map((m) => ({ username: m.user.username, role: m.role })),
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
  status: string;
  createdBy: string;
  createdAt: string;
}

export const CLUSTER_SORTS = ["created", "name", "status"] as const;
export type ClusterSort = (typeof CLUSTER_SORTS)[number];

/** The clusters list's query: a page, a sort, and filters on indexed columns (status, project, name prefix). */
export const ClusterListQuery = pageQuery(CLUSTER_SORTS, "created", "desc").extend({
  status: z.enum(CLUSTER_STATUSES, { error: "Not a cluster status" }).optional(),
  projectId: z.string().max(64).optional(),
  q: z.string().max(63, "At most 63 characters").optional(),
});
export type ClusterListInput = Partial<z.input<typeof ClusterListQuery>>;

export type ClusterPage = Page<ClusterSummary, ClusterSort> & { filters: { status?: string; projectId?: string; q?: string } };

export function clusterOrder(sort: ClusterSort, dir: "asc" | "desc"): Prisma.ClusterOrderByWithRelationInput[] {
  const column = sort === "created" ? "createdAt" : sort;
  // the id breaks ties, so pages never overlap
  return [{ [column]: dir }, { id: dir }];
}

/** A page of the clusters the actor may see: one query for the rows (with their project and creator), one count. */
export async function listClusters(db: Db, actor: Actor, query: ClusterListInput = {}): Promise<ClusterPage> {
  const req = parseCommand(ClusterListQuery, query);
  const scope = projectIdFilter(actor);
  if (req.projectId && scope && !scope.in.includes(req.projectId)) return { ...pageOf([], 0, req), filters: { projectId: req.projectId } };
  const where: Prisma.ClusterWhereInput = {
    projectId: req.projectId ?? scope,
    ...(req.status ? { status: req.status } : {}),
    ...(req.q ? { name: prefixRange(req.q) } : {}),
  };
  const [rows, total] = await Promise.all([
    db.cluster.findMany({
      where,
      select: { id: true, name: true, status: true, createdAt: true, project: { select: { name: true } }, createdBy: { select: { username: true } } },
      orderBy: clusterOrder(req.sort, req.dir),
      ...window(req),
    }),
    db.cluster.count({ where }),
  ]);
  const page = rows.map((c) => ({
    id: c.id,
    name: c.name,
    project: c.project.name,
    status: c.status,
    createdBy: c.createdBy.username,
    createdAt: c.createdAt.toISOString(),
  }));
  return { ...pageOf(page, total, req), filters: { status: req.status, projectId: req.projectId, q: req.q } };
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
