import { z } from "zod";
import type { Db } from "@/lib/db";
import { can, projectIdFilter, type Actor } from "@/lib/auth/policy";
import { AUDIT_OUTCOMES } from "@/lib/audit";
import { ForbiddenError, parseCommand } from "./errors";

// The audit viewer: every state change and download, sign-ins included. Administrators see everything; a lead sees
// the entries of the projects they lead (entries about no project, like sign-ins and users, are administrators').

export const AuditFilterInput = z.object({
  actor: z.string().max(128, "At most 128 characters").optional(),
  action: z.string().max(128, "At most 128 characters").optional(),
  target: z.string().max(256, "At most 256 characters").optional(),
  outcome: z.enum(AUDIT_OUTCOMES, "allowed, denied, succeeded or failed").or(z.literal("")).optional(),
  projectId: z.string().max(64, "Not an id").optional(),
  from: z.iso.date("A date (YYYY-MM-DD)").or(z.literal("")).optional(),
  to: z.iso.date("A date (YYYY-MM-DD)").or(z.literal("")).optional(),
});
export type AuditFilter = z.input<typeof AuditFilterInput>;

export interface AuditRow {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string;
  outcome: string;
  project: string | null;
  source: string | null;
  detail: string | null;
}

export interface AuditView {
  rows: AuditRow[];
  projects: { id: string; name: string }[];
  limit: number;
}

const LIMIT = 500;

export async function getAuditLog(db: Db, actor: Actor, filter: AuditFilter = {}): Promise<AuditView> {
  if (!can(actor, "audit.read")) throw new ForbiddenError();
  const f = parseCommand(AuditFilterInput, filter);
  const led = projectIdFilter(actor, "lead");
  const contains = (v: string | undefined) => (v?.trim() ? { contains: v.trim() } : undefined);
  const rows = await db.auditLog.findMany({
    where: {
      AND: [
        led ? { projectId: led } : {},
        f.projectId ? { projectId: f.projectId } : {},
        { actor: contains(f.actor), action: contains(f.action), target: contains(f.target), outcome: f.outcome || undefined },
        f.from ? { at: { gte: new Date(`${f.from}T00:00:00Z`) } } : {},
        f.to ? { at: { lt: new Date(new Date(`${f.to}T00:00:00Z`).getTime() + 86_400_000) } } : {},
      ],
    },
    orderBy: { at: "desc" },
    take: LIMIT,
  });
  const projects = await db.project.findMany({ where: { id: led }, select: { id: true, name: true }, orderBy: { name: "asc" } });
  const names = new Map(projects.map((p) => [p.id, p.name]));
  return {
    rows: rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      actor: r.actor,
      action: r.action,
      target: r.target,
      outcome: r.outcome,
      project: r.projectId ? (names.get(r.projectId) ?? null) : null,
      source: r.source,
      detail: r.detail,
    })),
    projects,
    limit: LIMIT,
  };
}
