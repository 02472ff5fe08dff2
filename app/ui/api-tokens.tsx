"use client";

import { ActionGroup, Alert, Button, ClipboardCopy, Form, FormGroup, FormHelperText, HelperText, HelperTextItem, TextInput } from "@patternfly/react-core";
import { useActionState, useState, useTransition } from "react";
import { createApiTokenAction, revokeApiTokenAction, type TokenState } from "@/app/(dashboard)/account/actions";

export function ApiTokenForm() {
  const [state, action, pending] = useActionState<TokenState, FormData>(createApiTokenAction, {});
  const [name, setName] = useState("");
  return (
    <Form action={action} style={{ maxWidth: "40rem", marginBottom: "1rem" }}>
      <FormGroup label="New token" fieldId="token-name">
        <TextInput id="token-name" name="name" value={name} onChange={(_e, v) => setName(v)} placeholder="what uses it, e.g. ci-pipeline" />
        {state.errors?.name && (
          <FormHelperText>
            <HelperText>
              <HelperTextItem variant="error">{state.errors.name}</HelperTextItem>
            </HelperText>
          </FormHelperText>
        )}
      </FormGroup>
      <ActionGroup>
        <Button type="submit" isDisabled={pending}>
          Create token
        </Button>
      </ActionGroup>
      {state.message && <Alert variant={state.token ? "success" : "danger"} isInline component="p" title={state.message} />}
      {state.token && (
        <ClipboardCopy isReadOnly hoverTip="Copy" clickTip="Copied" data-testid="new-token">
          {state.token}
        </ClipboardCopy>
      )}
    </Form>
  );
}

export function RevokeTokenButton({ tokenId, name }: { tokenId: string; name: string }) {
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<string>();
  return (
    <>
      <Button variant="secondary" isDanger size="sm" isDisabled={pending} aria-label={`Revoke ${name}`} onClick={() => start(async () => setMessage((await revokeApiTokenAction(tokenId)).message))}>
        Revoke
      </Button>
      {message && <span> {message}</span>}
    </>
  );
}
