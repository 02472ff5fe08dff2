"use server";

// A project's members, settings and clouds. Thin: each passes the form's fields to one command of lib/data.
import {
  addCloudCommand,
  addMemberCommand,
  projectSettingsCommand,
  removeCloudCommand,
  removeMemberCommand,
  rotateCloudCredentialsCommand,
  setMemberRoleCommand,
  testCloudCommand,
  type ActionState,
  type ConnectionReport,
} from "@/lib/data";
import { formCommand } from "../form-command";

const projectCommand = <T>(form: FormData, command: (f: Record<string, string>) => Promise<T>, done: string | ((result: T) => ActionState)) =>
  formCommand(form, command, done, "/projects/[id]", "page");

function describeReport(report: ConnectionReport, passed: string): ActionState {
  const lines = report.checks.map((c) => `${c.ok ? "✓" : "✗"} ${c.name}: ${c.detail}`);
  return { ok: report.ok, message: [report.ok ? passed : "Test connection failed.", ...lines].join("\n") };
}

export async function addMemberAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return projectCommand(form, addMemberCommand, "Member added.");
}

export async function removeMemberAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return projectCommand(form, removeMemberCommand, "Member removed.");
}

export async function setMemberRoleAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return projectCommand(form, setMemberRoleCommand, "Role changed.");
}

export async function projectSettingsAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return projectCommand(
    form,
    projectSettingsCommand,
    "Settings saved.",
  );
}

/** The cloud form's two buttons: "test" only tests; "register" tests and saves when the test passed. */
export async function cloudAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const intent = form.get("intent");
  if (intent === "test") return projectCommand(form, testCloudCommand, (report) => describeReport(report, "Test connection passed; nothing was saved yet."));
  return projectCommand(form, addCloudCommand, ({ report }) => describeReport(report, "Cloud registered."));
}

export async function rotateCloudAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return projectCommand(form, rotateCloudCredentialsCommand, (report) => describeReport(report, "Credentials tested and replaced."));
}

export async function removeCloudAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return projectCommand(form, removeCloudCommand, "Cloud removed.");
}
