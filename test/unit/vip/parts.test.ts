import { execSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { neutronFindings } from "@/lib/vip/neutron";
import { messageSchema, sign, signatureMatches } from "@/lib/vip/protocol";
import { oversightSummary } from "@/lib/vip/summary";
import { hasReloadDefect, parseKeepalivedVersion } from "@/lib/vip/version";
import { vipOfInstance } from "@/lib/domain";
import { clusterVipHealth } from "@/lib/vip/health";
import { API, INGRESS, NODES, at, settled } from "./fixtures";

describe("signatures", () => {
  const h = { clusterId: "c1", timestamp: "1795600000", nonce: "00112233445566778899aabbccddeeff" };
  const body = Buffer.from('{"v":1}');
  it("verify only with the same secret, headers and body", () => {
    const sig = sign("s3cret", h, body);
    expect(sig).toMatch(/^[0-9a-f]{64}$/);
    expect(signatureMatches("s3cret", h, body, sig)).toBe(true);
    expect(signatureMatches("other", h, body, sig)).toBe(false);
    expect(signatureMatches("s3cret", { ...h, clusterId: "c2" }, body, sig)).toBe(false);
    expect(signatureMatches("s3cret", { ...h, nonce: h.nonce.replace("0", "1") }, body, sig)).toBe(false);
    expect(signatureMatches("s3cret", h, Buffer.from('{"v":2}'), sig)).toBe(false);
    expect(signatureMatches("s3cret", h, body, "not-hex")).toBe(false);
  });
  it("match what the agent computes with openssl (the same bytes signed)", () => {
    const script = `printf 'v1\\n%s\\n%s\\n%s\\n%s' c1 ${h.timestamp} ${h.nonce} '{"v":1}' | openssl dgst -sha256 -hmac s3cret -r`;
    expect(execSync(script, { shell: "/bin/bash", encoding: "utf8" }).split(" ")[0]).toBe(sign("s3cret", h, body));
  });
  it("the message schema drops keepalived's password field", () => {
    const parsed = messageSchema.parse({
      v: 1, node: "m0", sentAt: 1795600000.5, keepalived: { running: true, version: null, startedAt: null }, transitions: [],
      snapshot: { instances: [{ data: { iname: "c1_API", vrid: 51, state: 2, base_priority: 40, effective_priority: 60, vipset: true, vips: [], auth_data: "pw" } }], addresses: [], configMtime: null },
    });
    expect(JSON.stringify(parsed)).not.toContain("auth_data");
  });
});

describe("keepalived versions", () => {
  it.each([
    ["Keepalived v2.2.7 (01/16,2022)", [2, 2, 7], false],
    ["Keepalived v2.0.10 (11/12,2018)", [2, 0, 10], true],
    ["2.1.4", [2, 1, 4], true],
    ["2.1.5", [2, 1, 5], false],
    ["Keepalived v1.3.5", [1, 3, 5], true],
  ] as const)("%s", (text, version, defect) => {
    const v = parseKeepalivedVersion(text);
    expect(v).toEqual(version);
    expect(hasReloadDefect(v as [number, number, number])).toBe(defect);
  });
  it("no version in the text: null", () => expect(parseKeepalivedVersion("keepalived")).toBeNull());
});

describe("instances name their VIP", () => {
  it.each([
    ["ocp1_API", "api"],
    ["ocp1_API_0", "api"],
    ["ocp1_INGRESS", "ingress"],
    ["ocp1_INGRESS_1", "ingress"],
    ["ocp1_DNS", null],
  ])("%s -> %s", (name, vip) => expect(vipOfInstance(name)).toBe(vip));
});

describe("Neutron consistency", () => {
  const port = (node: string, pairs: string[], portSecurityEnabled = true) => ({ node, portId: `p-${node}`, portSecurityEnabled, allowedAddressPairs: pairs });
  it("all in place: no findings", () => {
    const inv = { reservationPorts: [{ portId: "r", fixedIps: [API.address], bound: false }], masterPublicPorts: NODES.map((n) => port(n, [API.address])) };
    expect(neutronFindings(API, inv)).toEqual([]);
  });
  it("a bound reservation port, a missing pair, a CIDR pair, port security off", () => {
    const inv = {
      reservationPorts: [{ portId: "r", fixedIps: [API.address], bound: true }],
      masterPublicPorts: [port("m0", ["198.51.100.5/32"]), port("m1", ["198.51.100.0/24"]), port("m2", []), port("m3", [], false)],
    };
    expect(neutronFindings(API, inv)).toEqual([
      { code: "reservation-port-bound", portId: "r" },
      { code: "aap-not-single-address", node: "m1", portId: "p-m1" },
      { code: "aap-missing", node: "m2", portId: "p-m2" },
    ]);
  });
});

describe("oversight summary", () => {
  it("clusters worst first, with counts", () => {
    const good = clusterVipHealth({ vips: [API, INGRESS], nodes: NODES, ...settled(20), now: at(21) });
    const bad = clusterVipHealth({ vips: [API, INGRESS], nodes: NODES, transitions: [], reports: [], now: at(21) });
    const s = oversightSummary([
      { clusterId: "a", clusterName: "alpha", health: good },
      { clusterId: "b", clusterName: "beta", health: bad },
    ]);
    expect(s.counts).toEqual({ ok: 2, degraded: 0, down: 2 }); // per VIP, not per cluster
    expect(s.clusters.map((c) => [c.clusterName, c.status])).toEqual([["beta", "down"], ["alpha", "ok"]]);
    expect(s.clusters[1].vips[0]).toEqual({ vip: "api", status: "ok", holders: ["m0"], problems: [] });
    expect(s.clusters[0].vips[0].problems).toEqual(expect.arrayContaining(["no-holder", "node-silent"]));
  });
});
