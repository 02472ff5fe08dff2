import bcrypt from "bcryptjs";
import type { Db } from "@/lib/db";
import { GLOBAL_ROLES, type GlobalRole } from "./policy";
import { LOGIN_MESSAGES, isThrottled, windowStart } from "./login-throttle";

const BCRYPT_COST = 10;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}

export type LoginResult =
  | { ok: true; user: { id: string; username: string; role: GlobalRole } }
  | { ok: false; reason: keyof typeof LOGIN_MESSAGES };

// A hash of nothing in particular, compared against when the user does not exist, so that the answer takes
// as long for an unknown name as for a wrong password.
const DUMMY_HASH = bcrypt.hashSync("tripod-no-such-user", BCRYPT_COST);

export async function verifyLogin(db: Db, username: string, password: string, now = new Date()): Promise<LoginResult> {
  const failures = await db.loginFailure.count({ where: { username, at: { gt: windowStart(now) } } });
  if (isThrottled(failures)) return { ok: false, reason: "throttled" };
  const user = await db.user.findUnique({ where: { username } });
  const matches = await bcrypt.compare(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !matches) {
    await db.loginFailure.create({ data: { username, at: now } });
    return { ok: false, reason: "invalid" };
  }
  await db.loginFailure.deleteMany({ where: { username } });
  const role = (GLOBAL_ROLES as readonly string[]).includes(user.role) ? (user.role as GlobalRole) : "member";
  return { ok: true, user: { id: user.id, username: user.username, role } };
}
