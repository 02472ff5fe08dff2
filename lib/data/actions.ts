import { INTERNAL_ERROR, isExpected, type FieldErrors } from "./errors";

// What a server action answers the form or button that called it: a sentence, and field errors next to their
// fields. Server actions are public endpoints: the use cases behind them re-check session, input and policy.

export interface ActionState {
  message?: string;
  errors?: FieldErrors;
}

/** Runs a command; the door's errors become their sentence, anything else is logged and answered generically. */
export async function runCommand<R>(command: () => Promise<R>, done: string | ((result: R) => string)): Promise<ActionState> {
  try {
    const result = await command();
    return { message: typeof done === "string" ? done : done(result) };
  } catch (error) {
    return { message: explain(error) };
  }
}

export function explain(error: unknown): string {
  if (isExpected(error)) return error.message;
  console.error(error);
  return INTERNAL_ERROR;
}
