import { z } from "zod";
import type { Db } from "@/lib/db";
import { audit } from "@/lib/audit";
import { checkPassword, hashPassword } from "@/lib/auth/credentials";
import { passwordProblem } from "@/lib/auth/password-rules";
import { GLOBAL_ROLES, type Actor } from "@/lib/auth/policy";
import { InvalidInputError, InvalidStateError, NotFoundError, parseCommand } from "./errors";
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

/** The last enabled administrator cannot be disabled or demoted: someone must be able to manage Tripod. */
async function keepAnAdmin(db: Db, userId: string): Promise<void> {
  const others = await db.user.count({ where: { role: "admin", disabled: false, id: { not: userId } } });
  if (others === 0) throw new InvalidStateError("This is the last enabled administrator; make someone else an administrator first.");
}

export async function createUser(db: Db, actor: Actor, input: Fields<typeof CreateUserInput>): Promise<{ userId: string }> {
  const { username, password, role } = parseCommand(CreateUserInput, input);
  await allow(db, actor, "user.manage", { label: `user ${username}` }, "user.create");
  checkNewPassword("password", password, username);
  if (await db.user.findUnique({ where: { username } })) throw new InvalidInputError({ username: "A user with this name exists" });
  const user = await db.user.create({ data: { username, role, passwordHash: await hashPassword(password) } });
  await audit(db, { actor, action: "user.create", target: `user ${username}`, outcome: "succeeded", detail: `role ${role}` });
  return { userId: user.id };
}

export async function setUserDisabled(db: Db, actor: Actor, input: Fields<typeof SetUserDisabledInput>): Promise<void> {
  const { userId, disabled } = parseCommand(SetUserDisabledInput, input);
  const action = disabled ? "user.disable" : "user.enable";
  const user = await managedUser(db, actor, userId, action);
  if (disabled && user.role === "admin") await keepAnAdmin(db, userId);
  await db.user.update({ where: { id: userId }, data: { disabled, sessionVersion: { increment: 1 } } });
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
  if (user.role === "admin") await keepAnAdmin(db, userId);
  await db.user.update({ where: { id: userId }, data: { role, sessionVersion: { increment: 1 } } });
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
