import { randomBytes } from "node:crypto";
import { createServer, request as httpRequest, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKey, parseKey, sealSecret } from "@/lib/crypto/seal";
import { receiveVrrpMessage, vrrpIngestListener } from "@/lib/data/vrrp";
import { securityHeadersFromEnv } from "@/lib/security-headers";
import { INGEST_PATH } from "@/lib/vip/ingest-url";
import { MAX_BODY_BYTES, nodeAgentKey } from "@/lib/vip/protocol";
import { agentHeaders, agentRequest } from "@/test/support/agent-message";
import { makeProjectWithCluster, makeUser, testDb } from "@/test/support/db";

// The ingest as the dashboard's server answers it before Next.js (lib/cli/serve.ts, lib/outside-next.ts): a real
// HTTP server on 127.0.0.1 with the listener, the unit database behind it, and the route handler's answer to the same
// messages beside it.
const db = testDb();
const secret = randomBytes(32).toString("hex");
let clusterId: string;
let clusterName: string;
let server: Server;
let port = 0;

const message = (node: string, atS: number, pad = "") =>
  JSON.stringify({
    v: 1, node, sentAt: atS + 0.5, keepalived: { running: true, version: "Keepalived v2.2.7", startedAt: atS - 60 },
    transitions: [{ at: atS, instance: `${clusterName}_API`, state: "BACKUP", priority: 60 }],
    snapshot: { instances: [], addresses: [], configMtime: null },
    ...(pad ? { pad } : {}),
  });

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: unknown;
}

/** Posts `chunks` (one write each); with `declare`, a Content-Length, else chunked. */
function post(headers: Record<string, string>, chunks: Buffer[], declare = true): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const length = chunks.reduce((n, c) => n + c.length, 0);
    const req = httpRequest(
      { host: "127.0.0.1", port, method: "POST", path: INGEST_PATH, headers: { "content-type": "application/json", ...headers, ...(declare ? { "content-length": String(length) } : {}) } },
      (res) => {
        let text = "";
        res.on("data", (d: Buffer) => (text += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: JSON.parse(text) }));
      },
    );
    // the server may answer and close before the whole body is written
    req.on("error", (error: NodeJS.ErrnoException) => (error.code === "EPIPE" || error.code === "ECONNRESET" ? undefined : reject(error)));
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

const signed = (node: string, body: string, key = nodeAgentKey(secret, node)) => agentHeaders({ clusterId, key, body: Buffer.from(body) });

beforeAll(async () => {
  const sealing = generateKey();
  process.env.TRIPOD_SECRET_KEY = sealing;
  const user = await makeUser(db);
  const { cluster } = await makeProjectWithCluster(db, user.id);
  await db.cluster.update({ where: { id: cluster.id }, data: { vrrpSecretSealed: sealSecret(secret, parseKey(sealing)), specJson: JSON.stringify({ networks: { public: { apiVip: "198.51.100.5", ingressVip: "198.51.100.7" } } }) } });
  clusterId = cluster.id;
  clusterName = cluster.name;
  server = createServer(vrrpIngestListener(db));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe("the ingest outside Next.js", () => {
  it("answers as the route handler does, with the dashboard's security headers, and stores the message", async () => {
    const now = Date.now() / 1000;
    const body = message("master-0", now - 5);
    const answer = await post(signed("master-0", body), [Buffer.from(body)]);
    expect(answer.status).toBe(202);
    expect(answer.json).toEqual({ transitionsStored: 1, transitionsAlreadyKnown: 0, reportStored: true });
    expect(answer.headers["content-type"]).toBe("application/json");
    expect(answer.headers["content-length"]).toBe(String(JSON.stringify(answer.json).length));
    for (const { key, value } of securityHeadersFromEnv()) expect(answer.headers[key.toLowerCase()], key).toBe(value);
    expect(await db.vrrpTransition.count({ where: { clusterId, node: "master-0" } })).toBe(1);

    // the route handler, given the same kind of message, answers the same
    const viaRoute = message("master-1", now - 5);
    const route = await receiveVrrpMessage(db, agentRequest({ clusterId, key: nodeAgentKey(secret, "master-1"), body: Buffer.from(viaRoute) }));
    expect({ status: route.status, json: await route.json() }).toEqual({ status: answer.status, json: answer.json });
  });

  it("refuses a forged message (401) and a replayed one (409) with the route's refusal, storing nothing", async () => {
    const now = Date.now() / 1000;
    const body = message("master-2", now - 3);
    const forged = await post(signed("master-2", body, "guessed"), [Buffer.from(body)]);
    expect({ status: forged.status, json: forged.json }).toEqual({ status: 401, json: { error: "bad-signature" } });
    expect(await db.vrrpTransition.count({ where: { clusterId, node: "master-2" } })).toBe(0);
    const headers = signed("master-2", body);
    expect((await post(headers, [Buffer.from(body)])).status).toBe(202);
    const replayed = await post(headers, [Buffer.from(body)]);
    expect({ status: replayed.status, json: replayed.json }).toEqual({ status: 409, json: { error: "replay" } });
  });

  it("answers 413 to a body past the bound, declared or streamed, and closes that connection", async () => {
    const big = message("master-0", Date.now() / 1000, "x".repeat(MAX_BODY_BYTES));
    const declared = await post(signed("master-0", big), [Buffer.from(big)]);
    expect({ status: declared.status, json: declared.json }).toEqual({ status: 413, json: { error: "too-large" } });
    expect(declared.headers.connection).toBe("close");
    const half = Math.floor(big.length / 2);
    const streamed = await post(signed("master-0", big), [Buffer.from(big.slice(0, half)), Buffer.from(big.slice(half))], false);
    expect({ status: streamed.status, json: streamed.json }).toEqual({ status: 413, json: { error: "too-large" } });
    expect(streamed.headers.connection).toBe("close");
    expect(await db.vrrpReport.count({ where: { clusterId, node: "master-0" } })).toBe(1);
  });
});
