import { z } from "zod";
import type { Db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { can, projectIdFilter, type Actor } from "@/lib/auth/policy";
import { AUDIT_OUTCOMES } from "@/lib/audit";
import { parseCommand, ForbiddenError } from "./errors";
import { pageOf, pageQuery, prefixRange, window, type Page } from "./paging";

// The audit viewer: every state change and download, sign-ins included, a page at a time, newest first.
// Administrators see everything; a lead sees the entries of the projects they lead (entries about no project, like
// sign-ins and users, are administrators'). Filters go by the table's indexes (at; actor, at; action, at;
// projectId, at): the actor and the action exactly, the target by prefix. The log is kept (never pruned).

const NOT_A_DAY = "Not a date (YYYY-MM-DD)";
/** A UTC day, or "" (the form's empty field). */
const Day = z.union([z.iso.date(NOT_A_DAY), z.literal("")], NOT_A_DAY).optional();

export const AuditListQuery = pageQuery(["at"], "at", "desc").extend({
  actor: z.string().max(128, "At most 128 characters").optional(),
  action: z.string().max(128, "At most 128 characters").optional(),
  target: z.string().max(256, "At most 256 characters").optional(),
  // "" is the form's "any"
  outcome: z.union([z.enum(AUDIT_OUTCOMES), z.literal("")], "Not an outcome: allowed, denied, succeeded or failed").optional(),
  projectId: z.string().max(64, "Not an id").optional(),
  from: Day,
  to: Day,
});
export type AuditListInput = Partial<z.input<typeof AuditListQuery>>;
const AUDIT_FILTERS = ["actor", "action", "target", "outcome", "projectId", "from", "to"] as const;
export type AuditFilter = Pick<AuditListInput, (typeof AUDIT_FILTERS)[number]>;

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

export type AuditView = Page<AuditRow, "at"> & { filters: AuditFilter; projects: { id: string; name: string }[] };

const DAY_MS = 86_400_000;
/** Projects the filter offers (by name); a project further down is still found by its id in the address. */
const FILTER_PROJECTS = 200;

export async function listAudit(db: Db, actor: Actor, query: AuditListInput = {}): Promise<AuditView> {
  if (!can(actor, "audit.read")) throw new ForbiddenError();
  const req = parseCommand(AuditListQuery, query);
  const led = projectIdFilter(actor, "lead");
  const text = (v: string | undefined) => v?.trim() || undefined;
  const [actorName, action, target] = [text(req.actor), text(req.action), text(req.target)];
  const where: Prisma.AuditLogWhereInput = {
    AND: [
      led ? { projectId: led } : {},
      req.projectId ? { projectId: req.projectId } : {},
      actorName ? { actor: actorName } : {},
      action ? { action } : {},
      target ? { target: prefixRange(target) } : {},
      req.outcome ? { outcome: req.outcome } : {},
      req.from ? { at: { gte: new Date(`${req.from}T00:00:00Z`) } } : {},
      req.to ? { at: { lt: new Date(new Date(`${req.to}T00:00:00Z`).getTime() + DAY_MS) } } : {},
    ],
  };
  const [rows, total, projects] = await Promise.all([
    db.auditLog.findMany({ where, orderBy: [{ at: req.dir }, { id: req.dir }], ...window(req) }),
    db.auditLog.count({ where }),
    db.project.findMany({ where: { id: led }, select: { id: true, name: true }, orderBy: { name: "asc" }, take: FILTER_PROJECTS }),
  ]);
  const ids = [...new Set(rows.flatMap((r) => (r.projectId ? [r.projectId] : [])))];
  const named = await db.project.findMany({ where: { id: { in: ids } }, select: { id: true, name: true }, take: ids.length });
  const names = new Map(named.map((p) => [p.id, p.name]));
  const filters = Object.fromEntries(AUDIT_FILTERS.flatMap((k) => (req[k] ? [[k, req[k]]] : []))) as AuditFilter;
  return {
    ...pageOf(
      rows.map((r) => ({
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
      total,
      req,
    ),
    filters,
    projects,
  };
}
