import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backendStatus, calls, corefileAnswer, failedSeconds, faultOnHolder, holderOf, servedAgain, service, startClient, startDetector } from "./api-lab";
import { LAB } from "./lab/topology";
import { lab, labDb, waitFor } from "./support";

// The API path on real daemons (lab.sh in api mode): the bootstrap and three masters, each with a TLS stand-in of
// the kube-apiserver on :6443; on the masters the rendered haproxy, keepalived and redirect monitor
// (tripod-api-redirect); a client calling https://<API VIP>:6443/readyz ten times a second throughout. Bounds are
// generous (10 s); the tight figures, old design against new, are printed by test/bench/api-vip.ts.

process.env.TVLAB_MODE = "api";
const api = LAB.apiVip;
const masters = ["master-0", "master-1", "master-2"];
const clusterNic = (node: string) => (node === "bootstrap" ? "ens4" : "br-ex");

beforeAll(() => {
  lab("down");
  lab("up");
  startClient();
}, 180_000);

afterAll(() => {
  lab("down");
}, 60_000);

describe("API VIP on the API path (haproxy, redirect monitor, bootstrap hand-off)", () => {
  it("api-int resolves through the rendered CoreDNS config to the internal VIP, which answers on the Cluster network", async () => {
    for (const node of ["bootstrap", ...masters]) {
      const corefile = readFileSync(path.join(LAB.state, node, "root/etc/kubernetes/static-pod-resources/coredns/Corefile"), "utf8");
      expect(corefileAnswer(corefile, `api-int.${LAB.clusterName}.${LAB.baseDomain}.`), node).toBe(LAB.apiIntVip);
      expect(corefileAnswer(corefile, `api.${LAB.clusterName}.${LAB.baseDomain}.`), node).toBe(LAB.apiVip);
    }
    // While its API is ready the bootstrap holds the internal VIP too (70 above any master), on its Cluster NIC.
    await waitFor("the bootstrap holds the internal VIP on its Cluster NIC", async () =>
      holderOf(LAB.apiIntVip) === "bootstrap" && lab("node", "bootstrap", "ip", "-4", "-o", "addr", "show", "dev", clusterNic("bootstrap")).includes(` ${LAB.apiIntVip}/32 `), 30_000);
    expect(lab("client", "ip", "route", "get", LAB.apiIntVip)).toContain("dev eth1"); // the client's Cluster leg
    const answer = lab("client", "curl", "-sf", "-m", "2", "--cacert", path.join(LAB.state, "pki/ca.crt"),
      "--resolve", `api-int.${LAB.clusterName}.${LAB.baseDomain}:6443:${LAB.apiIntVip}`, `https://api-int.${LAB.clusterName}.${LAB.baseDomain}:6443/readyz`);
    expect(answer).toBe("ok");
    // The nodes' agents report the internal VIP's instance like the others, and Tripod's ingest stores it.
    const db = labDb();
    try {
      await waitFor("API_INT transitions stored", async () => (await db.vrrpTransition.count({ where: { instance: `${LAB.clusterName}_API_INT`, vip: "api-int" } })) > 0, 30_000);
    } finally {
      await db.$disconnect();
    }
  }, 60_000);

  it("bootstrap's API stops: the API VIP is on a master within 10 s; bootstrap-complete detection fires within 10 s", async () => {
    await waitFor("the bootstrap holds the API VIP (priority 70 while its API is ready)", async () => holderOf(api) === "bootstrap", 30_000);
    await servedAgain(Date.now() - 3000, 20);
    const detector = startDetector();
    try {
      await detector.watching; // listed, not complete, now watching
      const t0 = Date.now();
      service("stop", "bootstrap", "api");
      const moved = await waitFor("a master holds the API VIP", async () => {
        const h = holderOf(api);
        return h !== null && h !== "bootstrap" && h;
      }, 10_000, 50);
      expect(masters).toContain(moved.value);
      await waitFor("a master holds the internal VIP, on br-ex", async () => {
        const h = holderOf(LAB.apiIntVip);
        return h !== null && h !== "bootstrap" && lab("node", h, "ip", "-4", "-o", "addr", "show", "dev", "br-ex").includes(` ${LAB.apiIntVip}/32 `);
      }, 10_000, 50);
      await servedAgain(t0);
      expect(failedSeconds(t0, Date.now())).toBeLessThan(10);

      const tComplete = Date.now();
      lab("phase", "complete");
      const fired = await detector.fired;
      expect(fired.at - tComplete).toBeLessThan(10_000);
      expect(fired.endpoint).toMatch(/^master-\d \(Cluster network\)$/);
    } finally {
      detector.process.kill();
    }
  }, 90_000);

  it("the VIP holder's API server stops: the client keeps its answers through haproxy, the VIP stays", async () => {
    const { victim, t0 } = await faultOnHolder("api");
    try {
      await waitFor("haproxy on the holder marks its own API down", async () => backendStatus(victim, victim)?.startsWith("DOWN"), 10_000);
      const served = await servedAgain(t0);
      expect(failedSeconds(t0, Date.now())).toBeLessThan(10);
      expect(holderOf(api)).toBe(victim); // its haproxy balances to the other masters
      expect(calls().filter((c) => c.start >= served.value).every((c) => c.ok)).toBe(true);
    } finally {
      service("start", victim, "api");
    }
    await waitFor("the API back in every haproxy", async () => masters.every((m) => backendStatus(m, victim) === "UP"), 20_000);
  }, 90_000);

  it("the VIP holder's haproxy dies: its redirect is removed and the VIP moves to a master whose haproxy works", async () => {
    const { victim, t0 } = await faultOnHolder("haproxy");
    try {
      await waitFor("the redirect table is gone from the victim", async () => !lab("node", victim, "nft", "list", "tables").includes("tripod_api"), 10_000);
      const moved = await waitFor("another master holds the API VIP", async () => {
        const h = holderOf(api);
        return h !== null && h !== victim && h;
      }, 20_000, 50);
      expect(masters).toContain(moved.value);
      await servedAgain(t0);
      expect(failedSeconds(t0, Date.now())).toBeLessThan(10);
    } finally {
      service("start", victim, "haproxy");
    }
    await waitFor("the victim's redirect is back", async () => lab("node", victim, "nft", "list", "tables").includes("tripod_api"), 20_000);
  }, 90_000);

  it("the redirect monitor removes its table when stopped", async () => {
    const node = masters[0];
    expect(lab("node", node, "nft", "list", "tables")).toContain("table ip tripod_api");
    service("stop", node, "monitor");
    try {
      expect(lab("node", node, "nft", "list", "tables")).not.toContain("tripod_api");
    } finally {
      service("start", node, "monitor");
    }
    await waitFor("the redirect is back", async () => lab("node", node, "nft", "list", "tables").includes("tripod_api"), 10_000);
  }, 30_000);
});
