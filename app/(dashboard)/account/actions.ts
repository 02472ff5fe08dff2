"use server";

// Your account: your password, and personal API tokens. Thin server actions over lib/data (which checks the session,
// the input and that the token is the actor's own, and audits).
import { revalidatePath } from "next/cache";
import { changeOwnPasswordCommand, createApiTokenCommand, explain, formFields, revokeApiTokenCommand, runCommand, type ActionState } from "@/lib/data";

export interface TokenState extends ActionState {
  /** The new token, shown once. */
  token?: string;
}

export async function changePasswordAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return runCommand(async () => changeOwnPasswordCommand(await formFields(form)), "Password changed. Every session of yours has ended: sign in again with the new password.");
}

export async function createApiTokenAction(_prev: TokenState, form: FormData): Promise<TokenState> {
  try {
    const { token } = await createApiTokenCommand({ name: String(form.get("name") ?? "") });
    revalidatePath("/account");
    return { message: "Token created. Copy it now: it is not shown again.", token };
  } catch (error) {
    return { message: explain(error) };
  }
}

export async function revokeApiTokenAction(tokenId: string): Promise<ActionState> {
  const state = await runCommand(() => revokeApiTokenCommand({ tokenId }), "Token revoked.");
  revalidatePath("/account");
  return state;
}
