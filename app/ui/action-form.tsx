"use client";

import { startTransition, useActionState, type FormEvent, type ReactNode } from "react";
import type { ActionState } from "@/lib/data";

type FormAction = (state: ActionState, form: FormData) => Promise<ActionState>;

/**
 * A form bound to one server action: its sentence after submitting, and field errors under the form, each with the
 * field it is about. `inline` lays a small per-row form (a button with hidden ids) out in one line.
 */
export function ActionForm({ action, submit: button, children, testId, inline }: { action: FormAction; submit: ReactNode; children?: ReactNode; testId: string; inline?: boolean }) {
  const [state, formAction, pending] = useActionState<ActionState, FormData>(action, {});
  const errors = Object.entries(state.errors ?? {});
  // Submitted by hand (not <form action>) so that a refused form keeps what was typed; the pressed button's
  // name and value (e.g. intent=test) go along.
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget, (e.nativeEvent as SubmitEvent).submitter);
    startTransition(() => formAction(data));
  };
  return (
    <form onSubmit={submit} className={inline ? "inline" : "stack card"} data-testid={testId}>
      {children}
      {typeof button === "string" ? (
        <button type="submit" disabled={pending}>
          {button}
        </button>
      ) : (
        button
      )}
      {errors.length > 0 && (
        <ul className="field-error" data-testid={`${testId}-errors`}>
          {errors.map(([field, message]) => (
            <li key={field}>
              <code>{field}</code>: {message}
            </li>
          ))}
        </ul>
      )}
      {state.message && (
        <p role="status" className={state.ok ? "ok" : "error"} data-testid={`${testId}-message`} style={{ whiteSpace: "pre-line" }}>
          {state.message}
        </p>
      )}
    </form>
  );
}
