import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestVrrpMessage, readBoundedBody } from "@/lib/vip/ingest";
import { nodeAgentKey } from "@/lib/vip/protocol";
import { makeProjectWithCluster, makeUser, testDb } from "@/test/support/db";

// The real node agent (bash + curl + openssl) against the real ingest on 127.0.0.1 and the unit database.
// No keepalived here: the agent reports it as not running and still delivers the journal.
const AGENT = path.resolve("fakeroot/all/usr/local/bin/tripod-vrrp-agent");
const db = testDb();
const secret = randomBytes(32).toString("hex");
const dir = mkdtempSync(path.join(tmpdir(), "vip-agent-"));
const journal = path.join(dir, "journal");
const node = `agent-${randomBytes(3).toString("hex")}`;
let clusterId: string;
let server: Server;
let port = 0;
let agent: ChildProcess;
/** The snapshots the ingest accepted, when */
const snapshots: { at: number; snapshot: { configMtime: number } }[] = [];

function startServer(): Promise<void> {
  server = createServer(async (req, res) => {
    const body = await readBoundedBody(req, req.headers["content-length"] ?? null);
    const header = (n: string) => (typeof req.headers[n] === "string" ? (req.headers[n] as string) : null);
    const out = await ingestVrrpMessage(db, { header, body }, { now: new Date(), secretOf: async (id) => (id === clusterId ? secret : null) });
    if (out.ok && out.reportStored) snapshots.push({ at: Date.now(), snapshot: (JSON.parse(Buffer.from(body as Uint8Array).toString()) as { snapshot: { configMtime: number } }).snapshot });
    res.writeHead(out.status).end();
  });
  return new Promise((r) => server.listen(port, "127.0.0.1", () => {
    port = (server.address() as { port: number }).port;
    r();
  }));
}

const stored = (state: string) => db.vrrpTransition.findFirst({ where: { clusterId, node, state } });
async function until<T>(fn: () => Promise<T | null>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}
const line = (state: string) => `${(Date.now() / 1000).toFixed(9)} INSTANCE c1_API ${state} 60\n`;

beforeAll(async () => {
  const user = await makeUser(db);
  clusterId = (await makeProjectWithCluster(db, user.id)).cluster.id;
  await startServer();
  writeFileSync(path.join(dir, "keepalived.conf"), "# test\n");
  agent = spawn("bash", [AGENT], {
    env: {
      NODE_ENV: "test",
      PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin",
      TRIPOD_VRRP_INGEST_URL: `http://127.0.0.1:${port}/api/vrrp/ingest`,
      TRIPOD_VRRP_CLUSTER_ID: clusterId,
      TRIPOD_VRRP_SECRET: nodeAgentKey(secret, node),
      TRIPOD_VRRP_NODE: node,
      TRIPOD_VRRP_JOURNAL: journal,
      TRIPOD_VRRP_STATE_DIR: path.join(dir, "state"),
      TRIPOD_VRRP_KEEPALIVED_CONF: path.join(dir, "keepalived.conf"),
      TRIPOD_VRRP_SNAPSHOT_INTERVAL: "1",
      TRIPOD_VRRP_HEARTBEAT_INTERVAL: "4",
      TRIPOD_VRRP_RETRY_MAX: "1",
      TRIPOD_VRRP_TICK: "0.05",
    },
    stdio: "ignore",
  });
});

afterAll(async () => {
  agent?.kill("SIGTERM");
  server?.close();
  await db.$disconnect();
});

describe("tripod-vrrp-agent", () => {
  it("sends a snapshot that says what the last one said only as a heartbeat, a changed one at the next snapshot", async () => {
    await until(async () => snapshots.length > 0 || null, 15_000);
    // steady for 10 s: a snapshot taken every second, sent every 4 s
    const from = Date.now();
    await new Promise((r) => setTimeout(r, 10_000));
    const steady = snapshots.filter((x) => x.at >= from);
    expect(steady.length).toBeGreaterThanOrEqual(2);
    expect(steady.length).toBeLessThanOrEqual(4);
    // keepalived.conf changes (its mtime is in the snapshot): sent within a snapshot interval, not at the heartbeat
    const mtime = Math.floor(Date.now() / 1000) - 3600;
    const changedAt = Date.now();
    utimesSync(path.join(dir, "keepalived.conf"), mtime, mtime);
    const changed = await until(async () => snapshots.find((x) => x.snapshot.configMtime === mtime) ?? null, 10_000);
    expect(changed.at - changedAt).toBeLessThan(3000);
  }, 40_000);

  it("delivers journalled transitions and snapshots, signed; skips other lines", async () => {
    appendFileSync(journal, "garbage line\n" + "1795600000.1 GROUP g1 MASTER 0\n" + line("MASTER"));
    const t = await until(() => stored("MASTER"), 15_000);
    expect(t).toMatchObject({ instance: "c1_API", vip: "api", priority: 60 });
    const report = await until(() => db.vrrpReport.findFirst({ where: { clusterId, node } }), 15_000);
    const snapshot = JSON.parse(report.snapshotJson);
    expect(snapshot.keepalived.running).toBe(false);
    expect(snapshot.snapshot.addresses).toContain("127.0.0.1/8");
    expect(await db.vrrpTransition.count({ where: { clusterId, node } })).toBe(1);
  }, 30_000);

  it("keeps what Tripod could not receive and delivers it once Tripod is back", async () => {
    await new Promise<void>((r) => server.close(() => r()));
    appendFileSync(journal, line("FAULT"));
    await new Promise((r) => setTimeout(r, 2500)); // a few failed attempts
    expect(await stored("FAULT")).toBeNull();
    await startServer();
    const fault = await until(() => stored("FAULT"), 15_000);
    expect(fault.receivedAt.getTime() - fault.at.getTime()).toBeGreaterThan(2000);
  }, 30_000);
});
