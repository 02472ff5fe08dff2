import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

// The wire contract between the node agent (fakeroot/all/usr/local/bin/tripod-vrrp-agent) and the ingest.
// Every message is one JSON body signed with HMAC-SHA256 under the sending node's own agent key:
//   key       = hex(HMAC(cluster agent secret, "tripod-vrrp-agent node\n" + node))   (nodeAgentKey)
//   signature = hex(HMAC(key, "v1\n" + clusterId + "\n" + timestamp + "\n" + nonce + "\n" + body))
// Each node's Ignition carries only its own key, and the body names the node: a node can report only as itself.
// The timestamp bounds replay in time, the nonce (stored while it is fresh) refuses replays within that window.
export const HEADER = {
  cluster: "x-tripod-cluster",
  timestamp: "x-tripod-timestamp",
  nonce: "x-tripod-nonce",
  signature: "x-tripod-signature",
} as const;

export const SIGNATURE_SCHEME = "v1";
/** Largest accepted body; a full snapshot of two instances is about 3 KiB, a batch of 50 transitions about 5 KiB. */
export const MAX_BODY_BYTES = 64 * 1024;
/** How far a message's timestamp may be from the ingest's clock (the agent re-signs every retry). */
export const FRESHNESS_MS = 120_000;
export const MAX_TRANSITIONS_PER_MESSAGE = 200;

export const VRRP_STATES = ["MASTER", "BACKUP", "FAULT", "STOP"] as const;
export type VrrpState = (typeof VRRP_STATES)[number];

const nodeName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$/);
const instanceName = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/);
const epochSeconds = z.number().positive().finite();

export const transitionSchema = z.object({
  at: epochSeconds,
  instance: instanceName,
  state: z.enum(VRRP_STATES),
  priority: z.number().int().min(0).max(255).nullable(),
});

// keepalived's JSON dump (`--signum=JSON`): only the fields Tripod uses are kept; everything else, notably
// `auth_data` (the PASS password in clear), is dropped by parsing even if an agent failed to strip it.
const dumpInstanceSchema = z.object({
  data: z.object({
    iname: instanceName,
    vrid: z.number().int(),
    state: z.number().int(),
    wantstate: z.number().int().optional(),
    base_priority: z.number().int(),
    effective_priority: z.number().int(),
    master_priority: z.number().int().optional(),
    vipset: z.boolean(),
    vips: z.array(z.string().max(200)).max(32),
    last_transition: z.number().nonnegative().optional(),
  }),
  stats: z
    .object({
      advert_rcvd: z.number().int(),
      advert_sent: z.number().int(),
      become_master: z.number().int(),
      release_master: z.number().int(),
    })
    .optional(),
});

export const snapshotSchema = z.object({
  instances: z.array(dumpInstanceSchema).max(16),
  /** Every address configured on the node (`ip -o addr`), "a.b.c.d/len": a VIP left behind shows up here. */
  addresses: z.array(z.string().max(64)).max(256),
  /** mtime of keepalived.conf (epoch s): a change while keepalived runs means a reload. */
  configMtime: epochSeconds.nullable(),
});

export const messageSchema = z.object({
  v: z.literal(1),
  node: nodeName,
  sentAt: epochSeconds,
  keepalived: z.object({
    running: z.boolean(),
    version: z.string().max(120).nullable(),
    startedAt: epochSeconds.nullable(),
  }),
  transitions: z.array(transitionSchema).max(MAX_TRANSITIONS_PER_MESSAGE),
  snapshot: snapshotSchema.nullable(),
});

export type AgentMessage = z.infer<typeof messageSchema>;
export type AgentTransition = z.infer<typeof transitionSchema>;
export type AgentSnapshot = z.infer<typeof snapshotSchema>;

export interface SignedHeaders {
  clusterId: string;
  timestamp: string;
  nonce: string;
}

function signedPayload(h: SignedHeaders, body: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${SIGNATURE_SCHEME}\n${h.clusterId}\n${h.timestamp}\n${h.nonce}\n`, "utf8"), body]);
}

/** The agent key of one node, derived from the cluster's agent secret (which never leaves Tripod). */
export function nodeAgentKey(clusterSecret: string, node: string): string {
  return createHmac("sha256", clusterSecret).update(`tripod-vrrp-agent node\n${node}`).digest("hex");
}

export function sign(secret: string, h: SignedHeaders, body: Uint8Array): string {
  return createHmac("sha256", secret).update(signedPayload(h, body)).digest("hex");
}

/** Constant-time comparison of the presented signature (hex) with the expected one. */
export function signatureMatches(secret: string, h: SignedHeaders, body: Uint8Array, presented: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(presented)) return false;
  return timingSafeEqual(Buffer.from(sign(secret, h, body), "hex"), Buffer.from(presented, "hex"));
}

export const NONCE_PATTERN = /^[0-9a-f]{16,64}$/;
export const TIMESTAMP_PATTERN = /^\d{9,11}$/;

