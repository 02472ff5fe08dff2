import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKey, sealSecret, parseKey } from "@/lib/crypto/seal";
import { nodeAgentKey } from "@/lib/vip/protocol";
import { agentRequest } from "@/test/support/agent-message";
import { loadClusterVipHealth, loadClusterVipPanels, vipsOfCluster } from "@/lib/vip/panel";
import { DEFAULT_SETTINGS } from "@/lib/vip/health";
import { summaryAsOf } from "@/lib/vip/summary";
import { makeProjectWithCluster, makeUser, testDb } from "@/test/support/db";

// The ingest route handler end to end (Request in, Response out, rows in the unit database), then the cluster
// page's VIP panel and the oversight summary read back from those rows.
const db = testDb();
const secret = randomBytes(32).toString("hex");
const key = generateKey();
let clusterId: string;
let clusterName: string;
let POST: (r: Request) => Promise<Response>;

function request(body: string, signWith = nodeAgentKey(secret, (JSON.parse(body) as { node: string }).node)): Request {
  return agentRequest({ clusterId, key: signWith, body: Buffer.from(body) });
}

const message = (node: string, state: "MASTER" | "BACKUP", atS: number) =>
  JSON.stringify({
    v: 1, node, sentAt: atS + 0.5, keepalived: { running: true, version: "Keepalived v2.2.7 (01/16,2022)", startedAt: atS - 60 },
    transitions: [{ at: atS, instance: `${clusterName}_API`, state, priority: 68 }],
    snapshot: { instances: [], addresses: state === "MASTER" ? ["198.51.100.5/32"] : [], configMtime: null },
  });

beforeAll(async () => {
  process.env.TRIPOD_SECRET_KEY = key;
  ({ POST } = await import("@/app/api/vrrp/ingest/route"));
  const user = await makeUser(db);
  const { cluster } = await makeProjectWithCluster(db, user.id);
  const spec = { networks: { public: { apiVip: "198.51.100.5", ingressVip: "198.51.100.7" } } };
  await db.cluster.update({ where: { id: cluster.id }, data: { vrrpSecretSealed: sealSecret(secret, parseKey(key)), specJson: JSON.stringify(spec) } });
  clusterId = cluster.id;
  clusterName = cluster.name;
});
afterAll(() => db.$disconnect());

describe("POST /api/vrrp/ingest", () => {
  it("accepts a signed message (202) and refuses a forged one (401) without storing it", async () => {
    const now = Date.now() / 1000;
    const ok = await POST(request(message("master-0", "MASTER", now - 5)));
    expect(ok.status).toBe(202);
    expect(await ok.json()).toEqual({ transitionsStored: 1, transitionsAlreadyKnown: 0, reportStored: true });
    const forged = await POST(request(message("master-1", "MASTER", now - 4), "guessed"));
    expect(forged.status).toBe(401);
    expect(await forged.json()).toEqual({ error: "bad-signature" });
    expect(await db.vrrpTransition.count({ where: { clusterId, node: "master-1" } })).toBe(0);
    for (const n of ["master-1", "master-2"]) expect((await POST(request(message(n, "BACKUP", now - 4)))).status).toBe(202);
  });
});

describe("the VIP panel and the oversight summary", () => {
  it("name the cluster's VIPs from its spec", () => {
    expect(vipsOfCluster({ name: "c1", specJson: JSON.stringify({ networks: { public: { apiVip: "10.0.0.5", ingressVip: "10.0.0.7" } } }) })).toEqual([
      { name: "api", instance: "c1_API", address: "10.0.0.5" },
      { name: "ingress", instance: "c1_INGRESS", address: "10.0.0.7" },
    ]);
  });

  it("show the holder, every node, and chart bars inside the window as plain JSON", async () => {
    const cluster = await db.cluster.findUniqueOrThrow({ where: { id: clusterId }, select: { id: true, name: true, specJson: true } });
    const panels = await loadClusterVipPanels(db, cluster, { windowMs: 10 * 60_000 });
    const api = panels?.find((p) => p.vip === "api");
    expect(api?.holders.map((h) => h.node)).toEqual(["master-0"]);
    expect(api?.nodes.map((n) => [n.node, n.state, n.vipConfigured])).toEqual([
      ["master-0", "MASTER", true],
      ["master-1", "BACKUP", false],
      ["master-2", "BACKUP", false],
    ]);
    expect(typeof api?.nodes[0].lastReportAt).toBe("string");
    for (const row of api?.chart.rows ?? []) {
      for (const bar of row.bars) {
        expect(bar.start).toBeGreaterThanOrEqual(0);
        expect(bar.end).toBeLessThanOrEqual(1);
        expect(bar.start).toBeLessThanOrEqual(bar.end);
      }
    }
    expect(JSON.parse(JSON.stringify(panels))).toEqual(panels);
    expect(await loadClusterVipHealth(db, "no-such-cluster")).toBeNull();
  });

  it("the ingest keeps the cluster's summary row: the oversight line with its VIPs' status", async () => {
    const row = await db.clusterHealth.findUniqueOrThrow({ where: { clusterId } });
    expect(row.vipStatus).toBe("down");
    const s = summaryAsOf({ clusterId, clusterName, vipJson: row.vipJson!, vipHeardAt: row.vipHeardAt }, new Date());
    expect(s.vips.find((v) => v.vip === "api")).toMatchObject({ status: "ok", holders: ["master-0"] });
    expect(s.vips.find((v) => v.vip === "ingress")).toMatchObject({ status: "down", problems: ["no-holder"] });
    // nothing heard for longer than the silence threshold: degraded at read time, without any write
    const later = summaryAsOf({ clusterId, clusterName, vipJson: row.vipJson!, vipHeardAt: row.vipHeardAt }, new Date(Date.now() + DEFAULT_SETTINGS.silentAfterMs + 5000));
    expect(later.vips.find((v) => v.vip === "api")).toMatchObject({ status: "degraded", problems: ["node-silent"] });
  });
});
