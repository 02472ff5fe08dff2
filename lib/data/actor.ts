import { readRows, type Db } from "@/lib/db";
import { flag } from "@/lib/db-values";
import { Prisma } from "@/lib/generated/prisma/client";
import { GLOBAL_ROLES, PROJECT_ROLES, type Actor, type GlobalRole, type ProjectRole } from "@/lib/auth/policy";

function oneOf<T extends string>(allowed: readonly T[], value: string, fallback: T): T {
  return (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** One row per membership of the user (one with null membership columns when they have none). */
export interface ActorRow {
  id: string;
  username: string;
  role: string;
  disabled: unknown;
  sessionVersion: unknown;
  projectId: string | null;
  projectRole: string | null;
}

/** The columns of ActorRow, read FROM ACTOR_FROM: a statement may add its own columns and joins (one per request). */
export const ACTOR_COLUMNS = Prisma.sql`u."id", u."username", u."role", u."disabled", u."sessionVersion", m."projectId", m."role" AS "projectRole"`;
export const ACTOR_FROM = Prisma.sql`"User" u LEFT JOIN "Membership" m ON m."userId" = u."id"`;

/**
 * The actor of a user's rows. With a session version (from the session token), a disabled user or a session older
 * than the user's current version (signed out, password changed, role changed) gives null: that session has ended.
 */
export function actorOf(rows: ActorRow[], session?: { version: number }): Actor | null {
  if (rows.length === 0) return null;
  const user = rows[0];
  // as the drivers give them (lib/db-values.ts): SQLite 0/1 or a bigint, PostgreSQL a boolean and a number
  if (session && (flag(user.disabled) || Number(user.sessionVersion) !== session.version)) return null;
  return {
    id: user.id,
    username: user.username,
    role: oneOf<GlobalRole>(GLOBAL_ROLES, user.role, "member"),
    memberships: rows.flatMap((m) => (m.projectId ? [{ projectId: m.projectId, role: oneOf<ProjectRole>(PROJECT_ROLES, m.projectRole ?? "", "member") }] : [])),
  };
}

/**
 * The actor behind a session: the user with their memberships, read fresh so role changes apply at once. Every
 * request starts here, so it is one statement (a join), not Prisma's query per relation, and it goes past Prisma's
 * query compiler (lib/db.ts readRows); see actorOf for `session`.
 */
export async function loadActor(db: Db, userId: string, session?: { version: number }): Promise<Actor | null> {
  return actorOf(await readRows<ActorRow>(db, Prisma.sql`SELECT ${ACTOR_COLUMNS} FROM ${ACTOR_FROM} WHERE u."id" = ${userId}`), session);
}
