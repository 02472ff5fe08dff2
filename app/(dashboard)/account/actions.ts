"use server";

import { changeOwnPasswordCommand, formFields, runCommand, type ActionState } from "@/lib/data";

export async function changePasswordAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return runCommand(async () => changeOwnPasswordCommand(await formFields(form)), "Password changed. Every session of yours has ended: sign in again with the new password.");
}
