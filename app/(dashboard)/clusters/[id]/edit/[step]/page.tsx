import Link from "@/app/ui/link";
import { notFound } from "next/navigation";
import { createTargets, orNotFound, stepErrors, wizardAddresses, wizardDraft, wizardMachines, wizardNetworks, wizardReview } from "@/lib/data";
import { WIZARD_STEPS, type WizardStep } from "@/lib/domain";
import { Heading } from "@/app/ui/title";
import { AddressesStep } from "@/app/ui/wizard/addresses-step";
import { ClusterStep } from "@/app/ui/wizard/cluster-step";
import { CreateStep } from "@/app/ui/wizard/create-step";
import { FilesStep } from "@/app/ui/wizard/files-step";
import { MachinesStep } from "@/app/ui/wizard/machines-step";
import { NetworksStep } from "@/app/ui/wizard/networks-step";
import { ReviewStep } from "@/app/ui/wizard/review-step";

export const dynamic = "force-dynamic";

/** One page per wizard step of a draft; each reads what its pickers need from the cloud through lib/data. */
export default async function WizardStepPage({ params }: { params: Promise<{ id: string; step: string }> }) {
  const { id, step: stepParam } = await params;
  if (!(WIZARD_STEPS as readonly string[]).includes(stepParam)) notFound();
  const step = stepParam as WizardStep;
  const draft = await orNotFound(wizardDraft(id));
  const exportSpec = (
    <a href={`/api/clusters/${id}/spec`} data-testid="export-spec">
      Export spec (JSON)
    </a>
  );
  if (draft.status !== "draft") {
    // an old link to the wizard of a cluster created since: nothing here is saved any more
    return (
      <>
        <Heading>{draft.name}</Heading>
        <p className="error" data-testid="not-a-draft">
          This cluster is {draft.status}; only a draft can be edited. <Link href={`/clusters/${id}`}>Cluster page</Link> · {exportSpec}
        </p>
      </>
    );
  }
  const heading = (
    <>
      <Heading>Edit draft {draft.name}</Heading>
      <p className="empty">
        Saved on the server as you go: a reload or a second tab shows the same. <Link href={`/clusters/${id}`}>Cluster page</Link> · {exportSpec}
      </p>
    </>
  );
  const errors = stepErrors(draft.errors, step);
  const cloudError = (read: { ok: boolean; message?: string }) => (read.ok ? undefined : read.message);
  let content: React.ReactNode;
  switch (step) {
    case "cluster":
      content = <ClusterStep draft={draft} targets={await createTargets()} initialErrors={errors} />;
      break;
    case "networks": {
      const read = await wizardNetworks(id);
      content = <NetworksStep draft={draft} choices={read.ok ? read.value : { networks: [], routers: false }} cloudError={cloudError(read)} initialErrors={errors} />;
      break;
    }
    case "addresses": {
      const read = await wizardAddresses(id);
      content = <AddressesStep draft={draft} facts={read.ok ? read.value : null} cloudError={cloudError(read)} initialErrors={errors} />;
      break;
    }
    case "machines": {
      const read = await wizardMachines(id);
      content = <MachinesStep draft={draft} choices={read.ok ? read.value : null} cloudError={cloudError(read)} initialErrors={errors} />;
      break;
    }
    case "files":
      content = <FilesStep draft={draft} initialErrors={errors} />;
      break;
    case "review": {
      const read = await wizardReview(id);
      content = <ReviewStep draft={draft} review={read?.ok ? read.value : null} cloudError={read ? cloudError(read) : undefined} />;
      break;
    }
    case "create":
      content = <CreateStep draft={draft} />;
      break;
  }
  return (
    <>
      {heading}
      {content}
    </>
  );
}
