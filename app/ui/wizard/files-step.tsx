"use client";

import { FileUpload, Form, FormGroup, FormHelperText, HelperText, HelperTextItem } from "@patternfly/react-core";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { FieldErrors, WizardDraft, WizardFile } from "@/lib/data";
import { INSTALLER_FILE_LIMITS, INSTALLER_FILE_NAMES, INSTALLER_FILES, installerFileRouteName, sizeText, type InstallerFileKey } from "@/lib/domain";
import { ErrorSummary, fieldId } from "./fields";
import { fieldLabel } from "./labels";
import { StepButtons, WizardShell } from "./shell";

const WHAT: Record<InstallerFileKey, string> = {
  bootstrap: "the installer's bootstrap Ignition config (Ignition spec 3.x); Tripod serves it to the bootstrap node from Swift",
  master: "the installer's master Ignition config (Ignition spec 3.x); Tripod merges its own files into it",
  kubeconfig: "auth/kubeconfig: Tripod watches for bootstrap-complete with it (optional)",
  kubeadminPassword: "auth/kubeadmin-password: kept sealed with the cluster (optional)",
};

/**
 * Step 5: the openshift-install outputs as file uploads, each streamed to the upload route (INSTALLER_FILE_LIMITS),
 * validated there and stored sealed. Nothing goes through a server action's body.
 */
export function FilesStep({ draft, initialErrors }: { draft: WizardDraft; initialErrors: FieldErrors }) {
  const router = useRouter();
  const [uploadErrors, setErrors] = useState<FieldErrors>(() =>
    Object.fromEntries(Object.entries(initialErrors).map(([path, message]) => [`files.${path.split(".")[1]}`, message])),
  );
  // What the upload route answered for the files stored from this page: shown at once, whatever the page's refresh
  // after the upload brings (refreshes of uploads side by side can land out of order), unless the draft's is newer.
  const [uploaded, setUploaded] = useState<WizardDraft["files"]>({});
  const storedFile = (key: InstallerFileKey): WizardFile | undefined => {
    const answered = uploaded[key];
    const onPage = draft.files[key];
    return answered && (!onPage || answered.uploadedAt > onPage.uploadedAt) ? answered : onPage;
  };
  // "not there yet" is over once the file is stored.
  const errors = Object.fromEntries(Object.entries(uploadErrors).filter(([path, message]) => !(storedFile(path.split(".")[1] as InstallerFileKey) && /not there yet/.test(message))));
  const [busy, setBusy] = useState<InstallerFileKey | null>(null);

  const upload = async (key: InstallerFileKey, file: File) => {
    const name = INSTALLER_FILE_NAMES[key];
    const field = `files.${key}`;
    // Functional updates: uploads run side by side, each changes only its own field's error.
    const settle = (message?: string) =>
      setErrors((all) => {
        const rest = Object.fromEntries(Object.entries(all).filter(([k]) => k !== field));
        return message ? { ...rest, [field]: message } : rest;
      });
    // The route refuses the same; saying it here spares sending 20 MiB for nothing.
    if (file.size > INSTALLER_FILE_LIMITS[key]) {
      settle(`${name} is ${sizeText(file.size)}; the limit is ${sizeText(INSTALLER_FILE_LIMITS[key])}. Nothing was stored.`);
      return;
    }
    setBusy(key);
    try {
      const response = await fetch(`/api/clusters/${draft.id}/files/${installerFileRouteName(key)}`, { method: "PUT", body: file, headers: { "content-type": "application/octet-stream" } });
      const answer = (await response.json()) as WizardFile & { error?: string; errors?: FieldErrors };
      if (response.ok) setUploaded((files) => ({ ...files, [key]: answer }));
      settle(response.ok ? undefined : (answer.errors?.[field] ?? answer.error ?? `The upload failed (HTTP ${response.status}).`));
    } catch {
      settle("The upload did not reach the server; try again.");
    } finally {
      setBusy(null);
      router.refresh();
    }
  };

  const body = (
    <>
      <ErrorSummary errors={errors} labels={fieldLabel} />
      <Form onSubmit={(e) => e.preventDefault()}>
        {INSTALLER_FILES.map((key) => {
          const stored = storedFile(key);
          const error = errors[`files.${key}`];
          return (
            <FormGroup key={key} label={INSTALLER_FILE_NAMES[key]} fieldId={fieldId(`files.${key}`)} isRequired={key === "bootstrap" || key === "master"}>
              <div data-testid={`upload-${key}`}>
                <FileUpload
                  id={fieldId(`files.${key}`)}
                  filename={stored ? `${INSTALLER_FILE_NAMES[key]} (${sizeText(stored.bytes)}, sha256 ${stored.sha256.slice(0, 12)}…)` : ""}
                  filenamePlaceholder="Drop the file here or browse"
                  browseButtonText="Upload"
                  hideDefaultPreview
                  isReadOnly
                  isLoading={busy === key}
                  validated={error ? "error" : stored ? "success" : "default"}
                  onFileInputChange={(_e, file) => void upload(key, file)}
                />
              </div>
              <FormHelperText>
                <HelperText>
                  <HelperTextItem variant={error ? "error" : stored ? "success" : "default"} data-testid={error ? `error-files.${key}` : `status-files.${key}`}>
                    {error ?? (stored ? `stored sealed, uploaded ${new Date(stored.uploadedAt).toUTCString()}` : WHAT[key])}
                  </HelperTextItem>
                </HelperText>
              </FormHelperText>
            </FormGroup>
          );
        })}
      </Form>
    </>
  );
  const footer = <StepButtons draftId={draft.id} step="files" pending={busy !== null} />;
  return <WizardShell draftId={draft.id} step="files" stepsWithErrors={draft.stepsWithErrors} body={body} footer={footer} />;
}
