import { z } from "zod";
import type { Db } from "@/lib/db";
import { audit } from "@/lib/audit";
import { checkPassword, hashPassword } from "@/lib/auth/credentials";
import { passwordProblem } from "@/lib/auth/password-rules";
import { GLOBAL_ROLES, type Actor } from "@/lib/auth/policy";
import type { Prisma } from "@/lib/generated/prisma/client";
import { InvalidInputError, InvalidStateError, NotFoundError, parseCommand, unlessTaken } from "./errors";
import { allow } from "./guard";
import { Checkbox, Id, PasswordText, Username, type Fields } from "./input";

// Users (administrators): create, disable, reset a password, set the global role. Every user: change their own
// password. A disabled user, a reset or changed password and a role change end that user's sessions at once.

export const CreateUserInput = z.object({ username: Username, password: PasswordText, role: z.enum(GLOBAL_ROLES, "member, lead or admin") });
export const SetUserDisabledInput = z.object({ userId: Id, disabled: Checkbox });
export const ResetPasswordInput = z.object({ userId: Id, password: PasswordText });
export const SetUserRoleInput = z.object({ userId: Id, role: z.enum(GLOBAL_ROLES, "member, lead or admin") });
export const ChangeOwnPasswordInput = z.object({ currentPassword: PasswordText, newPassword: PasswordText });

function checkNewPassword(field: string, password: string, username: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new InvalidInputError({ [field]: problem });
}

async function managedUser(db: Db, actor: Actor, userId: string, action: string) {
  await allow(db, actor, "user.manage", { label: `user ${userId}` }, action);
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user) throw new NotFoundError("That user");
  return user;
}

const ENABLED_ADMIN = { role: "admin", disabled: false };

/**
 * Changes the user unless that leaves no enabled administrator: someone must be able to manage Tripod. The change
 * and the count are one transaction that first locks the enabled administrators' rows, so that two administrators
 * demoting or disabling each other at once are written one after the other and the second counts after the first's
 * change (on PostgreSQL each would otherwise count the other; SQLite runs write transactions one at a time anyway).
 */
async function changeKeepingAnAdmin(db: Db, userId: string, data: Prisma.UserUpdateInput): Promise<void> {
  await db.$transaction(async (tx) => {
    // Rewrites the rows as they are: the write takes their locks.
    const admins = await tx.user.updateMany({ where: ENABLED_ADMIN, data: { sessionVersion: { increment: 0 } } });
    await tx.user.update({ where: { id: userId }, data });
    if (admins.count > 0 && (await tx.user.count({ where: ENABLED_ADMIN })) === 0) {
      throw new InvalidStateError("This is the last enabled administrator; make someone else an administrator first.");
    }
  });
}

export async function createUser(db: Db, actor: Actor, input: Fields<typeof CreateUserInput>): Promise<{ userId: string }> {
  const { username, password, role } = parseCommand(CreateUserInput, input);
  await allow(db, actor, "user.manage", { label: `user ${username}` }, "user.create");
  checkNewPassword("password", password, username);
  const nameTaken = { username: "A user with this name exists" };
  // Checked before the password is hashed (slow on purpose); the unique index tells a request that took the name
  // meanwhile.
  if (await db.user.findUnique({ where: { username } })) throw new InvalidInputError(nameTaken);
  const user = await unlessTaken(db.user.create({ data: { username, role, passwordHash: await hashPassword(password) } }), nameTaken);
  await audit(db, { actor, action: "user.create", target: `user ${username}`, outcome: "succeeded", detail: `role ${role}` });
  return { userId: user.id };
}

export async function setUserDisabled(db: Db, actor: Actor, input: Fields<typeof SetUserDisabledInput>): Promise<void> {
  const { userId, disabled } = parseCommand(SetUserDisabledInput, input);
  const action = disabled ? "user.disable" : "user.enable";
  const user = await managedUser(db, actor, userId, action);
  await changeKeepingAnAdmin(db, userId, { disabled, sessionVersion: { increment: 1 } });
  await audit(db, { actor, action, target: `user ${user.username}`, outcome: "succeeded" });
}

export async function resetPassword(db: Db, actor: Actor, input: Fields<typeof ResetPasswordInput>): Promise<void> {
  const { userId, password } = parseCommand(ResetPasswordInput, input);
  const user = await managedUser(db, actor, userId, "user.reset-password");
  if (user.source !== "local") throw new InvalidStateError("This user signs in through Keystone; their password is Keystone's.");
  checkNewPassword("password", password, user.username);
  await db.user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(password), sessionVersion: { increment: 1 } } });
  await audit(db, { actor, action: "user.reset-password", target: `user ${user.username}`, outcome: "succeeded" });
}

export async function setUserRole(db: Db, actor: Actor, input: Fields<typeof SetUserRoleInput>): Promise<void> {
  const { userId, role } = parseCommand(SetUserRoleInput, input);
  const user = await managedUser(db, actor, userId, "user.set-role");
  if (user.role === role) return;
  await changeKeepingAnAdmin(db, userId, { role, sessionVersion: { increment: 1 } });
  await audit(db, { actor, action: "user.set-role", target: `user ${user.username}`, outcome: "succeeded", detail: `${user.role} → ${role}` });
}

/** Any signed-in local user: the current password proves it is them; every session of theirs ends (sign in again). */
export async function changeOwnPassword(db: Db, actor: Actor, input: Fields<typeof ChangeOwnPasswordInput>): Promise<void> {
  const { currentPassword, newPassword } = parseCommand(ChangeOwnPasswordInput, input);
  const user = await db.user.findUnique({ where: { id: actor.id } });
  if (!user) throw new NotFoundError("Your account");
  if (user.source !== "local") throw new InvalidStateError("You sign in through Keystone: change your password there.");
  if (!(await checkPassword(currentPassword, user.passwordHash))) {
    await audit(db, { actor, action: "user.change-password", target: `user ${user.username}`, outcome: "failed", detail: "wrong current password" });
    throw new InvalidInputError({ currentPassword: "This is not your current password" });
  }
  checkNewPassword("newPassword", newPassword, user.username);
  if (currentPassword === newPassword) throw new InvalidInputError({ newPassword: "Choose a password different from the current one" });
  await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(newPassword), sessionVersion: { increment: 1 } } });
  await audit(db, { actor, action: "user.change-password", target: `user ${user.username}`, outcome: "succeeded" });
}
