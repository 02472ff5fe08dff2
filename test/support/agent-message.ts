import { randomBytes } from "node:crypto";
import { HEADER, sign } from "@/lib/vip/protocol";

export interface AgentSignature {
  clusterId: string;
  /** The key it is signed with: a node's agent key (`nodeAgentKey`), or another one to be refused. */
  key: string;
  body: Buffer<ArrayBuffer>;
  /** Seconds since the epoch; now unless given. */
  timestamp?: number;
  nonce?: string;
}

/** The headers a node's VIP agent sends with a message (`sign` itself is checked against openssl in parts.test). */
export function agentHeaders(s: AgentSignature): Record<string, string> {
  const h = {
    clusterId: s.clusterId,
    timestamp: String(Math.floor(s.timestamp ?? Date.now() / 1000)),
    nonce: s.nonce ?? randomBytes(16).toString("hex"),
  };
  return { [HEADER.cluster]: h.clusterId, [HEADER.timestamp]: h.timestamp, [HEADER.nonce]: h.nonce, [HEADER.signature]: sign(s.key, h, s.body) };
}

/** The request the agent posts to the ingest. */
export function agentRequest(s: AgentSignature): Request {
  return new Request("http://127.0.0.1/api/vrrp/ingest", {
    method: "POST",
    headers: { "content-type": "application/json", ...agentHeaders(s) },
    body: s.body,
  });
}
