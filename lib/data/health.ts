import type { Db } from "@/lib/db";

// Probes for load balancers and orchestrators. Liveness: the process answers (a database outage must not get
// healthy dashboards restarted). Readiness: the database answers and at least one lifecycle worker (in a dashboard
// or `npm run worker`) beat within the lease period, so that what users start also runs.

export function checkHealth(): { ok: true } {
  return { ok: true };
}

export interface Readiness {
  ok: boolean;
  database: "ok" | "unreachable";
  liveWorkers: number;
  error?: string;
}

export async function checkReady(db: Db, now: Date, liveWorkerWindowMs: number): Promise<Readiness> {
  let liveWorkers: number;
  try {
    await db.$queryRaw`SELECT 1`;
    liveWorkers = await db.workerHeartbeat.count({ where: { heartbeatAt: { gte: new Date(now.getTime() - liveWorkerWindowMs) } } });
  } catch {
    return { ok: false, database: "unreachable", liveWorkers: 0, error: "The database does not answer." };
  }
  if (liveWorkers === 0) return { ok: false, database: "ok", liveWorkers, error: "No lifecycle worker beat within the lease period: operations would wait." };
  return { ok: true, database: "ok", liveWorkers };
}
