"use server";

// The create wizard's server actions: thin — each calls one command of lib/data, which re-checks session, input and
// policy. Installer files never come through here (a server action's body is limited): they are streamed to the
// route handler app/api/clusters/[id]/files/[file].
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import {
  cloneClusterCommand,
  explain,
  importSpecCommand,
  saveWizardStepCommand,
  startOperationCommand,
  type ActionState,
  type FieldErrors,
} from "@/lib/data";

export interface StepState {
  clusterId: string | null;
  errors: FieldErrors;
  message?: string;
}

/** Saves one step of the wizard (creating the draft on the first) and answers its problems. */
export async function saveStepAction(input: Parameters<typeof saveWizardStepCommand>[0]): Promise<StepState> {
  try {
    const outcome = await saveWizardStepCommand(input);
    if (outcome.clusterId) revalidatePath(`/clusters/${outcome.clusterId}`);
    return outcome;
  } catch (error) {
    return { clusterId: input.clusterId ?? null, errors: {}, message: explain(error) };
  }
}

/** Fills the wizard from a spec JSON text. */
export async function importSpecAction(input: Parameters<typeof importSpecCommand>[0]): Promise<StepState> {
  try {
    return await importSpecCommand(input);
  } catch (error) {
    return { clusterId: input.clusterId ?? null, errors: {}, message: explain(error) };
  }
}

/** The wizard's last step: the create operation starts, the cluster page shows it. */
export async function createClusterAction(clusterId: string): Promise<ActionState> {
  try {
    await startOperationCommand({ clusterId, kind: "create" });
  } catch (error) {
    return { message: explain(error) };
  }
  revalidatePath("/clusters");
  redirect(`/clusters/${clusterId}`);
}

export async function cloneClusterAction(clusterId: string): Promise<ActionState> {
  let id: string;
  try {
    id = (await cloneClusterCommand({ clusterId })).clusterId;
  } catch (error) {
    return { message: explain(error) };
  }
  revalidatePath("/clusters");
  redirect(`/clusters/${id}/edit/cluster`);
}
