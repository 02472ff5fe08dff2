"use client";

import { Alert, Button, List, ListItem } from "@patternfly/react-core";
import { useState, useTransition } from "react";
import type { WizardDraft } from "@/lib/data";
import { WIZARD_STEP_LABELS } from "@/lib/domain";
import { createClusterAction } from "@/app/(dashboard)/clusters/new/actions";
import { StepButtons, stepHref, WizardShell } from "./shell";

/** Step 7: the create operation starts (its first step runs preflight again); the cluster page follows it live. */
export function CreateStep({ draft }: { draft: WizardDraft }) {
  const [message, setMessage] = useState<string>();
  const [pending, startTransition] = useTransition();
  const ready = draft.stepsWithErrors.length === 0;
  const body = (
    <>
      {message && <Alert variant="danger" isInline component="p" title={message} data-testid="create-message" />}
      {ready ? (
        <p>
          <b>{draft.name}</b> goes to project {draft.project} on cloud {draft.cloud}. Nothing exists in the cloud yet; the create runs preflight again, then
          makes the ports, security groups, the bootstrap config in Swift, the bootstrap and the three masters.
        </p>
      ) : (
        <Alert variant="warning" isInline component="h2" title="These steps still have problems:">
          <List>
            {draft.stepsWithErrors.map((s) => (
              <ListItem key={s}>
                <a href={stepHref(draft.id, s)}>{WIZARD_STEP_LABELS[s]}</a>
              </ListItem>
            ))}
          </List>
        </Alert>
      )}
    </>
  );
  const footer = (
    <StepButtons
      draftId={draft.id}
      step="create"
      pending={pending}
      extra={
        <Button
          variant="primary"
          isDisabled={!ready || pending}
          isLoading={pending}
          onClick={() => startTransition(async () => setMessage((await createClusterAction(draft.id)).message))}
        >
          Create cluster
        </Button>
      }
    />
  );
  return <WizardShell draftId={draft.id} step="create" stepsWithErrors={draft.stepsWithErrors} body={body} footer={footer} />;
}
