"use client";

import { ActionList, ActionListGroup, ActionListItem, Button, Wizard, WizardFooterWrapper, WizardStep } from "@patternfly/react-core";
import { useRouter } from "next/navigation";
import type { ReactNode } from "react";
import { WIZARD_STEP_LABELS, WIZARD_STEPS, type WizardStep as Step } from "@/lib/domain";

export const stepHref = (draftId: string, step: Step) => `/clusters/${draftId}/edit/${step}`;

/**
 * The create wizard's frame: PatternFly's Wizard with the seven steps in its navigation, one page per step (the
 * active step's body and footer come from the page; the navigation moves between pages). Steps with problems are
 * marked; before the draft exists (step 1 of a new cluster) the later steps are disabled.
 */
export function WizardShell({
  draftId,
  step,
  stepsWithErrors = [],
  body,
  footer,
}: {
  draftId: string | null;
  step: Step;
  stepsWithErrors?: Step[];
  body: ReactNode;
  footer: ReactNode;
}) {
  const router = useRouter();
  return (
    <Wizard
      key={step}
      startIndex={WIZARD_STEPS.indexOf(step) + 1}
      navAriaLabel="Wizard steps"
      onStepChange={(_event, current) => {
        if (draftId && current.id !== step) router.push(stepHref(draftId, current.id as Step));
      }}
      data-testid="wizard"
    >
      {WIZARD_STEPS.map((s) => (
        <WizardStep
          key={s}
          id={s}
          name={WIZARD_STEP_LABELS[s]}
          isDisabled={!draftId && s !== step}
          status={stepsWithErrors.includes(s) ? "error" : "default"}
          footer={<WizardFooterWrapper>{s === step ? footer : null}</WizardFooterWrapper>}
        >
          {s === step ? body : null}
        </WizardStep>
      ))}
    </Wizard>
  );
}

/**
 * A step's buttons. With `save` (a step with fields): Next saves and moves on when the step is clean, Save saves and
 * stays, Back saves and goes back regardless. Without: Back and Next only move. `extra` goes after them.
 */
export function StepButtons({
  draftId,
  step,
  pending = false,
  save,
  extra,
}: {
  draftId: string | null;
  step: Step;
  pending?: boolean;
  save?: (next?: Step, always?: boolean) => void;
  extra?: ReactNode;
}) {
  const router = useRouter();
  const index = WIZARD_STEPS.indexOf(step);
  const prev = WIZARD_STEPS[index - 1];
  const next = WIZARD_STEPS[index + 1];
  const go = (to: Step, always = false) => (save ? save(to, always) : draftId && router.push(stepHref(draftId, to)));
  // PatternFly's own wizard footer: Back and Next side by side, then the step's own action; Save apart, where the
  // footer's Cancel would be.
  return (
    <ActionList>
      <ActionListGroup>
        {prev && (
          <ActionListItem>
            <Button variant="secondary" isDisabled={pending} onClick={() => go(prev, true)}>
              Back
            </Button>
          </ActionListItem>
        )}
        {next && (
          <ActionListItem>
            <Button variant="primary" isDisabled={pending} isLoading={pending} onClick={() => go(next)}>
              Next
            </Button>
          </ActionListItem>
        )}
        {extra && <ActionListItem>{extra}</ActionListItem>}
      </ActionListGroup>
      {save && (
        <ActionListGroup>
          <ActionListItem>
            <Button variant="link" isDisabled={pending} onClick={() => save()}>
              Save
            </Button>
          </ActionListItem>
        </ActionListGroup>
      )}
    </ActionList>
  );
}
