import type { Db } from "@/lib/db";
import { can, projectScope, type Actor } from "@/lib/auth/policy";
import { ForbiddenError } from "./actor";

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
    where: actor.role === "admin" ? {} : { id: { in: actor.memberships.map((m) => m.projectId) } },
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
  status: string;
  createdBy: string;
  createdAt: string;
}

export async function listClusters(db: Db, actor: Actor): Promise<ClusterSummary[]> {
  const rows = await db.cluster.findMany({
    where: projectScope(actor),
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
