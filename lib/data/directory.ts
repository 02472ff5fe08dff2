import type { Db } from "@/lib/db";
import { can, projectIdFilter, type Actor } from "@/lib/auth/policy";
import { shownClusterStatus } from "@/lib/domain";
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
  return rows.map((u) => ({ id: u.id, username: u.username, role: u.role, projects: u.memberships.map((m) => m.project.name) }));
}

export interface ClusterSummary {
  id: string;
  name: string;
  project: string;
  /** As shown: a cancelled create reads "cancelled" (shownClusterStatus). */
  status: string;
  createdBy: string;
  createdAt: string;
  /** The newest operation: its kind and status, the step running now and how many steps are done. */
  operation: { kind: string; status: string; step: string | null; done: number; total: number } | null;
}

/** What every list shows of a cluster, whatever else it adds. */
export function clusterHeadline(
  c: { id: string; name: string; status: string; createdAt: Date; project: { name: string }; createdBy: { username: string } },
  lastOperation: { status: string } | undefined,
): Omit<ClusterSummary, "operation"> {
  return {
    id: c.id,
    name: c.name,
    project: c.project.name,
    status: shownClusterStatus(c.status, lastOperation?.status),
    createdBy: c.createdBy.username,
    createdAt: c.createdAt.toISOString(),
  };
}

export async function listClusters(db: Db, actor: Actor): Promise<ClusterSummary[]> {
  const rows = await db.cluster.findMany({
    where: { projectId: projectIdFilter(actor) },
    include: {
      project: true,
      createdBy: true,
      operations: { orderBy: { createdAt: "desc" }, take: 1, select: { kind: true, status: true, steps: { select: { name: true, status: true } } } },
    },
    orderBy: { createdAt: "desc" },
  });
  return rows.map((c) => {
    const op = c.operations[0];
    return {
      ...clusterHeadline(c, op),
      operation: op
        ? {
            kind: op.kind,
            status: op.status,
            step: op.steps.find((s) => s.status === "running")?.name ?? null,
            done: op.steps.filter((s) => s.status === "succeeded").length,
            total: op.steps.length,
          }
        : null,
    };
  });
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
}

/** Who is signed in and which sections they may open (the layout's header). */
export async function getNavigation(_db: Db, actor: Actor): Promise<Navigation> {
  return { username: actor.username, role: actor.role, oversight: can(actor, "oversight.read"), admin: can(actor, "admin.read") };
}

/** The Admin page: every user and project (administrators only). */
export async function getAdministration(db: Db, actor: Actor): Promise<{ users: UserSummary[]; projects: ProjectSummary[] }> {
  if (!can(actor, "admin.read")) throw new ForbiddenError();
  const [users, projects] = await Promise.all([listUsers(db, actor), listProjects(db, actor)]);
  return { users, projects };
}
