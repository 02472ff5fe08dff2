import type { Db } from "@/lib/db";
import { can, projectIdFilter, type Actor } from "@/lib/auth/policy";
import { ForbiddenError } from "./errors";

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

export async function listProjects(db: Db, actor: Actor): Promise<ProjectSummary[]> {
  const rows = await db.project.findMany({
    where: { id: projectIdFilter(actor) },
    include: { memberships: { include: { user: true } }, _count: { select: { clusters: true } } },
    orderBy: { name: "asc" },
  });
  return rows.map((p) => ({
    id: p.id,
    name: p.name,
    openstackProjectId: p.openstackProjectId,
    members: p.memberships.map((m) => ({ username: m.user.username, role: m.role })),
    clusterCount: p._count.clusters,
  }));
}

export async function listUsers(db: Db, actor: Actor): Promise<UserSummary[]> {
  if (!can(actor, "admin.read")) throw new ForbiddenError();
  const rows = await db.user.findMany({ include: { memberships: { include: { project: true } } }, orderBy: { username: "asc" } });
  return rows.map((u) => ({
    id: u.id,
    username: u.username,
    role: u.role,
    projects: u.memberships.map((m) => m.project.name),
    disabled: u.disabled,
    source: u.source,
  }));
}

export interface ClusterSummary {
  id: string;
  name: string;
  project: string;
  status: string;
  createdBy: string;
  createdAt: string;
}

export async function listClusters(db: Db, actor: Actor): Promise<ClusterSummary[]> {
  const rows = await db.cluster.findMany({
    where: { projectId: projectIdFilter(actor) },
    include: { project: true, createdBy: true },
    orderBy: { createdAt: "desc" },
  });
  return rows.map((c) => ({
    id: c.id,
    name: c.name,
    project: c.project.name,
    status: c.status,
    createdBy: c.createdBy.username,
    createdAt: c.createdAt.toISOString(),
  }));
}

export interface CreateTarget {
  id: string;
  name: string;
  clouds: { id: string; name: string; authUrl: string }[];
}

/** The projects the actor may create clusters in, with their clouds (the new-cluster form's choices). */
export async function listCreateTargets(db: Db, actor: Actor): Promise<CreateTarget[]> {
  const projects = await db.project.findMany({
    where: { id: projectIdFilter(actor) },
    select: { id: true, name: true, clouds: { select: { id: true, name: true, authUrl: true }, orderBy: { name: "asc" } } },
    orderBy: { name: "asc" },
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

/** The Admin page: every user and project, and the clouds whose Keystone may sign users in (administrators only). */
export async function getAdministration(db: Db, actor: Actor): Promise<{ users: UserSummary[]; projects: ProjectSummary[]; clouds: SignInCloud[] }> {
  if (!can(actor, "admin.read")) throw new ForbiddenError();
  const [users, projects, clouds] = await Promise.all([
    listUsers(db, actor),
    listProjects(db, actor),
    db.cloud.findMany({ select: { id: true, name: true, authUrl: true, signInDomains: true, project: { select: { name: true } } }, orderBy: { createdAt: "asc" } }),
  ]);
  return { users, projects, clouds: clouds.map(({ project, ...c }) => ({ ...c, project: project.name })) };
}
