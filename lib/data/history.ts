import { z } from "zod";
import type { Db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { projectIdFilter, type Actor } from "@/lib/auth/policy";
import { OPERATION_KINDS, STEP_NAMES } from "@/lib/domain";
import { NotFoundError, parseCommand } from "./errors";
import { pageOf, pageQuery, window, type Page } from "./paging";

// A cluster's events, a page at a time, newest first (index clusterId, at); pruned on a retention setting
// (lib/data/retention.ts). The audit log's viewer is lib/data/audit-log.ts.

export interface EventRow {
  at: string;
  level: string;
  step: string | null;
  message: string;
}

export const EVENT_LEVELS = ["info", "warning", "error"] as const;

/** Every step name of every operation kind, once (what the events' step filter offers). */
export const EVENT_STEPS = [...new Set(OPERATION_KINDS.flatMap((kind) => STEP_NAMES[kind]))];

export const EventListQuery = pageQuery(["at"], "at", "desc").extend({
  level: z.enum(EVENT_LEVELS, { error: "Not an event level" }).optional(),
  step: z.string().max(64, "Not a step").optional(),
});
export type EventListInput = Partial<z.input<typeof EventListQuery>>;

export async function listClusterEvents(
  db: Db,
  actor: Actor,
  clusterId: string,
  query: EventListInput = {},
): Promise<Page<EventRow, "at"> & { cluster: string; filters: { level?: string; step?: string } }> {
  const req = parseCommand(EventListQuery, query);
  const cluster = await db.cluster.findFirst({ where: { id: clusterId, projectId: projectIdFilter(actor) }, select: { name: true } });
  if (!cluster) throw new NotFoundError("That cluster");
  const where: Prisma.EventWhereInput = { clusterId, ...(req.level ? { level: req.level } : {}), ...(req.step ? { step: req.step } : {}) };
  const [rows, total] = await Promise.all([
    db.event.findMany({ where, orderBy: [{ at: req.dir }, { id: req.dir }], select: { at: true, level: true, step: true, message: true }, ...window(req) }),
    db.event.count({ where }),
  ]);
  return { ...pageOf(rows.map((e) => ({ ...e, at: e.at.toISOString() })), total, req), cluster: cluster.name, filters: { level: req.level, step: req.step } };
}
