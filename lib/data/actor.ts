import type { Db } from "@/lib/db";
import { GLOBAL_ROLES, PROJECT_ROLES, type Actor, type GlobalRole, type ProjectRole } from "@/lib/auth/policy";

function oneOf<T extends string>(allowed: readonly T[], value: string, fallback: T): T {
  return (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/**
 * The actor behind a session: the user with their memberships, read fresh so role changes apply at once. Every
 * request starts here, so it is one statement (a join), not Prisma's query per relation. With a session version
 * (from the session token), a disabled user or a session older than the user's current version (signed out,
 * password changed, role changed) gives null: that session has ended.
 */
export async function loadActor(db: Db, userId: string, session?: { version: number }): Promise<Actor | null> {
  const rows = await db.$queryRaw<
    { id: string; username: string; role: string; disabled: unknown; sessionVersion: unknown; projectId: string | null; projectRole: string | null }[]
  >`
    SELECT u."id", u."username", u."role", u."disabled", u."sessionVersion", m."projectId", m."role" AS "projectRole"
    FROM "User" u LEFT JOIN "Membership" m ON m."userId" = u."id"
    WHERE u."id" = ${userId}`;
  if (rows.length === 0) return null;
  const user = rows[0];
  // SQLite answers 0/1 and possibly a bigint where PostgreSQL answers a boolean and a number.
  if (session && (Boolean(Number(user.disabled)) || Number(user.sessionVersion) !== session.version)) return null;
  return {
    id: user.id,
    username: user.username,
    role: oneOf<GlobalRole>(GLOBAL_ROLES, user.role, "member"),
    memberships: rows.flatMap((m) => (m.projectId ? [{ projectId: m.projectId, role: oneOf<ProjectRole>(PROJECT_ROLES, m.projectRole ?? "", "member") }] : [])),
  };
}
