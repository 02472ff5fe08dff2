"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { FieldErrors } from "@/lib/data";
import type { WizardStep } from "@/lib/domain";
import { saveStepAction } from "@/app/(dashboard)/clusters/new/actions";
import { stepHref } from "./shell";

/** "is required" on a step not yet filled in is noise; what was entered and is wrong shows at once. */
export const shownOnArrival = (errors: FieldErrors): FieldErrors =>
  Object.fromEntries(Object.entries(errors).filter(([, message]) => message !== "is required"));

/**
 * Saving a step: the values go to the draft on the server (kept even when wrong), the step's problems come back
 * next to their fields; "next" moves on only when there are none. The form's own state is never reset.
 */
export function useStepSave(opts: { draftId: string | null; projectId: string; cloudId: string; step: WizardStep; initialErrors?: FieldErrors }) {
  const router = useRouter();
  const [errors, setErrors] = useState<FieldErrors>(opts.initialErrors ?? {});
  const [message, setMessage] = useState<string | undefined>();
  const [pending, startTransition] = useTransition();
  /** Saves; then goes to `next` when the step is clean (or always: Back keeps wrong input and still goes back). */
  const save = (values: Record<string, unknown>, next?: WizardStep, always = false) =>
    startTransition(async () => {
      const result = await saveStepAction({
        clusterId: opts.draftId ?? undefined,
        projectId: opts.projectId,
        cloudId: opts.cloudId,
        step: opts.step,
        values,
      });
      setErrors(result.errors);
      setMessage(result.message);
      const clean = !result.message && Object.keys(result.errors).length === 0;
      if (result.clusterId && next && (clean || always)) router.push(stepHref(result.clusterId, next));
      else if (result.clusterId && !opts.draftId) router.replace(stepHref(result.clusterId, opts.step));
      else router.refresh();
    });
  return { errors, message, pending, save, setErrors };
}
