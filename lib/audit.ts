import type { Db } from "@/lib/db";

export type AuditOutcome = "allowed" | "denied" | "succeeded" | "failed";

export interface AuditEntry {
  actor: { id: string; username: string } | null;
  action: string;
  target: string;
  outcome: AuditOutcome;
  detail?: string;
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
    },
  });
}
