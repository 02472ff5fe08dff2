import { createTargets } from "@/lib/data";
import { Heading } from "@/app/ui/title";
import { ClusterStep } from "@/app/ui/wizard/cluster-step";

export const dynamic = "force-dynamic";
export const metadata = { title: "New cluster · Tripod" };

export default async function NewClusterPage() {
  const targets = await createTargets();
  return (
    <>
      <Heading>New cluster</Heading>
      {targets.length === 0 ? <p className="error">You are not a member of any project.</p> : <ClusterStep draft={null} targets={targets} />}
    </>
  );
}
