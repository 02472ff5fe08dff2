import { createHmac, randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { nodeAgentKey } from "@/lib/vip/protocol";
import { LAB, NODE_NAMES } from "./lab/topology";
import { VIPS, healthSummary, isHealthy, kernelHolders, lab, labDb, labEnv, newApiHolder, probe, settledHealthyView, soleHolder, view, waitFor } from "./support";

// Real keepalived 2.2.7 + haproxy in network namespaces, configs rendered by Tripod's templates, Tripod's node
// agent on every node, Tripod's ingest in the client namespace. Assertions are invariants with generous bounds;
// which node wins an election is never asserted.

let db: Db;
let clusterId: string;
const API = VIPS[0];

const healthyView = () => settledHealthyView(db, clusterId, 40_000);

async function masterNotify(node: string, after: Date) {
  return db.vrrpTransition.findFirst({ where: { clusterId, node, instance: API.instance, state: "MASTER", at: { gte: after } }, orderBy: { at: "asc" } });
}

/**
 * Kills the API MASTER's keepalived; returns the victim, the new holder (the one left alone: two BACKUPs of equal
 * priority may both become MASTER for a moment, and keepalived keeps the one with the higher address), the latency
 * from the new holder's MASTER notify to Tripod first showing it as a holder, and how long that notify took to be
 * stored. If that fails, the victim's keepalived is started again before the error goes on: the next tests start
 * from a healthy lab, not from this one's failure.
 */
async function killApiMaster(signal: "TERM" | "KILL") {
  const before = await healthyView();
  const victim = soleHolder(before.value.api) as string;
  const t0 = new Date();
  lab("kill-ka", victim, signal);
  try {
    const { holder, shownAt } = await newApiHolder(db, clusterId, victim, 30_000);
    const notify = await masterNotify(holder, t0);
    expect(notify, "the new MASTER's notify is stored").not.toBeNull();
    const { at, receivedAt } = notify as { at: Date; receivedAt: Date };
    return { victim, holder, latencyMs: shownAt - at.getTime(), storedMs: receivedAt.getTime() - at.getTime() };
  } catch (error) {
    const seen = await view(db, clusterId).then(
      ({ api }) => `Tripod's view of the API VIP: ${JSON.stringify(healthSummary(api))}; its history: ${JSON.stringify(api.history.slice(-12))}`,
      (e: unknown) => `Tripod's view could not be read: ${String(e)}`,
    );
    lab("start-ka", victim);
    throw new Error(`${(error as Error).message}; ${seen}`);
  }
}

beforeAll(async () => {
  lab("down");
  lab("up");
  db = labDb();
  clusterId = labEnv().CLUSTER_ID;
}, 120_000);

afterAll(async () => {
  await db?.$disconnect();
  lab("down");
}, 60_000);

describe("VIP health on real keepalived", () => {
  it("shows exactly one API and one Ingress holder within 10 s of keepalived's start, no password stored", async () => {
    const started = Number(readFileSync(path.join(LAB.state, "keepalived-start"), "utf8")) * 1000;
    const { value: v, at } = await healthyView();
    expect(at - started).toBeLessThan(10_000);
    for (const h of Object.values(v)) expect(kernelHolders(h.address)).toEqual([h.holders[0].node]);
    const versions = await waitFor("every node's keepalived version", async () => {
      const api = (await view(db, clusterId)).api;
      return api.nodes.every((n) => n.keepalivedVersion) && api;
    }, 10_000);
    for (const n of versions.value.nodes) expect(n.keepalivedVersion).toMatch(/v2\.2\.7/);
    expect(versions.value.problems.map((p) => p.code)).not.toContain("keepalived-reload-defect");
    const authPass = /auth_pass (\S+)/.exec(readFileSync(path.join(LAB.state, NODE_NAMES[0], "root/etc/keepalived/keepalived.conf"), "utf8"))?.[1] as string;
    const reports = await db.vrrpReport.findMany({ where: { clusterId } });
    expect(reports.length).toBeGreaterThan(0);
    expect(reports.some((r) => r.snapshotJson.includes(authPass) || r.snapshotJson.includes("auth_data"))).toBe(false);
  }, 60_000);

  it("SIGTERM of the MASTER: the new holder is visible within 2 s of its MASTER notify", async () => {
    const r = await killApiMaster("TERM");
    try {
      expect(r.holder).not.toBe(r.victim);
      expect(r.latencyMs, `notify->stored ${r.storedMs} ms`).toBeLessThanOrEqual(2000);
      const v = await view(db, clusterId);
      expect(v.api.nodes.find((n) => n.node === r.victim)?.state).toBe("STOP");
    } finally {
      lab("start-ka", r.victim);
    }
    await healthyView();
  }, 90_000);

  it("SIGKILL of the MASTER: new holder within 2 s of its notify, the VIP left on the dead node is flagged stale", async () => {
    const r = await killApiMaster("KILL");
    try {
      expect(r.latencyMs, `notify->stored ${r.storedMs} ms`).toBeLessThanOrEqual(2000);
      expect(kernelHolders(API.address)).toContain(r.victim); // keepalived died without removing it
      const stale = await waitFor("stale VIP flagged", async () => (await view(db, clusterId)).api.staleVips.find((s) => s.node === r.victim), 10_000);
      expect(stale.value.reason).toBe("keepalived-not-running");
    } finally {
      lab("start-ka", r.victim); // keepalived removes stale VIPs when it starts
    }
    const healed = await healthyView();
    expect(healed.value.api.staleVips).toEqual([]);
  }, 90_000);

  it("link down on the MASTER: its FAULT reaches Tripod after the link comes back (journal + retry)", async () => {
    const before = await healthyView();
    const victim = soleHolder(before.value.api) as string;
    const tDown = new Date();
    lab("link", victim, "down");
    const faultWhere = { clusterId, node: victim, instance: API.instance, state: "FAULT", at: { gte: tDown } };
    let tUp: Date;
    try {
      await waitFor("another API holder", async () => {
        const h = (await view(db, clusterId)).api.holders.find((x) => x.fresh);
        return h && h.node !== victim;
      }, 20_000);
      expect(await db.vrrpTransition.count({ where: faultWhere }), "nothing can arrive while the link is down").toBe(0);
    } finally {
      tUp = new Date();
      lab("link", victim, "up");
    }
    const fault = await waitFor("the FAULT transition", () => db.vrrpTransition.findFirst({ where: faultWhere }), 20_000);
    expect(fault.value.at.getTime()).toBeLessThan(tUp.getTime());
    expect(fault.value.receivedAt.getTime()).toBeGreaterThanOrEqual(tUp.getTime());
    await healthyView();
  }, 90_000);

  it("full isolation of one node: split brain reported while it lasts, cleared after the heal", async () => {
    const before = await healthyView();
    const victim = soleHolder(before.value.api) as string;
    const tIso = new Date();
    lab("isolate", victim, "on");
    try {
      const during = await waitFor("split brain reported", async () => (await view(db, clusterId)).api.splitBrain, 20_000);
      expect(during.value.masters).toContain(victim);
      expect(during.value.masters.length).toBeGreaterThanOrEqual(2);
      // it stays reported while the partition lasts
      await new Promise((r) => setTimeout(r, 2000));
      expect((await view(db, clusterId)).api.splitBrain).not.toBeNull();
    } finally {
      lab("isolate", victim, "off");
    }
    const after = await waitFor("split brain cleared", async () => {
      const v = await view(db, clusterId);
      return isHealthy(v) && v;
    }, 40_000);
    expect(after.value.api.splitBrain).toBeNull();
    // the isolated node's journal arrived late: the episode is in the history, confirmed by both sides' reports
    const episode = after.value.api.splitBrainEpisodes.find((e) => e.from >= tIso && e.nodes.includes(victim));
    expect(episode, JSON.stringify(after.value.api.splitBrainEpisodes)).toBeDefined();
    expect((episode as { durationMs: number }).durationMs).toBeGreaterThan(1000);
  }, 120_000);

  it("a VIP that does not answer is reported unreachable although every keepalived says all is well", async () => {
    await healthyView();
    lab("blackhole", API.address, "on"); // the client's ARP entry points at a MAC nobody has (stale ARP, REPORT §8.2)
    try {
      const v = await view(db, clusterId, probe());
      expect(isHealthy(v), JSON.stringify({ api: healthSummary(v.api), ingress: healthSummary(v.ingress) })).toBe(true);
      expect(v.api.reachability.verdict).toBe("unreachable");
      expect(v.api.problems.map((p) => p.code)).toContain("unreachable-while-vrrp-healthy");
      expect(v.api.status).toBe("down");
      expect(v.ingress.reachability.verdict).toBe("reachable");
    } finally {
      lab("blackhole", API.address, "off");
    }
    const v = await view(db, clusterId, probe());
    expect(v.api.reachability.verdict).toBe("reachable");
  }, 60_000);

  it("forged, replayed and oversized payloads are rejected and store nothing", async () => {
    const node = "x-test";
    const secret = nodeAgentKey(labEnv().AGENT_SECRET, node); // the key this node's Ignition would carry
    const body = (pad = "") =>
      JSON.stringify({
        v: 1, node, sentAt: Date.now() / 1000, keepalived: { running: true, version: "Keepalived v2.2.7", startedAt: null },
        transitions: [{ at: Date.now() / 1000, instance: API.instance, state: "MASTER", priority: 60 }],
        snapshot: { instances: [], addresses: [pad], configMtime: null },
      });
    const post = (payload: string, key: string, headers?: string[]) => {
      const ts = String(Math.floor(Date.now() / 1000));
      const nonce = randomBytes(16).toString("hex");
      const sig = createHmac("sha256", key).update(`v1\n${clusterId}\n${ts}\n${nonce}\n${payload}`).digest("hex");
      const h = headers ?? [`x-tripod-cluster: ${clusterId}`, `x-tripod-timestamp: ${ts}`, `x-tripod-nonce: ${nonce}`, `x-tripod-signature: ${sig}`];
      const file = path.join(LAB.state, "payload.json");
      writeFileSync(file, payload);
      const code = lab("client", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", ...h.flatMap((x) => ["-H", x]),
        "--data-binary", `@${file}`, `http://${LAB.clientIp}:${LAB.ingestPort}/api/vrrp/ingest`);
      return { code: Number(code), headers: h, nonce };
    };
    const stored = async () => ({
      transitions: await db.vrrpTransition.count({ where: { clusterId, node } }),
      reports: await db.vrrpReport.count({ where: { clusterId, node } }),
      nonces: await db.vrrpNonce.count({ where: { clusterId, node } }),
    });
    const none = { transitions: 0, reports: 0, nonces: 0 };

    expect(post(body(), "not-the-cluster-secret").code).toBe(401);
    expect(await stored()).toEqual(none);
    expect(post(body("x".repeat(70 * 1024)), secret).code).toBe(413);
    expect(await stored()).toEqual(none);

    const payload = body();
    const accepted = post(payload, secret);
    expect(accepted.code).toBe(202);
    const once = await stored();
    expect(once).toEqual({ transitions: 1, reports: 1, nonces: 1 });
    expect(post(payload, secret, accepted.headers).code).toBe(409); // the same signed request again
    expect(await stored()).toEqual(once);
  }, 30_000);
});
