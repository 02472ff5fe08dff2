import { z } from "zod";
import type { Db } from "@/lib/db";
import { audit } from "@/lib/audit";
import { can, PROJECT_ROLES, type Actor } from "@/lib/auth/policy";
import { InvalidInputError, InvalidStateError, NotFoundError, parseCommand, unlessTaken } from "./errors";
import { allow, visibleProject } from "./guard";
import { Checkbox, Id, OptionalText, ProjectName, Username, type Fields } from "./input";
import { byName } from "@/lib/util/names";

// Projects (administrators create them) and their members and settings (administrators, and the project's leads).

const OpenStackProjectId = z
  .string()
  .trim()
  .transform((v) => v.replace(/-/g, "").toLowerCase())
  .refine((v) => v === "" || /^[0-9a-f]{32}$/.test(v), "An OpenStack project id is 32 hexadecimal digits")
  .transform((v) => v || undefined)
  .optional();

export const CreateProjectInput = z.object({ name: ProjectName, openstackProjectId: OpenStackProjectId });
export const AddMemberInput = z.object({ projectId: Id, username: z.string().trim().min(1, "Enter a user name").max(128, "Not a user name"), role: z.enum(PROJECT_ROLES, "member or lead") });
export const RemoveMemberInput = z.object({ projectId: Id, userId: Id });
export const SetMemberRoleInput = z.object({ projectId: Id, userId: Id, role: z.enum(PROJECT_ROLES, "member or lead") });
export const ProjectSettingsInput = z.object({ projectId: Id, twoPersonTeardown: Checkbox.default(false), openstackProjectId: OpenStackProjectId });

export async function createProject(db: Db, actor: Actor, input: Fields<typeof CreateProjectInput>): Promise<{ projectId: string }> {
  const { name, openstackProjectId } = parseCommand(CreateProjectInput, input);
  await allow(db, actor, "user.manage", { label: `project ${name}` }, "project.create");
  // The unique index tells, also between two requests at once.
  const project = await unlessTaken(db.project.create({ data: { name, openstackProjectId } }), { name: "A project with this name exists" });
  await audit(db, { actor, action: "project.create", target: `project ${name}`, outcome: "succeeded", projectId: project.id });
  return { projectId: project.id };
}

/** The project a member change is about: visible to the actor (else not found), managed by them (else forbidden). */
async function managedProject(db: Db, actor: Actor, projectId: string, action: string) {
  const project = await visibleProject(db, actor, projectId, action);
  await allow(db, actor, "project.manage", { projectId, label: `project ${project.name}` }, action);
  return project;
}

export async function addMember(db: Db, actor: Actor, input: Fields<typeof AddMemberInput>): Promise<void> {
  const { projectId, username, role } = parseCommand(AddMemberInput, input);
  const project = await managedProject(db, actor, projectId, "membership.add");
  const user = await db.user.findUnique({ where: { username } });
  if (!user) throw new InvalidInputError({ username: "There is no user with this name" });
  // The unique index tells, also between two leads adding the same user at once.
  await unlessTaken(db.membership.create({ data: { userId: user.id, projectId, role } }), { username: "Already a member; change the role in the list" });
  await audit(db, { actor, action: "membership.add", target: `user ${username} in project ${project.name}`, outcome: "succeeded", detail: role, projectId });
}

async function membership(db: Db, projectId: string, userId: string) {
  const m = await db.membership.findUnique({ where: { userId_projectId: { userId, projectId } }, include: { user: true } });
  if (!m) throw new NotFoundError("That membership");
  return m;
}

export async function removeMember(db: Db, actor: Actor, input: Fields<typeof RemoveMemberInput>): Promise<void> {
  const { projectId, userId } = parseCommand(RemoveMemberInput, input);
  const project = await managedProject(db, actor, projectId, "membership.remove");
  const m = await membership(db, projectId, userId);
  // Another lead may have removed it since it was read.
  const { count } = await db.membership.deleteMany({ where: { id: m.id } });
  if (count === 0) throw new NotFoundError("That membership");
  await audit(db, { actor, action: "membership.remove", target: `user ${m.user.username} in project ${project.name}`, outcome: "succeeded", projectId });
}

export async function setMemberRole(db: Db, actor: Actor, input: Fields<typeof SetMemberRoleInput>): Promise<void> {
  const { projectId, userId, role } = parseCommand(SetMemberRoleInput, input);
  const project = await managedProject(db, actor, projectId, "membership.set-role");
  // Written only over the role as read, so that the audit names the role it replaced: another lead may have changed
  // it, or removed the member, since.
  for (let attempt = 1; ; attempt++) {
    const m = await membership(db, projectId, userId);
    const { count } = await db.membership.updateMany({ where: { id: m.id, role: m.role }, data: { role } });
    if (count === 1) {
      await audit(db, { actor, action: "membership.set-role", target: `user ${m.user.username} in project ${project.name}`, outcome: "succeeded", detail: `${m.role} → ${role}`, projectId });
      return;
    }
    if (attempt === 3) throw new InvalidStateError("Other leads keep changing this member's role; reload and try again.");
  }
}

export async function setProjectSettings(db: Db, actor: Actor, input: Fields<typeof ProjectSettingsInput>): Promise<void> {
  const { projectId, twoPersonTeardown, openstackProjectId } = parseCommand(ProjectSettingsInput, input);
  const project = await managedProject(db, actor, projectId, "project.settings");
  // The OpenStack project binding decides who Keystone sign-in makes a member: administrators only.
  const binding = openstackProjectId !== undefined && openstackProjectId !== project.openstackProjectId;
  if (binding) await allow(db, actor, "user.manage", { projectId, label: `project ${project.name}` }, "project.settings");
  await db.project.update({ where: { id: projectId }, data: { twoPersonTeardown, ...(binding ? { openstackProjectId } : {}) } });
  const detail = [`two-person teardown ${twoPersonTeardown ? "on" : "off"}`, binding ? `OpenStack project ${openstackProjectId}` : ""].filter(Boolean).join("; ");
  await audit(db, { actor, action: "project.settings", target: `project ${project.name}`, outcome: "succeeded", detail, projectId });
}

export interface ProjectDetail {
  id: string;
  name: string;
  openstackProjectId: string | null;
  twoPersonTeardown: boolean;
  members: { userId: string; username: string; role: string; source: string }[];
  clouds: { id: string; name: string; authUrl: string; region: string | null; interface: string; clusters: number; signInDomains: string | null }[];
  may: { manageMembers: boolean; manageClouds: boolean; bindOpenStack: boolean };
}

/** A project's page: members, settings and clouds (never a credential), with what the actor may change. */
export async function getProject(db: Db, actor: Actor, projectId: string): Promise<ProjectDetail> {
  if (typeof projectId !== "string" || projectId.length > 64) throw new NotFoundError("That project");
  const project = await visibleProject(db, actor, projectId, "project.read");
  const [members, clouds] = await Promise.all([
    db.membership.findMany({ where: { projectId }, include: { user: { select: { username: true } } } }),
    db.cloud.findMany({
      where: { projectId },
      select: { id: true, name: true, authUrl: true, region: true, interface: true, signInDomains: true, _count: { select: { clusters: true } } },
      orderBy: { name: "asc" },
    }),
  ]);
  return {
    id: project.id,
    name: project.name,
    openstackProjectId: project.openstackProjectId,
    twoPersonTeardown: project.twoPersonTeardown,
    members: members.map((m) => ({ userId: m.userId, username: m.user.username, role: m.role, source: m.source })).sort((a, b) => byName(a.username, b.username)),
    clouds: clouds.map(({ _count, ...c }) => ({ ...c, clusters: _count.clusters })),
    may: {
      manageMembers: can(actor, "project.manage", { projectId }),
      manageClouds: can(actor, "cloud.manage", { projectId }),
      bindOpenStack: can(actor, "user.manage"),
    },
  };
}
