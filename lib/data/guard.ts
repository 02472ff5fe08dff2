import type { Db } from "@/lib/db";
import { audit } from "@/lib/audit";
import { can, type Action, type Actor, type Target } from "@/lib/auth/policy";
import { ForbiddenError, NotFoundError } from "./errors";

// The policy check of a command, audited when it refuses: what the actor may not see is "not found" (as a missing
// thing), what they may see but not change is "forbidden".

export async function allow(db: Db, actor: Actor, action: Action, target: Target & { label: string }, auditAs: string): Promise<void> {
  if (can(actor, action, target)) return;
  await audit(db, { actor, action: auditAs, target: target.label, outcome: "denied", projectId: target.projectId });
  throw new ForbiddenError();
}

/** The project, if the actor is in it (or an admin); otherwise NotFound, audited. */
export async function visibleProject(db: Db, actor: Actor, projectId: string, auditAs: string) {
  const project = await db.project.findUnique({ where: { id: projectId } });
  if (!project) throw new NotFoundError("That project");
  if (!can(actor, "project.read", { projectId })) {
    await audit(db, { actor, action: auditAs, target: `project ${project.name}`, outcome: "denied", projectId });
    throw new NotFoundError("That project");
  }
  return project;
}
