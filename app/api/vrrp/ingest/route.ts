import { prisma } from "@/lib/db";
import { clusterAgentSecret, ingestVrrpMessage, pruneVrrpData, readBoundedBody } from "@/lib/vip/ingest";

// POST /api/vrrp/ingest — signed messages from the VIP health agents on the cluster nodes (no browser session:
// the HMAC signature under the cluster's agent secret authenticates them; proxy.ts lets /api/vrrp/ through).
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const PRUNE_EVERY_MS = 60_000;
let lastPrunedAt = 0;

export async function POST(request: Request): Promise<Response> {
  if (Date.now() - lastPrunedAt > PRUNE_EVERY_MS) {
    lastPrunedAt = Date.now();
    await pruneVrrpData(prisma, new Date());
  }
  const body = await readBoundedBody(request.body, request.headers.get("content-length"));
  const outcome = await ingestVrrpMessage(prisma, { header: (n) => request.headers.get(n), body }, { now: new Date(), secretOf: clusterAgentSecret(prisma) });
  if (!outcome.ok) return Response.json({ error: outcome.refusal }, { status: outcome.status });
  return Response.json({ transitionsStored: outcome.transitionsStored, transitionsAlreadyKnown: outcome.transitionsAlreadyKnown, reportStored: outcome.reportStored }, { status: 202 });
}
