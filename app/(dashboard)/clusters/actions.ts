"use server";

// Server actions are public endpoints: each one re-checks the session and the policy (lib/lifecycle/clusters),
// answers bad input field by field, and turns every failure into a sentence for people — never a stack trace.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { prisma } from "@/lib/db";
import { ForbiddenError } from "@/lib/data/actor";
import { requireActor } from "@/lib/data/session";
import { commandOperation, draftCluster, markBootstrapComplete, startOperation, type FieldErrors } from "@/lib/lifecycle/clusters";
import { OperationConflictError } from "@/lib/lifecycle/operations";

export interface ActionState {
  message?: string;
  errors?: FieldErrors;
}

function explain(error: unknown): string {
  if (error instanceof ForbiddenError || error instanceof OperationConflictError) return error.message;
  console.error(error);
  return "Something went wrong on our side; nothing was changed. Try again, or ask an administrator to look at the server log.";
}

export async function draftClusterAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const actor = await requireActor();
  let clusterId: string;
  try {
    const result = await draftCluster(prisma, actor, {
      projectId: String(form.get("projectId") ?? ""),
      cloudId: String(form.get("cloudId") ?? ""),
      specJson: String(form.get("specJson") ?? ""),
      kubeconfig: String(form.get("kubeconfig") ?? ""),
    });
    if (!result.ok) return { message: "The cluster was not saved: correct the fields below.", errors: result.errors };
    clusterId = result.value.clusterId;
  } catch (error) {
    return { message: explain(error) };
  }
  revalidatePath("/clusters");
  redirect(`/clusters/${clusterId}`);
}

// Arguments of the bound actions come from the browser like form fields: checked before use.
const Id = z.string().min(1).max(64);
const StartKind = z.enum(["create", "teardown"]);
const Command = z.enum(["retry", "cancel"]);
const INVALID: ActionState = { message: "That request is not valid." };

export async function startOperationAction(clusterId: string, kind: "create" | "teardown"): Promise<ActionState> {
  const actor = await requireActor();
  if (!Id.safeParse(clusterId).success || !StartKind.safeParse(kind).success) return INVALID;
  try {
    await startOperation(prisma, actor, clusterId, kind);
  } catch (error) {
    return { message: explain(error) };
  }
  revalidatePath(`/clusters/${clusterId}`);
  return { message: kind === "teardown" ? "Teardown queued." : "Create queued." };
}

export async function operationAction(operationId: string, command: "retry" | "cancel"): Promise<ActionState> {
  const actor = await requireActor();
  if (!Id.safeParse(operationId).success || !Command.safeParse(command).success) return INVALID;
  try {
    const { clusterId } = await commandOperation(prisma, actor, operationId, command);
    revalidatePath(`/clusters/${clusterId}`);
    return { message: command === "retry" ? "Retry queued: it resumes at the step that failed." : "Cancel requested: the operation stops at the next safe point." };
  } catch (error) {
    return { message: explain(error) };
  }
}

export async function markBootstrapCompleteAction(clusterId: string): Promise<ActionState> {
  const actor = await requireActor();
  if (!Id.safeParse(clusterId).success) return INVALID;
  try {
    await markBootstrapComplete(prisma, actor, clusterId);
  } catch (error) {
    return { message: explain(error) };
  }
  revalidatePath(`/clusters/${clusterId}`);
  return { message: "Bootstrap marked complete; the bootstrap node will be removed." };
}
