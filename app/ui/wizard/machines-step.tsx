"use client";

import { Form, Label } from "@patternfly/react-core";
import { useState } from "react";
import type { FieldErrors, MachineChoices, WizardDraft } from "@/lib/data";
import { DataTable } from "../data-table";
import { ErrorSummary, SelectField } from "./fields";
import { fieldLabel } from "./labels";
import { StepButtons, WizardShell } from "./shell";
import { shownOnArrival, useStepSave } from "./use-step";

const str = (v: unknown) => (typeof v === "string" ? v : "");
const gib = (mib: number) => `${Math.round((mib / 1024) * 10) / 10} GiB`;

/** Step 4: the flavor (against OpenShift's control-plane minimums) and the RHCOS image, picked from the cloud. */
export function MachinesStep({ draft, choices, cloudError, initialErrors }: { draft: WizardDraft; choices: MachineChoices | null; cloudError?: string; initialErrors: FieldErrors }) {
  const [flavor, setFlavor] = useState(str(draft.draft.flavor));
  const [image, setImage] = useState(str(draft.draft.image));
  const { errors, message, pending, save } = useStepSave({ draftId: draft.id, projectId: draft.projectId, cloudId: draft.cloudId, step: "machines", initialErrors: shownOnArrival(initialErrors) });
  const flavors = choices?.flavors ?? [];
  const images = choices?.images ?? [];
  const min = choices?.minimums;
  const chosen = flavors.find((f) => f.name === flavor);
  const body = (
    <>
      <ErrorSummary errors={errors} labels={fieldLabel} message={message ?? cloudError} />
      <Form onSubmit={(e) => e.preventDefault()}>
        <SelectField
          path="flavor"
          label="Flavor"
          value={flavor}
          options={flavors.map((f) => ({ value: f.name, label: `${f.name} — ${f.vcpus} vCPU, ${gib(f.ramMiB)} RAM, ${f.diskGiB} GB disk${f.shortfalls.length ? " (below minimum)" : ""}` }))}
          onChange={setFlavor}
          error={errors.flavor}
          hint={
            chosen?.shortfalls.length
              ? `Below OpenShift's control-plane minimum: ${chosen.shortfalls.join("; ")}`
              : min && `OpenShift's control-plane minimum: ${min.vcpus} vCPU, ${gib(min.ramMiB)} RAM, ${min.diskGiB} GB disk`
          }
        />
        <SelectField
          path="image"
          label="Image (RHCOS)"
          value={image}
          options={images.map((i) => ({ value: i.name || i.id, label: `${i.name || i.id} (${i.status}${i.diskFormat ? `, ${i.diskFormat}` : ""})` }))}
          onChange={setImage}
          error={errors.image}
        />
      </Form>
      {min && (
        <DataTable
          label="Flavors"
          testId="flavors"
          columns={["Flavor", "vCPU", "RAM", "Disk", `Against ${min.vcpus} vCPU / ${gib(min.ramMiB)} / ${min.diskGiB} GB`]}
          rows={flavors.map((f) => ({
            key: f.id,
            cells: [
              f.name,
              f.vcpus,
              gib(f.ramMiB),
              f.diskGiB === 0 ? "volume" : `${f.diskGiB} GB`,
              f.shortfalls.length ? <Label key="s" status="warning" isCompact>{f.shortfalls.join("; ")}</Label> : <Label key="s" status="success" isCompact>meets the minimum</Label>,
            ],
          }))}
        />
      )}
    </>
  );
  const footer = <StepButtons draftId={draft.id} step="machines" pending={pending} save={(next, always) => save({ flavor, image }, next, always)} />;
  return <WizardShell draftId={draft.id} step="machines" stepsWithErrors={draft.stepsWithErrors} body={body} footer={footer} />;
}
