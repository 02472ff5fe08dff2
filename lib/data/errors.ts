import type { z } from "zod";
import { isUniqueViolation, OperationConflictError } from "@/lib/lifecycle/operations";

// The one set of errors the door answers with. Pages turn NotFound into notFound(), route handlers into 404 (another
// project's resources look exactly like missing ones), Forbidden into 403, InvalidState and OperationConflict into
// 409; their messages are sentences for people. Bad input is not thrown: it comes back as field errors.

export { OperationConflictError };

/** The thing does not exist, or the actor may not see it (the two are indistinguishable on purpose). */
export class NotFoundError extends Error {
  readonly name = "NotFoundError";
  constructor(what = "That") {
    super(`${what} does not exist, or you may not see it.`);
  }
}

/** The actor may see the thing but not do this to it. */
export class ForbiddenError extends Error {
  readonly name = "ForbiddenError";
  constructor(message = "You are not allowed to do that.") {
    super(message);
  }
}

/** The request is allowed but the thing is in a state where it makes no sense (e.g. retrying a running operation). */
export class InvalidStateError extends Error {
  readonly name = "InvalidStateError";
}

/** What people see for an error that is ours (the details go to the server log). */
export const INTERNAL_ERROR = "Something went wrong on our side; nothing was changed. Try again, or ask an administrator to look at the server log.";

/** What people see while the database is unavailable (lib/db-errors.ts: restarting, failing over); routes answer 503. */
export const DATABASE_UNAVAILABLE = "Tripod cannot reach its database right now (it may be restarting); nothing was changed. Try again in a moment.";

/** A command's arguments did not parse (they come from the browser or a script like form fields). */
export class InvalidInputError extends Error {
  readonly name = "InvalidInputError";
  constructor(readonly errors: FieldErrors) {
    super(`That request is not valid: ${Object.entries(errors).map(([field, message]) => `${field}: ${message}`).join("; ")}.`);
  }
}

/** An upload is larger than its limit; nothing of it was stored. */
export class TooLargeError extends Error {
  readonly name = "TooLargeError";
}

/** Input field path (dotted, as the form names it) → message. */
export type FieldErrors = Record<string, string>;

export type Outcome<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) out[issue.path.join(".") || "_"] ??= issue.message;
  return out;
}

/**
 * The write, or InvalidInputError(`taken`) when a unique index refuses it: a request at the same moment wrote the same
 * name after this one checked it was free, and this one answers as the check would have.
 */
export async function unlessTaken<T>(write: Promise<T>, taken: FieldErrors): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (isUniqueViolation(error)) throw new InvalidInputError(taken);
    throw error;
  }
}

/** The command's input as its schema parses it, or InvalidInputError naming each bad field. */
export function parseCommand<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new InvalidInputError(fieldErrors(parsed.error));
  return parsed.data;
}

/** An error the door answers with a sentence of its own; anything else is ours and is logged, never shown. */
export type ExpectedError = NotFoundError | ForbiddenError | InvalidStateError | OperationConflictError | InvalidInputError | TooLargeError;

export function isExpected(error: unknown): error is ExpectedError {
  return (
    error instanceof NotFoundError ||
    error instanceof ForbiddenError ||
    error instanceof InvalidStateError ||
    error instanceof OperationConflictError ||
    error instanceof InvalidInputError ||
    error instanceof TooLargeError
  );
}

export function httpStatusOf(error: ExpectedError): number {
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof InvalidInputError) return 400;
  if (error instanceof TooLargeError) return 413;
  return 409;
}
