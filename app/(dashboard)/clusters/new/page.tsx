import { createTargets } from "@/lib/data";
import { NewClusterForm } from "./form";

export const dynamic = "force-dynamic";
export const metadata = { title: "New cluster · Tripod" };

export default async function NewClusterPage() {
  const choices = await createTargets();
  return (
    <>
      <h1>New cluster</h1>
      <p className="empty">
        Paste the cluster spec (JSON) and, optionally, the installer&apos;s <code>auth/kubeconfig</code>. Tripod validates the spec, shows you the plan, and
        creates nothing in the cloud until you start the create.
      </p>
      {choices.length === 0 ? <p className="error">You are not a member of any project.</p> : <NewClusterForm projects={choices} />}
    </>
  );
}
