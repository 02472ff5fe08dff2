import { prisma } from "@/lib/db";
import { can } from "@/lib/auth/policy";
import { requireActor } from "@/lib/data/session";
import { NewClusterForm } from "./form";

export const dynamic = "force-dynamic";

export default async function NewClusterPage() {
  const actor = await requireActor();
  const projects = await prisma.project.findMany({
    where: actor.role === "admin" ? {} : { id: { in: actor.memberships.map((m) => m.projectId) } },
    include: { clouds: { orderBy: { name: "asc" } } },
    orderBy: { name: "asc" },
  });
  const choices = projects
    .filter((p) => can(actor, "cluster.create", { projectId: p.id }))
    .map((p) => ({ id: p.id, name: p.name, clouds: p.clouds.map((c) => ({ id: c.id, name: c.name, authUrl: c.authUrl })) }));
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
