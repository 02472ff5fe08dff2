import { randomBytes } from "node:crypto";
import bcrypt from "bcryptjs";
import type { Db } from "@/lib/db";
import { isPostgresUrl } from "@/lib/db-url";
import { GLOBAL_ROLES, type GlobalRole } from "./policy";
import { MAX_FAILURES, MAX_FAILURES_PER_SOURCE, windowStart, type LoginRefusal } from "./login-throttle";

const BCRYPT_COST = 10;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}

export function checkPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

export interface SignedInUser {
  id: string;
  username: string;
  role: GlobalRole;
  sessionVersion: number;
}

export type LoginResult = { ok: true; user: SignedInUser } | { ok: false; reason: LoginRefusal };

// A hash of nothing in particular, compared against when the user does not exist (or is not a local account), so
// that the answer takes as long for an unknown name as for a wrong password.
const DUMMY_HASH = bcrypt.hashSync("tripod-no-such-user", BCRYPT_COST);

/** Where an attempt comes from, for the per-address limit; "unknown" when the server could not tell. */
export interface Attempt {
  source?: string;
  now?: Date;
}

/**
 * Reserves a failure row for this attempt unless a limit is reached (one conditional INSERT: atomic). Returns the
 * reservation's id, or the limit that refused it. Old rows are pruned on the way.
 */
export async function reserveAttempt(db: Db, username: string, attempt: Attempt = {}): Promise<{ id: string } | { refused: LoginRefusal }> {
  const now = attempt.now ?? new Date();
  const source = attempt.source ?? "unknown";
  const since = windowStart(now);
  await db.loginFailure.deleteMany({ where: { at: { lt: new Date(since.getTime() - 60_000) } } });
  const id = `lf_${randomBytes(12).toString("hex")}`;
  // One statement is atomic on SQLite (one writer at a time). On PostgreSQL two statements could both count below the
  // limit: the attempts of one address are serialized by a transaction-scoped advisory lock first.
  const reserve = (tx: Pick<Db, "$executeRaw">) => tx.$executeRaw`
    INSERT INTO "LoginFailure" ("id", "username", "source", "at")
    SELECT ${id}, ${username}, ${source}, ${now}
    WHERE (SELECT COUNT(*) FROM "LoginFailure" WHERE "username" = ${username} AND "source" = ${source} AND "at" > ${since}) < ${MAX_FAILURES}
      AND (SELECT COUNT(*) FROM "LoginFailure" WHERE "source" = ${source} AND "at" > ${since}) < ${MAX_FAILURES_PER_SOURCE}`;
  const inserted = isPostgresUrl(process.env.DATABASE_URL ?? "")
    ? await db.$transaction(async (tx) => {
        // executeRaw: the lock function returns void, which a queryRaw cannot read back.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${source}::text))`;
        return reserve(tx);
      })
    : await reserve(db);
  if (inserted === 1) return { id };
  const perName = await db.loginFailure.count({ where: { username, source, at: { gt: since } } });
  return { refused: perName >= MAX_FAILURES ? "throttled" : "sourceThrottled" };
}

/** A successful sign-in: its reservation and the name's earlier failures from that address are forgotten. */
export async function forgetFailures(db: Db, reservationId: string, username: string, source = "unknown"): Promise<void> {
  await db.loginFailure.deleteMany({ where: { OR: [{ id: reservationId }, { username, source }] } });
}

export function roleOf(value: string): GlobalRole {
  return (GLOBAL_ROLES as readonly string[]).includes(value) ? (value as GlobalRole) : "member";
}

/** A local account's sign-in. Disabled users and Keystone users (no local password) fail as a wrong password does. */
export async function verifyLogin(db: Db, username: string, password: string, attempt: Attempt = {}): Promise<LoginResult> {
  const reservation = await reserveAttempt(db, username, attempt);
  if ("refused" in reservation) return { ok: false, reason: reservation.refused };
  const user = await db.user.findUnique({ where: { username } });
  const local = user && user.source === "local" && !user.disabled ? user : null;
  const matches = await bcrypt.compare(password, local?.passwordHash ?? DUMMY_HASH);
  if (!local || !matches) return { ok: false, reason: "invalid" };
  await forgetFailures(db, reservation.id, username, attempt.source);
  return { ok: true, user: { id: local.id, username: local.username, role: roleOf(local.role), sessionVersion: local.sessionVersion } };
}
