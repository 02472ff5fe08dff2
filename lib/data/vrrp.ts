import type { Db } from "@/lib/db";
import { addCounter, COUNTERS } from "@/lib/metrics/counters";
import { clusterAgentSecret, ingestVrrpMessage, pruneVrrpData, readBoundedBody } from "@/lib/vip/ingest";

// The VIP agents' ingest as the route handler serves it. No browser session: the HMAC signature under the cluster's
// agent secret authenticates each message (proxy.ts lets /api/vrrp/ through).

const PRUNE_EVERY_MS = 60_000;
let lastPrunedAt = 0;

export async function receiveVrrpMessage(db: Db, request: Request): Promise<Response> {
  if (Date.now() - lastPrunedAt > PRUNE_EVERY_MS) {
    lastPrunedAt = Date.now();
    await pruneVrrpData(db, new Date());
  }
  const body = await readBoundedBody(request.body, request.headers.get("content-length"));
  const outcome = await ingestVrrpMessage(db, { header: (n) => request.headers.get(n), body }, { now: new Date(), secretOf: clusterAgentSecret(db) });
  // Every message counted by outcome (accepted, or the refusal) for /api/metrics, in the shared database.
  await addCounter(db, COUNTERS.vrrpIngest, { outcome: outcome.ok ? "accepted" : outcome.refusal });
  if (!outcome.ok) return Response.json({ error: outcome.refusal }, { status: outcome.status });
  const { transitionsStored, transitionsAlreadyKnown, reportStored } = outcome;
  return Response.json({ transitionsStored, transitionsAlreadyKnown, reportStored }, { status: 202 });
}
