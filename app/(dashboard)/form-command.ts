import "server-only";
import { revalidatePath } from "next/cache";
import { formFields, runCommand, type ActionState } from "@/lib/data";

/**
 * What every form action of the Admin and project pages does: the form's fields to one command of lib/data (which
 * checks session, input and policy, audits, and answers in sentences), then the page is rendered again.
 */
export async function formCommand<T>(
  form: FormData,
  command: (fields: Record<string, string>) => Promise<T>,
  done: string | ((result: T) => ActionState),
  ...page: Parameters<typeof revalidatePath>
): Promise<ActionState> {
  const state = await runCommand(async () => command(await formFields(form)), done);
  revalidatePath(...page);
  return state;
}
