"use client";

import { ActionGroup, Button, ExpandableSection, Form, FormGroup, TextArea, Title } from "@patternfly/react-core";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { CreateTarget, FieldErrors, WizardDraft } from "@/lib/data";
import { MIN_OPENSHIFT_MINOR } from "@/lib/domain";
import { importSpecAction } from "@/app/(dashboard)/clusters/new/actions";
import { ErrorSummary, fieldId, SelectField, TextField } from "./fields";
import { fieldLabel } from "./labels";
import { StepButtons, stepHref, WizardShell } from "./shell";
import { shownOnArrival, useStepSave } from "./use-step";

const str = (value: unknown) => (typeof value === "string" ? value : "");

/** Step 1: where the cluster goes (project, cloud) and what it is called; or a whole spec imported at once. */
export function ClusterStep({ draft, targets, initialErrors = {} }: { draft: WizardDraft | null; targets: CreateTarget[]; initialErrors?: FieldErrors }) {
  const d = draft?.draft ?? {};
  const [projectId, setProjectId] = useState(draft?.projectId ?? targets[0]?.id ?? "");
  const clouds = targets.find((t) => t.id === projectId)?.clouds ?? [];
  const [cloudId, setCloudId] = useState(draft?.cloudId ?? clouds[0]?.id ?? "");
  const [name, setName] = useState(str(d.name));
  const [baseDomain, setBaseDomain] = useState(str(d.baseDomain));
  const [openshiftVersion, setOpenshiftVersion] = useState(str(d.openshiftVersion) || "4.16");
  const [sshKey, setSshKey] = useState(str(d.sshKey));
  const [dns, setDns] = useState(Array.isArray(d.dnsUpstreams) ? d.dnsUpstreams.join(", ") : "");
  const { errors, message, pending, save } = useStepSave({
    draftId: draft?.id ?? null,
    projectId,
    cloudId,
    step: "cluster",
    initialErrors: shownOnArrival(initialErrors),
  });
  const values = () => ({
    name: name.trim(),
    baseDomain: baseDomain.trim(),
    openshiftVersion: openshiftVersion.trim(),
    sshKey: sshKey.trim(),
    dnsUpstreams: dns.split(/[\s,]+/).filter(Boolean),
  });
  const body = (
    <>
      <ErrorSummary errors={errors} labels={fieldLabel} message={message} />
      <Form onSubmit={(e) => e.preventDefault()}>
        {draft ? (
          <FormGroup label="Project" fieldId="field-projectId">
            <span id="field-projectId">{draft.project}</span>
          </FormGroup>
        ) : (
          <SelectField
            path="projectId"
            label="Project"
            value={projectId}
            options={targets.map((t) => ({ value: t.id, label: t.name }))}
            onChange={(v) => {
              setProjectId(v);
              setCloudId(targets.find((t) => t.id === v)?.clouds[0]?.id ?? "");
            }}
            error={errors.projectId}
          />
        )}
        <SelectField
          path="cloudId"
          label="Cloud"
          value={cloudId}
          options={clouds.map((c) => ({ value: c.id, label: `${c.name} (${c.authUrl})` }))}
          onChange={setCloudId}
          error={errors.cloudId}
        />
        <TextField path="name" label="Cluster name" value={name} onChange={setName} error={errors.name} isRequired hint="a DNS label, at most 27 characters" />
        <TextField path="baseDomain" label="Base domain" value={baseDomain} onChange={setBaseDomain} error={errors.baseDomain} isRequired />
        <TextField
          path="openshiftVersion"
          label="OpenShift version"
          value={openshiftVersion}
          onChange={setOpenshiftVersion}
          error={errors.openshiftVersion}
          isRequired
          hint={`4.${MIN_OPENSHIFT_MINOR} or later, e.g. 4.16 or 4.16.3`}
        />
        <TextField path="sshKey" label="SSH public key" value={sshKey} onChange={setSshKey} error={errors.sshKey} isRequired multiline />
        <TextField
          path="dnsUpstreams"
          label="DNS upstream resolvers"
          value={dns}
          onChange={setDns}
          error={errors.dnsUpstreams ?? errors["dnsUpstreams.0"] ?? errors["dnsUpstreams.1"] ?? errors["dnsUpstreams.2"]}
          isRequired
          hint="1 to 3 IPv4 addresses, separated by commas"
        />
      </Form>
      <ImportSpec draftId={draft?.id ?? null} projectId={projectId} cloudId={cloudId} />
    </>
  );
  const footer = <StepButtons draftId={draft?.id ?? null} step="cluster" pending={pending} save={(next, always) => save(values(), next, always)} />;
  return <WizardShell draftId={draft?.id ?? null} step="cluster" stepsWithErrors={draft?.stepsWithErrors} body={body} footer={footer} />;
}
/** Spec as code: a spec JSON (a file or pasted) fills every step; its problems show on their steps. */
function ImportSpec({ draftId, projectId, cloudId }: { draftId: string | null; projectId: string; cloudId: string }) {
  const router = useRouter();
  const [text, setText] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string>();
  const [pending, startTransition] = useTransition();
  const submit = () =>
    startTransition(async () => {
      const result = await importSpecAction({ clusterId: draftId ?? undefined, projectId, cloudId, text });
      setMessage(result.message);
      if (result.clusterId && !result.message && !result.errors.specText) router.push(stepHref(result.clusterId, "cluster"));
      setErrors(result.errors);
      router.refresh();
    });
  return (
    <ExpandableSection toggleText="Import a spec (JSON)" style={{ marginTop: "1.5rem" }} isIndented>
      <Title headingLevel="h2">Import a spec</Title>
      <p className="empty">
        A spec exported from Tripod (or written by hand, see test/fixtures/demo-spec.json) fills every step; what is wrong shows on its step.
      </p>
      <ErrorSummary errors={errors.specText ? { specText: errors.specText } : {}} labels={fieldLabel} message={message} headingLevel={3} />
      <Form onSubmit={(e) => e.preventDefault()}>
        <FormGroup label="Spec file" fieldId="import-file">
          <input
            id="import-file"
            type="file"
            accept="application/json,.json"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (file) setText(await file.text());
            }}
          />
        </FormGroup>
        <FormGroup label="Spec JSON" fieldId={fieldId("specText")}>
          <TextArea id={fieldId("specText")} value={text} onChange={(_e, v) => setText(v)} rows={8} validated={errors.specText ? "error" : "default"} />
          {errors.specText && (
            <p className="field-error" data-testid="error-specText">
              {errors.specText}
            </p>
          )}
        </FormGroup>
        <ActionGroup>
          <Button variant="secondary" isDisabled={pending || !text} onClick={submit}>
            Import into the wizard
          </Button>
        </ActionGroup>
      </Form>
    </ExpandableSection>
  );
}
