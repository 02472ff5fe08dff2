"use server";

// Thin server actions of the oversight page: each calls one command of lib/data (session, input, policy, audit).
import { revalidatePath } from "next/cache";
import { reconcileNowCommand, runCommand, sweepOrphansCommand, type ActionState } from "@/lib/data";

export async function reconcileNowAction(cloudId: string): Promise<ActionState> {
  const state = await runCommand(() => reconcileNowCommand({ cloudId }), "Reconciled: the table shows what the cloud holds now.");
  revalidatePath("/oversight");
  return state;
}

export async function sweepOrphansAction(cloudId: string): Promise<ActionState> {
  const state = await runCommand(() => sweepOrphansCommand({ cloudId }), "Orphans swept: every deletion is in the audit log.");
  revalidatePath("/oversight");
  return state;
}
