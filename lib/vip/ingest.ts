import type { Db } from "@/lib/db";
import { randomBytes } from "node:crypto";
import { Prisma } from "@/lib/generated/prisma/client";
import { openSecret } from "@/lib/crypto/seal";
import { touchCluster } from "@/lib/cluster-health";
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
import { continuesRun, fromEpochSeconds, nodeReportOf, storedReportOf } from "./observations";
import { storeVipSummary } from "./panel";

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

/** The agent key of a cluster that may still report: none for an unknown or deleted cluster. */
export function clusterAgentSecret(db: Db, open: (sealed: string) => string = openSecret) {
  return async (clusterId: string): Promise<string | null> => {
    const cluster = await db.cluster.findUnique({ where: { id: clusterId }, select: { vrrpSecretSealed: true, status: true } });
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
  let outcome: IngestOutcome;
  try {
    outcome = await db.$transaction(async (tx) => {
      // The cluster's summary row is written first, without changing it: on PostgreSQL that row lock queues the
      // cluster's concurrent messages here, so each counts the nonces of those committed before it (a count before
      // any write let them all count the same and all pass the limit); on SQLite it makes this a write transaction.
      await tx.clusterHealth.upsert({ where: { clusterId }, create: { clusterId }, update: { version: { increment: 0 } } });
      const recent = await tx.vrrpNonce.count({ where: { clusterId, node: message.node, receivedAt: { gt: new Date(now.getTime() - 60_000) } } });
      if (recent >= limit) throw new Refused("rate-limited");
      await tx.vrrpNonce.create({ data: { clusterId, node: message.node, nonce, receivedAt: now } });
      let stored = 0;
      for (const [i, t] of message.transitions.entries()) {
        const key = { clusterId, node: message.node, instance: t.instance, at: fromEpochSeconds(t.at), state: t.state };
        if (await tx.vrrpTransition.findUnique({ where: { clusterId_node_instance_at_state: key } })) continue;
        await tx.vrrpTransition.create({ data: { ...key, vip: vips[i] as string, priority: t.priority, receivedAt: now } });
        stored++;
      }
      if (message.snapshot) await storeReport(tx, clusterId, message, now);
      if (stored > 0 || message.snapshot) await touchCluster(tx, clusterId);
      return { ok: true as const, status: 202 as const, transitionsStored: stored, transitionsAlreadyKnown: message.transitions.length - stored, reportStored: !!message.snapshot };
    });
  } catch (e) {
    if (e instanceof Refused) return refuse(e.refusal);
    // the unique (clusterId, nonce) index: this exact message was accepted before
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") return refuse("replay");
    throw e;
  }
  if (outcome.ok && (outcome.transitionsStored > 0 || outcome.reportStored)) {
    await storeVipSummary(db, clusterId, now, outcome.transitionsStored > 0 ? 0 : SUMMARY_REFRESH_MS);
  }
  return outcome;
}

/**
 * Stores a message's snapshot: the node's last row is extended when the snapshot continues its run (observations.ts
 * continuesRun: an hour of a steady node is one row instead of 360), otherwise it gets a row of its own.
 */
async function storeReport(tx: Prisma.TransactionClient, clusterId: string, message: AgentMessage, now: Date): Promise<void> {
  const node = message.node;
  const row = {
    keepalivedVersion: message.keepalived.version,
    snapshotJson: JSON.stringify(storedReportOf(message)),
    sentAt: fromEpochSeconds(message.sentAt),
    receivedAt: now,
  };
  const last = await tx.vrrpReport.findFirst({
    where: { clusterId, node },
    orderBy: { sentAt: "desc" },
    select: { id: true, keepalivedVersion: true, snapshotJson: true, firstSentAt: true, sentAt: true, receivedAt: true },
  });
  if (last && continuesRun(nodeReportOf({ node, ...last }), nodeReportOf({ node, ...row }), DEFAULT_SETTINGS.silentAfterMs)) {
    await tx.vrrpReport.update({ where: { id: last.id }, data: { ...row, firstSentAt: last.firstSentAt ?? last.sentAt } });
  } else {
    await tx.vrrpReport.create({ data: { clusterId, node, ...row } });
  }
}

/** Deletes nonces past their freshness and reports past retention; the caller runs it now and then (once a minute). */
export async function pruneVrrpData(db: Db, now: Date, reportRetentionMs = REPORT_RETENTION_MS): Promise<void> {
  await db.vrrpNonce.deleteMany({ where: { receivedAt: { lt: new Date(now.getTime() - 2 * FRESHNESS_MS) } } });
  await db.vrrpReport.deleteMany({ where: { sentAt: { lt: new Date(now.getTime() - reportRetentionMs) } } });
}

/** Reads a request body, stopping as soon as it exceeds MAX_BODY_BYTES. */
export function readBoundedBody(stream: ReadableStream<Uint8Array> | null, declaredLength: string | null): Promise<Uint8Array | "too-large"> {
  return readBounded(stream, declaredLength, MAX_BODY_BYTES);
}
