import type { Db } from "@/lib/db";

export const AUDIT_OUTCOMES = ["allowed", "denied", "succeeded", "failed"] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditEntry {
  /** Who; `source` is the client's address on that request. */
  actor: { id: string; username: string; source?: string } | null;
  action: string;
  target: string;
  outcome: AuditOutcome;
  detail?: string;
  /** The project the target belongs to: leads see their projects' entries in the audit viewer. */
  projectId?: string | null;
  /** When there is no actor (a failed sign-in): the address the attempt came from. */
  source?: string;
}

export async function audit(db: Db, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      actorId: entry.actor?.id ?? null,
      actor: entry.actor?.username ?? "anonymous",
      action: entry.action,
      target: entry.target,
      outcome: entry.outcome,
      detail: entry.detail,
      projectId: entry.projectId ?? null,
      source: entry.actor?.source ?? entry.source ?? null,
    },
  });
}
