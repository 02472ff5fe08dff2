import type { Db } from "@/lib/db";
import { GLOBAL_ROLES, PROJECT_ROLES, type Actor, type GlobalRole, type ProjectRole } from "@/lib/auth/policy";

function oneOf<T extends string>(allowed: readonly T[], value: string, fallback: T): T {
  return (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/**
 * The actor behind a session: the user with their memberships, read fresh so role changes apply at once. With a
 * session version (from the session token), a disabled user or a session older than the user's current version
 * (signed out, password changed, role changed) gives null: that session has ended.
 */
export async function loadActor(db: Db, userId: string, session?: { version: number }): Promise<Actor | null> {
  const user = await db.user.findUnique({ where: { id: userId }, include: { memberships: true } });
  if (!user) return null;
  if (session && (user.disabled || user.sessionVersion !== session.version)) return null;
  return {
    id: user.id,
    username: user.username,
    role: oneOf<GlobalRole>(GLOBAL_ROLES, user.role, "member"),
    memberships: user.memberships.map((m) => ({ projectId: m.projectId, role: oneOf<ProjectRole>(PROJECT_ROLES, m.role, "member") })),
  };
}

