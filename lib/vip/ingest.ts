import { rawTransaction, readRows, type Db, type RawTransaction } from "@/lib/db";
import { count, dateOf, dateOrNull } from "@/lib/db-values";
import { randomBytes, randomUUID } from "node:crypto";
import { Prisma } from "@/lib/generated/prisma/client";
import { openSecret } from "@/lib/crypto/seal";
import {
  FRESHNESS_MS,
  HEADER,
  MAX_BODY_BYTES,
  NONCE_PATTERN,
  TIMESTAMP_PATTERN,
  messageSchema,
  nodeAgentKey,
  signatureMatches,
  type AgentMessage,
} from "./protocol";
import { vipOfInstance } from "@/lib/domain";
import { readBounded } from "@/lib/util/body";
import { DEFAULT_SETTINGS } from "./health";
import { continuesRun, fromEpochSeconds, nodeReportFrom, nodeReportOf, storedReportOf } from "./observations";
import { storeVipSummary } from "./panel";
import { laterReportExists } from "./queries";

// The ingest of VIP agent messages, shared by the route handler (app/api/vrrp/ingest) and the lab's ingest
// server: verify size, headers, freshness and signature, then store the nonce, the transitions and the report in
// one transaction. Anything invalid is refused with a 4xx before a single row is written.

export const RATE_LIMIT_PER_MINUTE = 120;
/** Reports older than this are pruned by default (transitions are kept for the history); TRIPOD_VRRP_REPORT_RETENTION_HOURS. */
export const REPORT_RETENTION_MS = 24 * 60 * 60_000;
/** A report that brings no transition refreshes the oversight summary at most this often (transitions at once). */
export const SUMMARY_REFRESH_MS = 30_000;

export type IngestRefusal =
  | "too-large"
  | "bad-headers"
  | "stale-timestamp"
  | "bad-signature"
  | "bad-body"
  | "unknown-instance"
  | "replay"
  | "rate-limited";

export const REFUSAL_STATUS: Record<IngestRefusal, number> = {
  "too-large": 413,
  "bad-headers": 400,
  "stale-timestamp": 401,
  "bad-signature": 401,
  "bad-body": 400,
  "unknown-instance": 422,
  replay: 409,
  "rate-limited": 429,
};

export type IngestOutcome =
  | { ok: true; status: 202; transitionsStored: number; transitionsAlreadyKnown: number; reportStored: boolean }
  | { ok: false; status: number; refusal: IngestRefusal };

export interface IngestRequest {
  header(name: string): string | null;
  /** the raw body, or "too-large" when reading stopped at MAX_BODY_BYTES */
  body: Uint8Array | "too-large";
}

export interface IngestDeps {
  now: Date;
  /** the cluster's agent secret in clear (each node's key derives from it), null for an unknown cluster or one without */
  secretOf(clusterId: string): Promise<string | null>;
  rateLimitPerMinute?: number;
}

function refuse(refusal: IngestRefusal): IngestOutcome {
  return { ok: false, status: REFUSAL_STATUS[refusal], refusal };
}

class Refused extends Error {
  constructor(readonly refusal: IngestRefusal) {
    super(refusal);
    this.name = "Refused";
  }
}

/** Verifies signatures for unknown and deleted clusters, so they cost the same HMAC work as a known one. */
const UNKNOWN_CLUSTER_SECRET = randomBytes(32).toString("hex");

/** The agent key of a cluster that may still report: none for an unknown or deleted cluster. Read past Prisma (readRows): every message asks. */
export function clusterAgentSecret(db: Db, open: (sealed: string) => string = openSecret) {
  return async (clusterId: string): Promise<string | null> => {
    const [cluster] = await readRows<{ vrrpSecretSealed: string | null; status: string }>(
      db,
      Prisma.sql`SELECT c."vrrpSecretSealed", c."status" FROM "Cluster" c WHERE c."id" = ${clusterId}`,
    );
    return cluster?.vrrpSecretSealed && cluster.status !== "deleted" ? open(cluster.vrrpSecretSealed) : null;
  };
}

function parseMessage(body: Uint8Array): AgentMessage | null {
  try {
    const parsed = messageSchema.safeParse(JSON.parse(Buffer.from(body).toString("utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // not JSON
  }
}

export async function ingestVrrpMessage(db: Db, req: IngestRequest, deps: IngestDeps): Promise<IngestOutcome> {
  if (req.body === "too-large" || req.body.byteLength > MAX_BODY_BYTES) return refuse("too-large");
  const body = req.body;
  const clusterId = req.header(HEADER.cluster);
  const timestamp = req.header(HEADER.timestamp);
  const nonce = req.header(HEADER.nonce);
  const signature = req.header(HEADER.signature);
  if (!clusterId || clusterId.length > 64 || !timestamp || !TIMESTAMP_PATTERN.test(timestamp) || !nonce || !NONCE_PATTERN.test(nonce) || !signature) {
    return refuse("bad-headers");
  }
  const now = deps.now;
  if (Math.abs(now.getTime() - Number(timestamp) * 1000) > FRESHNESS_MS) return refuse("stale-timestamp");
  // An unknown or deleted cluster is refused exactly as a wrong signature is, after the same HMAC work: cluster ids
  // cannot be told apart (enumerated) by the answer or its timing, and nothing is stored for a deleted cluster.
  const secret = await deps.secretOf(clusterId);
  const message = parseMessage(body);
  if (!message) return refuse("bad-body");
  // The body names the node; only that node's key verifies it (a node cannot report as another).
  const matches = signatureMatches(nodeAgentKey(secret ?? UNKNOWN_CLUSTER_SECRET, message.node), { clusterId, timestamp, nonce }, body, signature);
  if (!secret || !matches) return refuse("bad-signature");
  const vips = message.transitions.map((t) => vipOfInstance(t.instance));
  if (vips.some((v) => v === null)) return refuse("unknown-instance");

  const limit = deps.rateLimitPerMinute ?? RATE_LIMIT_PER_MINUTE;
  let stored: { outcome: IngestOutcome & { ok: true }; vipComputedAt: Date | null };
  try {
    stored = await rawTransaction(db, async (tx) => {
      // The cluster's summary row is written first (its version bumped now when the message brings a snapshot, which
      // always changes what the page shows): on PostgreSQL that row lock queues the cluster's concurrent messages
      // here, so each counts the nonces of those committed before it (a count before any write let them all count
      // the same and all pass the limit); on SQLite it makes this a write transaction.
      const [health] = await tx.rows<{ vipComputedAt: string | Date | null }>(Prisma.sql`
        INSERT INTO "ClusterHealth" ("clusterId", "version", "updatedAt") VALUES (${clusterId}, ${message.snapshot ? 1 : 0}, ${now})
        ON CONFLICT ("clusterId") DO UPDATE SET "version" = "ClusterHealth"."version" + EXCLUDED."version", "updatedAt" = EXCLUDED."updatedAt"
        RETURNING "vipComputedAt"`);
      const [{ recent }] = await tx.rows<{ recent: number | bigint | string }>(Prisma.sql`
        SELECT COUNT(*) AS "recent" FROM "VrrpNonce"
        WHERE "clusterId" = ${clusterId} AND "node" = ${message.node} AND "receivedAt" > ${new Date(now.getTime() - 60_000)}`);
      if (count(recent) >= limit) throw new Refused("rate-limited");
      // the unique (clusterId, nonce) index: a nonce already there is this exact message, accepted before
      const fresh = await tx.execute(Prisma.sql`
        INSERT INTO "VrrpNonce" ("id", "clusterId", "node", "nonce", "receivedAt") VALUES (${randomUUID()}, ${clusterId}, ${message.node}, ${nonce}, ${now})
        ON CONFLICT ("clusterId", "nonce") DO NOTHING`);
      if (fresh === 0) throw new Refused("replay");
      let transitionsStored = 0;
      for (const [i, t] of message.transitions.entries()) {
        // the agent resends a transition until acknowledged: one it delivered before is recognised by the unique index
        transitionsStored += await tx.execute(Prisma.sql`
          INSERT INTO "VrrpTransition" ("id", "clusterId", "node", "instance", "vip", "state", "priority", "at", "receivedAt")
          VALUES (${randomUUID()}, ${clusterId}, ${message.node}, ${t.instance}, ${vips[i]}, ${t.state}, ${t.priority ?? null}, ${fromEpochSeconds(t.at)}, ${now})
          ON CONFLICT ("clusterId", "node", "instance", "at", "state") DO NOTHING`);
      }
      if (message.snapshot) await storeReport(tx, clusterId, message, now);
      else if (transitionsStored > 0) await tx.execute(Prisma.sql`UPDATE "ClusterHealth" SET "version" = "version" + 1, "updatedAt" = ${now} WHERE "clusterId" = ${clusterId}`);
      return {
        outcome: {
          ok: true as const,
          status: 202 as const,
          transitionsStored,
          transitionsAlreadyKnown: message.transitions.length - transitionsStored,
          reportStored: !!message.snapshot,
        },
        vipComputedAt: dateOrNull(health.vipComputedAt),
      };
    });
  } catch (e) {
    if (e instanceof Refused) return refuse(e.refusal);
    throw e;
  }
  // A transition changes the VIP health at once; a snapshot refreshes it when the stored one is SUMMARY_REFRESH_MS old.
  const { outcome, vipComputedAt } = stored;
  const summaryDue = !vipComputedAt || now.getTime() - vipComputedAt.getTime() >= SUMMARY_REFRESH_MS;
  if (outcome.transitionsStored > 0 || (outcome.reportStored && summaryDue)) await storeVipSummary(db, clusterId, now);
  return outcome;
}

/**
 * Stores a message's snapshot: the node's last row is extended when the snapshot continues its run (observations.ts
 * continuesRun: an hour of a steady node is one row instead of 120 to 360), otherwise it gets a row of its own.
 */
async function storeReport(tx: RawTransaction, clusterId: string, message: AgentMessage, now: Date): Promise<void> {
  const node = message.node;
  const keepalivedVersion = message.keepalived.version;
  const stored = storedReportOf(message);
  const snapshotJson = JSON.stringify(stored);
  const sentAt = fromEpochSeconds(message.sentAt);
  const [last] = await tx.rows<{ id: string; keepalivedVersion: string | null; snapshotJson: string; sentAt: string | Date; receivedAt: string | Date }>(Prisma.sql`
    SELECT "id", "keepalivedVersion", "snapshotJson", "sentAt", "receivedAt" FROM "VrrpReport"
    WHERE "clusterId" = ${clusterId} AND "node" = ${node} ORDER BY "sentAt" DESC LIMIT 1`);
  const next = nodeReportFrom({ node, keepalivedVersion, sentAt, receivedAt: now }, stored);
  if (last && continuesRun(nodeReportOf({ ...last, node, sentAt: dateOf(last.sentAt), receivedAt: dateOf(last.receivedAt) }), next, DEFAULT_SETTINGS.silentAfterMs)) {
    // the run's first send time is the row's own until it is first extended (the right-hand sides read the row before)
    await tx.execute(Prisma.sql`
      UPDATE "VrrpReport" SET "firstSentAt" = COALESCE("firstSentAt", "sentAt"), "keepalivedVersion" = ${keepalivedVersion},
        "snapshotJson" = ${snapshotJson}, "sentAt" = ${sentAt}, "receivedAt" = ${now}
      WHERE "id" = ${last.id}`);
  } else {
    await tx.execute(Prisma.sql`
      INSERT INTO "VrrpReport" ("id", "clusterId", "node", "keepalivedVersion", "snapshotJson", "sentAt", "receivedAt")
      VALUES (${randomUUID()}, ${clusterId}, ${node}, ${keepalivedVersion}, ${snapshotJson}, ${sentAt}, ${now})`);
  }
}

/**
 * Reports deleted by one prune at most. The ingest prunes on an agent's message every few seconds, which a steady
 * state keeps to a few hundred rows; a backlog (the retention just shortened) goes this many at a time, so that no
 * message waits on a delete of hours' worth (SQLite holds the server's event loop for as long).
 */
export const REPORT_PRUNE_BATCH = 5_000;

/**
 * Deletes nonces past twice the freshness window, and reports past retention but each node's last one (at most
 * `batch`): a node silent for longer is still known by its last state and when it sent it (queries.ts). The ingest
 * runs it every few seconds (lib/data/vrrp.ts).
 */
export async function pruneVrrpData(db: Db, now: Date, reportRetentionMs = REPORT_RETENTION_MS, batch = REPORT_PRUNE_BATCH): Promise<void> {
  await db.vrrpNonce.deleteMany({ where: { receivedAt: { lt: new Date(now.getTime() - 2 * FRESHNESS_MS) } } });
  const before = new Date(now.getTime() - reportRetentionMs);
  await rawTransaction(db, (tx) =>
    tx.execute(
      Prisma.sql`DELETE FROM "VrrpReport" WHERE "id" IN (SELECT r."id" FROM "VrrpReport" r WHERE r."sentAt" < ${before} AND ${laterReportExists(Prisma.raw("r"))} LIMIT ${batch})`,
    ),
  );
}

/** Reads a request body (a Request's stream or a Node.js request), stopping as soon as it exceeds MAX_BODY_BYTES. */
export function readBoundedBody(body: AsyncIterable<Uint8Array> | null, declaredLength: string | null): Promise<Uint8Array | "too-large"> {
  return readBounded(body, declaredLength, MAX_BODY_BYTES);
}
