import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sealSecret, generateKey, parseKey, openSecret } from "@/lib/crypto/seal";
import { clusterAgentSecret, ingestVrrpMessage, pruneVrrpData, readBoundedBody, type IngestDeps } from "@/lib/vip/ingest";
import { DEFAULT_SETTINGS } from "@/lib/vip/health";
import { MAX_BODY_BYTES, nodeAgentKey } from "@/lib/vip/protocol";
import { agentHeaders } from "@/test/support/agent-message";
import { loadVipObservations } from "@/lib/vip/queries";
import { makeProjectWithCluster, makeUser, testDb } from "@/test/support/db";

// The ingest against the real SQLite file of the unit run: what is accepted is stored, what is not stores nothing.
const db = testDb();
const key = parseKey(generateKey());
const secret = randomBytes(32).toString("hex");
let clusterId: string;
const NOW = new Date(Date.UTC(2026, 10, 25, 12, 0, 0));
const deps: IngestDeps = { now: NOW, secretOf: clusterAgentSecret(db, (s) => openSecret(s, key)) };

function message(node: string, over: Record<string, unknown> = {}) {
  const t = NOW.getTime() / 1000;
  return {
    v: 1,
    node,
    sentAt: t,
    keepalived: { running: true, version: "Keepalived v2.2.7 (01/16,2022)", startedAt: t - 100 },
    transitions: [{ at: t - 1, instance: "c1_API", state: "MASTER", priority: 60 }],
    snapshot: {
      instances: [{ data: { iname: "c1_API", vrid: 51, state: 2, base_priority: 40, effective_priority: 60, vipset: true, vips: ["198.51.100.5 dev eth0 scope global set"], last_transition: t - 1, auth_type: 1, auth_data: "secret!" } }],
      addresses: ["198.51.100.10/24", "198.51.100.5/32"],
      configMtime: t - 200,
    },
    ...over,
  };
}

function signed(body: string, opts: { secret?: string; cluster?: string; timestamp?: number; nonce?: string } = {}) {
  // Signed as the node the body names, unless a test signs with another key.
  const node = (JSON.parse(body) as { node?: string }).node ?? "";
  const headers = agentHeaders({
    clusterId: opts.cluster ?? clusterId,
    key: opts.secret ?? nodeAgentKey(secret, node),
    body: Buffer.from(body),
    timestamp: opts.timestamp ?? NOW.getTime() / 1000,
    nonce: opts.nonce,
  });
  return { header: (n: string) => headers[n] ?? null, body: Buffer.from(body) };
}

async function rows(node: string) {
  return {
    transitions: await db.vrrpTransition.count({ where: { clusterId, node } }),
    reports: await db.vrrpReport.count({ where: { clusterId, node } }),
    nonces: await db.vrrpNonce.count({ where: { clusterId, node } }),
  };
}
const NOTHING = { transitions: 0, reports: 0, nonces: 0 };

beforeAll(async () => {
  const user = await makeUser(db);
  const { cluster } = await makeProjectWithCluster(db, user.id);
  await db.cluster.update({ where: { id: cluster.id }, data: { vrrpSecretSealed: sealSecret(secret, key) } });
  clusterId = cluster.id;
});
afterAll(() => db.$disconnect());

describe("ingestVrrpMessage", () => {
  it("stores a signed message: the transition, and the report without the password", async () => {
    const out = await ingestVrrpMessage(db, signed(JSON.stringify(message("ok-1"))), deps);
    expect(out).toEqual({ ok: true, status: 202, transitionsStored: 1, transitionsAlreadyKnown: 0, reportStored: true });
    expect(await rows("ok-1")).toEqual({ transitions: 1, reports: 1, nonces: 1 });
    const report = await db.vrrpReport.findFirstOrThrow({ where: { clusterId, node: "ok-1" } });
    expect(report.snapshotJson).not.toContain("secret!");
    expect(report.snapshotJson).not.toContain("auth_data");
    const obs = await loadVipObservations(db, clusterId, new Date(NOW.getTime() - 60_000));
    expect(obs.reports.find((r) => r.node === "ok-1")).toMatchObject({ keepalivedRunning: true, addresses: ["198.51.100.10/24", "198.51.100.5/32"] });
    expect(obs.transitions.find((t) => t.node === "ok-1")).toMatchObject({ instance: "c1_API", state: "MASTER", priority: 60 });
  });

  it("a resent transition (new nonce, same content) is recognised, not stored twice", async () => {
    const body = JSON.stringify(message("ok-2", { snapshot: null }));
    await ingestVrrpMessage(db, signed(body), deps);
    const again = await ingestVrrpMessage(db, signed(body), deps);
    expect(again).toMatchObject({ ok: true, transitionsStored: 0, transitionsAlreadyKnown: 1, reportStored: false });
    expect(await rows("ok-2")).toEqual({ transitions: 1, reports: 0, nonces: 2 });
  });

  it.each([
    ["a forged signature", () => signed(JSON.stringify(message("bad"), null), { secret: "wrong" }), 401, "bad-signature"],
    ["a node reporting as another node", () => signed(JSON.stringify(message("bad", { node: "master-1" })), { secret: nodeAgentKey(secret, "master-0") }), 401, "bad-signature"],
    ["the cluster's secret instead of the node's key", () => signed(JSON.stringify(message("bad")), { secret }), 401, "bad-signature"],
    ["a body changed after signing", () => ({ ...signed(JSON.stringify(message("bad"))), body: Buffer.from(JSON.stringify(message("bad", { node: "bad" })) + " ") }), 401, "bad-signature"],
    ["a stale timestamp", () => signed(JSON.stringify(message("bad")), { timestamp: NOW.getTime() / 1000 - 600 }), 401, "stale-timestamp"],
    ["an unknown cluster (answered as a forged signature: ids cannot be enumerated)", () => signed(JSON.stringify(message("bad")), { cluster: "no-such-cluster" }), 401, "bad-signature"],
    ["a malformed nonce", () => signed(JSON.stringify(message("bad")), { nonce: "xyz" }), 400, "bad-headers"],
    ["a body that is not a message", () => signed(JSON.stringify({ v: 1, node: "bad" })), 400, "bad-body"],
    ["an instance that serves no known VIP", () => signed(JSON.stringify(message("bad", { transitions: [{ at: 1e9, instance: "other", state: "MASTER", priority: 1 }] }))), 422, "unknown-instance"],
    ["an oversized body", () => signed(JSON.stringify(message("bad", { pad: "x".repeat(MAX_BODY_BYTES) }))), 413, "too-large"],
  ])("refuses %s and stores nothing", async (_what, make, status, refusal) => {
    const out = await ingestVrrpMessage(db, make(), deps);
    expect(out).toEqual({ ok: false, status, refusal });
    expect(await rows("bad")).toEqual(NOTHING);
  });

  it("refuses a correctly signed message for a deleted cluster as it refuses an unknown one, and stores nothing", async () => {
    const user = await makeUser(db);
    const { cluster } = await makeProjectWithCluster(db, user.id);
    await db.cluster.update({ where: { id: cluster.id }, data: { vrrpSecretSealed: sealSecret(secret, key), status: "deleted" } });
    const out = await ingestVrrpMessage(db, signed(JSON.stringify(message("gone")), { cluster: cluster.id }), deps);
    expect(out).toEqual({ ok: false, status: 401, refusal: "bad-signature" });
    expect(await db.vrrpTransition.count({ where: { clusterId: cluster.id } })).toBe(0);
    expect(await db.vrrpNonce.count({ where: { clusterId: cluster.id } })).toBe(0);
  });

  it("refuses a replay of an accepted message and stores nothing more", async () => {
    const req = signed(JSON.stringify(message("replayed")));
    expect((await ingestVrrpMessage(db, req, deps)).status).toBe(202);
    const before = await rows("replayed");
    expect(await ingestVrrpMessage(db, req, deps)).toEqual({ ok: false, status: 409, refusal: "replay" });
    expect(await rows("replayed")).toEqual(before);
  });

  it("rate-limits a node, storing nothing for the refused message", async () => {
    const limited = { ...deps, rateLimitPerMinute: 2 };
    for (let i = 0; i < 2; i++) expect((await ingestVrrpMessage(db, signed(JSON.stringify(message("chatty", { transitions: [] }))), limited)).status).toBe(202);
    expect(await ingestVrrpMessage(db, signed(JSON.stringify(message("chatty"))), limited)).toEqual({ ok: false, status: 429, refusal: "rate-limited" });
    expect(await rows("chatty")).toEqual({ transitions: 0, reports: 2, nonces: 2 });
  });

  it("rate-limits concurrent messages of a node to exactly the limit", async () => {
    const limited = { ...deps, rateLimitPerMinute: 3 };
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => ingestVrrpMessage(db, signed(JSON.stringify(message("burst", { transitions: [] }))), limited)),
    );
    expect(answers.filter((a) => a.status === 202)).toHaveLength(3);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(5);
    expect(await rows("burst")).toEqual({ transitions: 0, reports: 3, nonces: 3 });
  });

  it("rolls a node's snapshots that say the same into one row; a change, a late snapshot or a silence starts another", async () => {
    const t = NOW.getTime() / 1000;
    // the node's clock says s seconds after NOW; the advert counters change with every snapshot, as keepalived's do
    const snapshotAt = (s: number, state = 2) => {
      const m = message("run-1", { sentAt: t + s, transitions: [] });
      const [inst] = m.snapshot.instances;
      return { ...m, snapshot: { ...m.snapshot, instances: [{ data: { ...inst.data, state }, stats: { advert_rcvd: s, advert_sent: 0, become_master: 1, release_master: 0 } }] } };
    };
    const send = async (body: object) => expect((await ingestVrrpMessage(db, signed(JSON.stringify(body)), deps)).ok).toBe(true);
    const stored = async () =>
      (await db.vrrpReport.findMany({ where: { clusterId, node: "run-1" }, orderBy: { sentAt: "asc" } })).map((r) => ({
        from: r.firstSentAt && (r.firstSentAt.getTime() / 1000 - t),
        to: r.sentAt.getTime() / 1000 - t,
        adverts: JSON.parse(r.snapshotJson).snapshot.instances[0].stats.advert_rcvd,
      }));
    for (const s of [10, 20, 30]) await send(snapshotAt(s));
    expect(await stored()).toEqual([{ from: 10, to: 30, adverts: 30 }]); // the run, with its last snapshot
    await send(snapshotAt(40, 1)); // BACKUP now
    await send(snapshotAt(5)); // a late one from the journal
    await send(snapshotAt(50, 1));
    const afterSilence = 50 + DEFAULT_SETTINGS.silentAfterMs / 1000 + 10; // the node was silent meanwhile
    await send(snapshotAt(afterSilence, 1));
    expect(await stored()).toEqual([
      { from: null, to: 5, adverts: 5 },
      { from: 10, to: 30, adverts: 30 },
      { from: 40, to: 50, adverts: 50 },
      { from: null, to: afterSilence, adverts: afterSilence },
    ]);
    const obs = await loadVipObservations(db, clusterId, new Date(NOW.getTime() - 60_000));
    expect(obs.reports.filter((r) => r.node === "run-1").map((r) => [r.sentAt.getTime() / 1000 - t, r.instances[0].state])).toEqual([
      [5, "MASTER"],
      [30, "MASTER"],
      [50, "BACKUP"],
      [afterSilence, "BACKUP"],
    ]);
  });

  it("pruning drops nonces past freshness and reports past retention but each node's last one, keeps transitions", async () => {
    await ingestVrrpMessage(db, signed(JSON.stringify(message("old"))), deps);
    const earlier = await db.vrrpReport.findFirstOrThrow({ where: { clusterId, node: "old" } });
    const { id: _id, ...copy } = earlier;
    await db.vrrpReport.create({ data: { ...copy, sentAt: new Date(NOW.getTime() - 3600_000), receivedAt: new Date(NOW.getTime() - 3600_000) } });
    expect(await rows("old")).toEqual({ transitions: 1, reports: 2, nonces: 1 });
    await pruneVrrpData(db, new Date(NOW.getTime() + 2 * 24 * 60 * 60_000));
    expect(await rows("old")).toEqual({ transitions: 1, reports: 1, nonces: 0 });
    expect((await db.vrrpReport.findFirstOrThrow({ where: { clusterId, node: "old" } })).sentAt).toEqual(earlier.sentAt);
  });

  it("prunes a backlog of reports a batch at a time, and never a node's last one", async () => {
    const { id: _id, ...copy } = await db.vrrpReport.findFirstOrThrow({ where: { clusterId, node: "ok-1" } });
    const hoursAgo = (n: number) => new Date(NOW.getTime() - n * 3600_000);
    await db.vrrpReport.createMany({ data: Array.from({ length: 12 }, (_, i) => ({ ...copy, node: "backlog", sentAt: hoursAgo(48 + i), receivedAt: hoursAgo(48 + i) })) });
    const backlog = () => db.vrrpReport.count({ where: { clusterId, node: "backlog" } });
    for (const left of [7, 2, 1, 1]) {
      await pruneVrrpData(db, NOW, undefined, 5);
      expect(await backlog()).toBe(left);
    }
    expect((await db.vrrpReport.findFirstOrThrow({ where: { clusterId, node: "backlog" } })).sentAt).toEqual(hoursAgo(48));
  });

  it("reads a node's last report however old it is, and its older ones only within the window", async () => {
    const days = (n: number) => new Date(NOW.getTime() - n * 24 * 3600_000);
    const { id: _id, ...copy } = await db.vrrpReport.findFirstOrThrow({ where: { clusterId, node: "ok-1" } });
    for (const [node, ago] of [["gone", 3], ["gone", 2], ["gone-long", 9]] as const) await db.vrrpReport.create({ data: { ...copy, node, sentAt: days(ago), receivedAt: days(ago) } });
    const obs = await loadVipObservations(db, clusterId, new Date(NOW.getTime() - 60_000));
    const sent = (node: string) => obs.reports.filter((r) => r.node === node).map((r) => r.sentAt);
    expect(sent("gone")).toEqual([days(2)]);
    expect(sent("gone-long")).toEqual([days(9)]);
    expect(sent("ok-1")).toEqual([NOW]);
  });
});

describe("readBoundedBody", () => {
  const stream = (chunks: number[]) =>
    new ReadableStream<Uint8Array>({
      start(c) {
        for (const n of chunks) c.enqueue(new Uint8Array(n));
        c.close();
      },
    });
  it("reads a body within the bound and stops at the first byte beyond it", async () => {
    expect(await readBoundedBody(stream([10, 20]), null)).toHaveLength(30);
    expect(await readBoundedBody(stream([MAX_BODY_BYTES, 1]), null)).toBe("too-large");
    expect(await readBoundedBody(stream([1]), String(MAX_BODY_BYTES + 1))).toBe("too-large");
  });
});
