"use server";

// Thin server actions of the oversight page: each calls one command of lib/data (session, input, policy, audit).
import { revalidatePath } from "next/cache";
import { reconcileNowCommand, runCommand, sweepOrphansCommand, type ActionState } from "@/lib/data";
import { counted } from "@/app/ui/words";

export async function reconcileNowAction(cloudId: string): Promise<ActionState> {
  const state = await runCommand(
    () => reconcileNowCommand({ cloudId }),
    ({ findings }) => ({ ok: true, message: `Checked: ${counted(findings, "finding")} in the cloud now; the table shows them.` }),
  );
  revalidatePath("/oversight");
  return state;
}

export async function sweepOrphansAction(cloudId: string): Promise<ActionState> {
  const state = await runCommand(
    () => sweepOrphansCommand({ cloudId }),
    ({ deleted }) => ({ ok: true, message: deleted ? `Swept ${counted(deleted, "orphan")}: each deletion is in the audit log.` : "Nothing to sweep: the cloud holds no orphans now." }),
  );
  revalidatePath("/oversight");
  return state;
}
