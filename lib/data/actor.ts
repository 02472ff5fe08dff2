import type { Db } from "@/lib/db";
import { GLOBAL_ROLES, PROJECT_ROLES, type Actor, type GlobalRole, type ProjectRole } from "@/lib/auth/policy";

function oneOf<T extends string>(allowed: readonly T[], value: string, fallback: T): T {
  return (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** The actor behind a session: the user with their memberships, read fresh so role changes apply at once. */
export async function loadActor(db: Db, userId: string): Promise<Actor | null> {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, username: true, role: true, memberships: { select: { projectId: true, role: true } } },
  });
  if (!user) return null;
  return {
    id: user.id,
    username: user.username,
    role: oneOf<GlobalRole>(GLOBAL_ROLES, user.role, "member"),
    memberships: user.memberships.map((m) => ({ projectId: m.projectId, role: oneOf<ProjectRole>(PROJECT_ROLES, m.role, "member") })),
  };
}
