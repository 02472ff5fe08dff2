import type { Db } from "@/lib/db";

/** Liveness plus a database round trip; the e2e harness and the demo script wait on it. */
export async function checkHealth(db: Db): Promise<{ ok: true }> {
  await db.$queryRaw`SELECT 1`;
  return { ok: true };
}
