"use server";

// The Admin page's forms. Thin: each passes the form's fields to one command of lib/data (which checks session,
// input and policy, audits, and answers in sentences).
import {
  createProjectCommand,
  createUserCommand,
  resetPasswordCommand,
  setUserDisabledCommand,
  setUserRoleCommand,
  signInDomainsCommand,
  type ActionState,
} from "@/lib/data";
import { formCommand } from "../form-command";

const adminCommand = (form: FormData, command: (fields: Record<string, string>) => Promise<unknown>, done: string) => formCommand(form, command, done, "/admin");

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
