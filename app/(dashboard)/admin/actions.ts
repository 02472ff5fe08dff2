"use server";

// The Admin page's forms. Thin: each passes the form's fields to one command of lib/data (which checks session,
// input and policy, audits, and answers in sentences).
import { revalidatePath } from "next/cache";
import {
  createProjectCommand,
  createUserCommand,
  formFields,
  resetPasswordCommand,
  runCommand,
  setUserDisabledCommand,
  setUserRoleCommand,
  signInDomainsCommand,
  type ActionState,
} from "@/lib/data";

async function adminCommand(form: FormData, command: (fields: Record<string, string>) => Promise<unknown>, done: string): Promise<ActionState> {
  const state = await runCommand(async () => command(await formFields(form)), done);
  revalidatePath("/admin");
  return state;
}

export async function createUserAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return adminCommand(form, createUserCommand, "User created.");
}

export async function setUserDisabledAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return adminCommand(form, setUserDisabledCommand, "Saved; the user's sessions have ended.");
}

export async function resetPasswordAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return adminCommand(form, resetPasswordCommand, "Password reset; the user's sessions have ended.");
}

export async function setUserRoleAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return adminCommand(form, setUserRoleCommand, "Role changed; the user's sessions have ended.");
}

export async function createProjectAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return adminCommand(form, createProjectCommand, "Project created.");
}

export async function signInDomainsAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return adminCommand(form, signInDomainsCommand, "Keystone sign-in saved.");
}
