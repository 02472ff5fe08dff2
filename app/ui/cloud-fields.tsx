"use client";

import { Button, Modal, ModalBody, ModalHeader } from "@patternfly/react-core";
import { useState } from "react";
import type { ActionState } from "@/lib/data";
import { ActionForm } from "./action-form";
import { FileField, SelectField, TextAreaField, TextField } from "./form-fields";

const CREDENTIAL_TYPES = [
  { value: "password", label: "Password" },
  { value: "application_credential", label: "Application credential" },
];
const SOURCES = [
  { value: "form", label: "These fields" },
  { value: "yaml", label: "An uploaded clouds.yaml" },
];

/** The credential part of the cloud form: a Keystone password or an application credential (write-only fields). */
export function CredentialFields() {
  const [type, setType] = useState("password");
  return (
    <>
      <SelectField name="credentialType" label="Credentials" value={type} onChange={setType} options={CREDENTIAL_TYPES} />
      {type === "password" ? (
        <>
          <TextField name="username" label="User name" />
          <TextField name="password" label="Password" type="password" autoComplete="new-password" />
          <TextField name="userDomainName" label="User domain" defaultValue="Default" />
          <TextField name="projectName" label="Project name" />
          <TextField name="projectDomainName" label="Project domain" defaultValue="Default" />
        </>
      ) : (
        <>
          <TextField name="applicationCredentialId" label="Application credential id" />
          <TextField name="applicationCredentialSecret" label="Application credential secret" type="password" autoComplete="new-password" />
        </>
      )}
    </>
  );
}

/** The whole cloud form: from fields, or from an uploaded clouds.yaml entry. */
export function CloudFields() {
  const [from, setFrom] = useState("form");
  return (
    <>
      <TextField name="name" label="Name in Tripod" isRequired />
      <SelectField name="registerFrom" label="Register from" value={from} onChange={setFrom} options={SOURCES} />
      {from === "form" ? (
        <>
          <TextField name="authUrl" label="Keystone URL" type="url" placeholder="https://keystone.example.com:5000/v3" />
          <TextField name="region" label="Region" />
          <SelectField name="interface" label="Interface" defaultValue="public" options={["public", "internal", "admin"]} />
          <CredentialFields />
        </>
      ) : (
        <>
          <FileField name="cloudsYaml" label="clouds.yaml" accept={[".yaml", ".yml", ".json"]} />
          <TextField name="cloud" label="Cloud entry" helper="Which entry, when the file has several." />
        </>
      )}
      <TextAreaField name="caBundle" label="CA bundle" helper="PEM, optional." />
    </>
  );
}

/** A cloud's "Rotate credentials": a modal with the credential fields, tested before they replace the old ones. */
export function RotateCredentials({ action, cloudId, cloudName }: { action: (state: ActionState, form: FormData) => Promise<ActionState>; cloudId: string; cloudName: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="secondary" size="sm" onClick={() => setOpen(true)}>
        Rotate credentials
      </Button>
      <Modal variant="medium" isOpen={open} onClose={() => setOpen(false)} aria-labelledby={`rotate-${cloudName}-title`}>
        <ModalHeader title={`Rotate the credentials of ${cloudName}`} labelId={`rotate-${cloudName}-title`} description="The new credentials are tested first; they replace the old ones only when the test passed." />
        <ModalBody>
          <ActionForm action={action} submit="Test and replace" testId={`rotate-${cloudName}`} values={{ cloudId }}>
            <CredentialFields />
          </ActionForm>
        </ModalBody>
      </Modal>
    </>
  );
}
