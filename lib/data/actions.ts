import { unstable_rethrow } from "next/navigation";
import { logUnexpected } from "@/lib/db-errors";
import { DATABASE_UNAVAILABLE, INTERNAL_ERROR, InvalidInputError, isExpected, type FieldErrors } from "./errors";

// What a server action answers the form or button that called it: a sentence, and field errors next to their
// fields. Server actions are public endpoints: the use cases behind them re-check session, input and policy.

export interface ActionState {
  message?: string;
  errors?: FieldErrors;
  /** True when the command did what was asked (forms reset, the page shows the message as success). */
  ok?: boolean;
}

/** Runs a command; the door's errors become their sentence, anything else is logged and answered generically. */
export async function runCommand<T>(command: () => Promise<T>, done: string | ((result: T) => ActionState)): Promise<ActionState> {
  try {
    const result = await command();
    return typeof done === "string" ? { message: done, ok: true } : done(result);
  } catch (error) {
    return { message: explain(error), ...(error instanceof InvalidInputError ? { errors: error.errors } : {}), ok: false };
  }
}

export function explain(error: unknown): string {
  // Next's own control flow (the sign-in redirect of an ended session, notFound) passes through, never "an error".
  unstable_rethrow(error);
  if (isExpected(error)) return error.message;
  return logUnexpected(error, "command") === "unavailable" ? DATABASE_UNAVAILABLE : INTERNAL_ERROR;
}

/**
 * A form's text fields as a plain object for a command's schema (which bounds and checks each). Uploaded files are
 * read as text up to `maxFileBytes`; a larger one is a field error.
 */
export async function formFields(form: FormData, maxFileBytes = 256 * 1024): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (key.startsWith("$ACTION")) continue;
    if (typeof value === "string") out[key] = value;
    else if (value.size > maxFileBytes) throw new InvalidInputError({ [key]: `The file is larger than ${Math.round(maxFileBytes / 1024)} KiB` });
    else if (value.size > 0) out[key] = await value.text();
  }
  return out;
}
