// Who may see and do what. Pure: takes an actor and a target, returns a decision. Every page, server action and
// route handler asks through lib/data, which loads the actor and applies these rules (also inside Prisma `where`s).

export const GLOBAL_ROLES = ["member", "lead", "admin"] as const;
export type GlobalRole = (typeof GLOBAL_ROLES)[number];
export const PROJECT_ROLES = ["member", "lead"] as const;
export type ProjectRole = (typeof PROJECT_ROLES)[number];

export interface Actor {
  id: string;
  username: string;
  role: GlobalRole;
  memberships: { projectId: string; role: ProjectRole }[];
  /** The client's address on this request (for the audit log), when known. */
  source?: string;
}

export type Action =
  | "project.read"
  | "cluster.read"
  | "cluster.create"
  | "cluster.teardown"
  | "cluster.approve" // approve or force an operation someone else requested; mark bootstrap complete
  | "cluster.approve-teardown" // the second person of a two-person teardown (never the requester)
  | "cluster.download" // kubeconfig, kubeadmin password, inventory, console logs, redacted Ignition, operation log
  | "cluster.ignition" // the full Ignition configs, secrets included
  | "cloud.manage" // register, test, rotate, remove a project's clouds
  | "project.manage" // add and remove members, set their project role, the project's settings
  | "audit.read" // the audit viewer: a project's entries (no projectId: the viewer itself)
  | "oversight.read"
  | "admin.read" // the Admin page: every user and project
  | "user.manage" // create, disable, reset passwords, set global roles; create projects
  | "signin.manage" // which cloud's Keystone users may sign in through
  | "lab.control"; // the demo lab's nodes: stop and start keepalived or the API stand-in (demo only)

/** What the action is about: a project, optionally one of its clusters with its creator. */
export interface Target {
  projectId?: string;
  createdById?: string;
  /** Who asked for what is being approved (two-person teardown). */
  requestedById?: string;
}

function projectRole(actor: Actor, projectId: string | undefined): ProjectRole | undefined {
  if (!projectId) return undefined;
  return actor.memberships.find((m) => m.projectId === projectId)?.role;
}

export function isLeadOf(actor: Actor, projectId: string | undefined): boolean {
  return projectRole(actor, projectId) === "lead";
}

function leadsAny(actor: Actor): boolean {
  return actor.role === "lead" || actor.memberships.some((m) => m.role === "lead");
}

export function can(actor: Actor, action: Action, target: Target = {}): boolean {
  // Two people means two people, administrators included.
  if (action === "cluster.approve-teardown" && target.requestedById === actor.id) return false;
  if (actor.role === "admin") return true;
  const inProject = projectRole(actor, target.projectId) !== undefined;
  const lead = isLeadOf(actor, target.projectId);
  switch (action) {
    case "project.read":
    case "cluster.read":
    case "cluster.create":
    case "cluster.download":
    case "cluster.approve-teardown":
      return inProject;
    case "cluster.teardown":
      // A member tears down what they created; anything else in the project needs its lead.
      return lead || (inProject && target.createdById === actor.id);
    case "cluster.approve":
    case "cluster.ignition":
    case "cloud.manage":
    case "project.manage":
      return lead;
    case "audit.read":
      return target.projectId ? lead : leadsAny(actor);
    case "oversight.read":
      return leadsAny(actor);
    case "admin.read":
    case "user.manage":
    case "signin.manage":
    case "lab.control":
      return false;
  }
}

/** What the actor is to one cluster (the state machine in lib/lifecycle/state-machine.ts decides by it). */
export type ClusterRole = "owner" | "member" | "lead" | "admin";

/** The actor's strongest relation to a cluster they may see; null when they may not see it. */
export function roleOnCluster(actor: Actor, cluster: { projectId: string; createdById: string }): ClusterRole | null {
  if (actor.role === "admin") return "admin";
  if (!can(actor, "cluster.read", cluster)) return null;
  if (isLeadOf(actor, cluster.projectId)) return "lead";
  return cluster.createdById === actor.id ? "owner" : "member";
}

/**
 * The one tenant filter: a Prisma condition on a project id (`{ id: … }` on projects, `{ projectId: … }` on what
 * belongs to one) that keeps what the actor may see — or, with "lead", what they lead. `undefined` (no condition)
 * for admins.
 */
export function projectIdFilter(actor: Actor, as: "member" | "lead" = "member"): { in: string[] } | undefined {
  if (actor.role === "admin") return undefined;
  return { in: actor.memberships.filter((m) => as === "member" || m.role === "lead").map((m) => m.projectId) };
}
