"use server";

// Server actions are public endpoints: thin — each calls one command through lib/data, which re-checks session,
// input and policy, answers bad input field by field, and turns every failure into a sentence (never a stack).
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import {
  decideTeardownCommand,
  deleteDraftCommand,
  explain,
  markBootstrapCompleteCommand,
  operationCommand,
  reopenDraftCommand,
  requestTeardownCommand,
  runCommand,
  startOperationCommand,
  type ActionState,
} from "@/lib/data";

export async function startOperationAction(clusterId: string, kind: "create" | "teardown"): Promise<ActionState> {
  const state = await runCommand(() => startOperationCommand({ clusterId, kind }), kind === "teardown" ? "Teardown queued." : "Create queued.");
  revalidatePath(`/clusters/${clusterId}`);
  return state;
}

export async function operationAction(clusterId: string, operationId: string, command: "retry" | "cancel"): Promise<ActionState> {
  const done = command === "retry" ? "Retry queued: it resumes at the step that failed." : "Cancel requested: the operation stops at the next safe point.";
  const state = await runCommand(() => operationCommand({ operationId, command }), done);
  revalidatePath(`/clusters/${clusterId}`);
  return state;
}

export async function markBootstrapCompleteAction(clusterId: string): Promise<ActionState> {
  const state = await runCommand(() => markBootstrapCompleteCommand({ clusterId }), "Bootstrap marked complete; the bootstrap node will be removed.");
  revalidatePath(`/clusters/${clusterId}`);
  return state;
}

export async function deleteDraftAction(clusterId: string): Promise<ActionState> {
  try {
    await deleteDraftCommand({ clusterId });
  } catch (error) {
    return { message: explain(error) };
  }
  revalidatePath("/clusters");
  redirect("/clusters");
}

export async function reopenDraftAction(clusterId: string): Promise<ActionState> {
  const state = await runCommand(() => reopenDraftCommand({ clusterId }), "Back to editing: change the draft, then create it again.");
  revalidatePath(`/clusters/${clusterId}`);
  return state;
}

export async function requestTeardownAction(clusterId: string): Promise<ActionState> {
  const state = await runCommand(
    () => requestTeardownCommand({ clusterId }),
    (result) => ({ ok: true, message: "operationId" in result ? "Teardown queued." : "Teardown requested: a second member of the project must approve it." }),
  );
  revalidatePath(`/clusters/${clusterId}`);
  return state;
}

export async function decideTeardownAction(clusterId: string, requestId: string, decision: "approve" | "withdraw"): Promise<ActionState> {
  const done = decision === "approve" ? "Teardown approved and queued." : "Teardown request withdrawn.";
  const state = await runCommand(() => decideTeardownCommand({ requestId, decision }), done);
  revalidatePath(`/clusters/${clusterId}`);
  return state;
}
