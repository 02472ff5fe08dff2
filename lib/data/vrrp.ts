import type { IncomingMessage, ServerResponse } from "node:http";
import type { Db } from "@/lib/db";
import { logUnexpected } from "@/lib/db-errors";
import { COUNTERS, CounterBuffer } from "@/lib/metrics/counters";
import { securityHeadersFromEnv } from "@/lib/security-headers";
import { clusterAgentSecret, ingestVrrpMessage, pruneVrrpData, readBoundedBody, REPORT_RETENTION_MS } from "@/lib/vip/ingest";

// The VIP agents' ingest, as the route handler serves it and as the dashboard's server answers it before Next.js
// (lib/outside-next.ts): the same answer either way. No browser session: the HMAC signature under the cluster's agent
// secret authenticates each message (proxy.ts lets /api/vrrp/ through).

/**
 * Every message leaves a nonce, kept for twice the freshness window: with 800 live clusters' agents (80 messages a
 * second) a prune once a minute deleted ~4,800 of them in one statement, 9–44 ms during which SQLite (synchronous)
 * held the event loop and every request in flight; every 5 s it is ~400 rows, a few ms.
 */
const PRUNE_EVERY_MS = 5_000;
const hours = Number(process.env.TRIPOD_VRRP_REPORT_RETENTION_HOURS);
const REPORT_RETENTION = hours > 0 ? hours * 3600_000 : REPORT_RETENTION_MS;
let lastPrunedAt = 0;

/**
 * Every message is counted by outcome (accepted, or the refusal) for /api/metrics, in the shared database: added up
 * in the process and written at most every COUNT_FLUSH_MS (the agents of 1,000 clusters send 100–300 messages a
 * second, an upsert and a commit each cost as much as the rest of the ingest), and before this process answers a
 * scrape.
 */
const COUNT_FLUSH_MS = 5_000;
const outcomes = new CounterBuffer();
let lastFlushedAt = Date.now();

export async function flushVrrpIngestCounts(db: Db): Promise<void> {
  lastFlushedAt = Date.now();
  await outcomes.flush(db);
}

/** The ingest's answer to a message: its status and JSON. */
async function answerVrrpMessage(db: Db, header: (name: string) => string | null, readBody: () => Promise<Uint8Array | "too-large">): Promise<{ status: number; json: object }> {
  if (Date.now() - lastPrunedAt > PRUNE_EVERY_MS) {
    lastPrunedAt = Date.now();
    await pruneVrrpData(db, new Date(), REPORT_RETENTION);
  }
  const body = await readBody();
  const outcome = await ingestVrrpMessage(db, { header, body }, { now: new Date(), secretOf: clusterAgentSecret(db) });
  outcomes.add(COUNTERS.vrrpIngest, { outcome: outcome.ok ? "accepted" : outcome.refusal });
  if (Date.now() - lastFlushedAt >= COUNT_FLUSH_MS) {
    // the message is stored: a count not written now is kept for the next flush, the agent is answered all the same
    await flushVrrpIngestCounts(db).catch((error: unknown) => console.error(`[ingest] counts not written: ${error instanceof Error ? error.message : String(error)}`));
  }
  if (!outcome.ok) return { status: outcome.status, json: { error: outcome.refusal } };
  const { transitionsStored, transitionsAlreadyKnown, reportStored } = outcome;
  return { status: 202, json: { transitionsStored, transitionsAlreadyKnown, reportStored } };
}

export async function receiveVrrpMessage(db: Db, request: Request): Promise<Response> {
  const { status, json } = await answerVrrpMessage(
    db,
    (name) => request.headers.get(name),
    () => readBoundedBody(request.body, request.headers.get("content-length")),
  );
  return Response.json(json, { status });
}

/**
 * The ingest for the dashboard's server (lib/outside-next.ts), on Node.js's request and response: the route's answer
 * and headers (the security headers Next.js adds to every answer). A body found too large is not read further; the
 * connection then closes after the 413. An error is logged and answered 500, without its text; while the database is
 * unavailable 503, logged in one line now and then (lib/db-errors.ts: the agents of 1,000 clusters send 100–300 a second).
 */
export function vrrpIngestListener(db: Db) {
  const headers = Object.fromEntries(securityHeadersFromEnv().map((h) => [h.key, h.value]));
  return (req: IncomingMessage, res: ServerResponse): void => {
    const header = (name: string) => {
      const value = req.headers[name.toLowerCase()];
      return typeof value === "string" ? value : null;
    };
    const readBody = () => readBoundedBody(req, header("content-length"));
    const send = (status: number, json: object) => {
      if (!req.readableEnded) res.setHeader("Connection", "close");
      const text = JSON.stringify(json);
      res.writeHead(status, { ...headers, "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) }).end(text);
    };
    answerVrrpMessage(db, header, readBody)
      .then(({ status, json }) => send(status, json))
      .catch((error: unknown) => {
        const unavailable = logUnexpected(error, "VIP agent's message") === "unavailable";
        if (res.headersSent) res.destroy();
        else send(unavailable ? 503 : 500, { error: unavailable ? "unavailable" : "internal" });
      });
  };
}
