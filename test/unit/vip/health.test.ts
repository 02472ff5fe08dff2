import { describe, expect, it } from "vitest";
import { clusterVipHealth, vipHealth, type ProbeResult, type VipHealthInput } from "@/lib/vip/health";
import { API, INGRESS, NODES, at, report, settled, transition } from "./fixtures";

const input = (over: Partial<VipHealthInput> & Pick<VipHealthInput, "now">): VipHealthInput => ({
  vips: [API, INGRESS],
  nodes: NODES,
  transitions: [],
  reports: [],
  ...over,
});
const codes = (h: { problems: { code: string }[] }) => h.problems.map((p) => p.code);
const probe = (vip: "api" | "ingress", check: string, ok: boolean): ProbeResult => ({ vip, check, ok, latencyMs: 3, error: ok ? null : "timeout", at: at(30) });

describe("vipHealth", () => {
  it("a settled cluster: one fresh holder per VIP, every node's state and report time, status ok", () => {
    const [api, ingress] = clusterVipHealth(input({ ...settled(20), now: at(21) }));
    for (const h of [api, ingress]) {
      expect(h.holders).toEqual([{ node: "m0", fresh: true, since: at(1) }]);
      expect(h.status).toBe("ok");
      expect(h.problems).toEqual([]);
    }
    expect(api.nodes.map((n) => [n.node, n.state, n.vipConfigured])).toEqual([
      ["m0", "MASTER", true],
      ["m1", "BACKUP", false],
      ["m2", "BACKUP", false],
    ]);
    expect(api.nodes[1].lastReportAt).toEqual(at(20.1));
  });

  it("nodes that never reported are unknown, and with no MASTER anywhere there is no holder", () => {
    const h = vipHealth(API, input({ now: at(5) }));
    expect(h.nodes.map((n) => n.state)).toEqual(["unknown", "unknown", "unknown"]);
    expect(h.holders).toEqual([]);
    expect(codes(h)).toContain("no-holder");
    expect(h.status).toBe("down");
  });

  it("a graceful stop: the STOP and the new MASTER move the holder", () => {
    const s = settled(20);
    const h = vipHealth(API, input({ ...s, transitions: [...s.transitions, transition("m0", "STOP", 21), transition("m1", "MASTER", 21.75)], now: at(22) }));
    expect(h.holders.map((x) => x.node)).toEqual(["m1"]);
    expect(h.nodes.find((n) => n.node === "m0")?.state).toBe("STOP");
    expect(h.history.map((e) => `${e.node} ${e.state}`)).toEqual(["m0 MASTER", "m1 BACKUP", "m2 BACKUP", "m0 STOP", "m1 MASTER"]);
  });

  it("two MASTERs for less than the race window are a race, not split brain; beyond it, split brain", () => {
    const s = settled(20);
    const transitions = [...s.transitions, transition("m0", "STOP", 20.5), transition("m1", "MASTER", 21), transition("m2", "MASTER", 21.004), transition("m1", "BACKUP", 21.012)];
    const raced = vipHealth(API, input({ ...s, transitions, now: at(25) }));
    expect(raced.splitBrain).toBeNull();
    expect(raced.races.length).toBe(1);
    expect(raced.splitBrainEpisodes).toEqual([]);

    const both = [...s.transitions, transition("m1", "MASTER", 21)];
    expect(vipHealth(API, input({ ...s, transitions: both, now: at(21.5) })).splitBrain).toBeNull(); // still within the window
    const split = vipHealth(API, input({ ...s, reports: s.reports.map((r) => ({ ...r, receivedAt: at(24) })), transitions: both, now: at(24) }));
    expect(split.splitBrain).toMatchObject({ evidence: "reports", masters: ["m0", "m1"], since: at(21) });
    expect(codes(split)).toContain("split-brain");
    expect(split.splitBrainEpisodes).toMatchObject([{ from: at(21), to: null, nodes: ["m0", "m1"] }]);
  });

  it("a MASTER that went silent while another took over: split brain suspected; its late journal confirms it in the history", () => {
    const s = settled(20);
    const others = [report("m1", 40, { states: { [API.instance]: "MASTER" }, vips: [API.address] }), report("m2", 40, { states: { [API.instance]: "BACKUP" } })];
    const settings = { silentAfterMs: 10_000 };
    const during = vipHealth(API, input({ transitions: [...s.transitions, transition("m1", "MASTER", 24)], reports: [...s.reports, ...others], now: at(41), settings }));
    expect(during.nodes.find((n) => n.node === "m0")).toMatchObject({ state: "unknown", lastKnownState: "MASTER" });
    expect(during.holders).toEqual([
      { node: "m0", fresh: false, since: at(1) },
      { node: "m1", fresh: true, since: at(24) },
    ]);
    expect(during.splitBrain).toMatchObject({ evidence: "silent-master", masters: ["m0", "m1"] });
    expect(codes(during)).toEqual(expect.arrayContaining(["split-brain-suspected", "node-silent"]));

    // the partition heals: m0's journal arrives (it stayed MASTER, then yielded), and it reports again
    const healed = vipHealth(API, input({
      transitions: [...s.transitions, transition("m1", "MASTER", 24), transition("m0", "BACKUP", 45, { receivedS: 46 })],
      reports: [...s.reports, ...others, report("m0", 46, { states: { [API.instance]: "BACKUP" } })],
      now: at(47),
      settings,
    }));
    expect(healed.splitBrain).toBeNull();
    expect(healed.holders.map((h) => h.node)).toEqual(["m1"]);
    expect(healed.splitBrainEpisodes).toMatchObject([{ from: at(24), to: at(45), nodes: ["m0", "m1"], durationMs: 21_000 }]);
  });

  it("a VIP left configured by a keepalived that is not running is stale; a crashed MASTER is no holder", () => {
    const s = settled(20);
    const crashed = report("m0", 22, { running: false, vips: [API.address] });
    const h = vipHealth(API, input({ transitions: [...s.transitions, transition("m1", "MASTER", 24)], reports: [...s.reports, crashed], now: at(25) }));
    expect(h.holders.map((x) => x.node)).toEqual(["m1"]);
    expect(h.nodes.find((n) => n.node === "m0")).toMatchObject({ state: "STOP", keepalivedRunning: false, vipConfigured: true });
    expect(h.staleVips).toEqual([{ node: "m0", reason: "keepalived-not-running" }]);
    expect(codes(h)).toContain("stale-vip");
  });

  it("a VIP still configured on a BACKUP after the grace time is stale; during a hand-over it is not", () => {
    const s = settled(20);
    const transitions = [...s.transitions, transition("m0", "BACKUP", 30)];
    const sameMoment = report("m0", 30.5, { states: { [API.instance]: "BACKUP" }, vips: [API.address] });
    expect(vipHealth(API, input({ transitions, reports: [...s.reports, sameMoment], now: at(31) })).staleVips).toEqual([]);
    const later = report("m0", 33, { states: { [API.instance]: "BACKUP" }, vips: [API.address] });
    expect(vipHealth(API, input({ transitions, reports: [...s.reports, later], now: at(33.5) })).staleVips).toEqual([{ node: "m0", reason: "not-master" }]);
  });

  it("flapping: MASTER moving back and forth within the window", () => {
    const s = settled(100);
    const moves = [10, 20, 30, 40].map((t, i) => transition(i % 2 ? "m0" : "m1", "MASTER", t));
    const h = vipHealth(API, input({ ...s, transitions: [...s.transitions, ...moves], now: at(101) }));
    expect(h.flapping).toEqual({ masterTransitions: 5, windowMs: 600_000 });
    expect(vipHealth(API, input({ ...s, now: at(101) })).flapping).toBeNull();
  });

  it("unreachable while every keepalived is fine is its own problem; partial reachability is a warning", () => {
    const s = settled(20);
    const down = vipHealth(API, input({ ...s, probes: [probe("api", "tcp:6443", false), probe("api", "https:6443/readyz", false)], now: at(21) }));
    expect(down.reachability.verdict).toBe("unreachable");
    expect(codes(down)).toEqual(["unreachable-while-vrrp-healthy"]);
    expect(down.status).toBe("down");
    const partial = vipHealth(INGRESS, input({ ...s, probes: [probe("ingress", "tcp:80", true), probe("ingress", "tcp:443", false)], now: at(21) }));
    expect(partial.reachability.verdict).toBe("partial");
    expect(partial.status).toBe("degraded");
  });

  it("keepalived older than 2.1.5 is flagged with the reload defect", () => {
    const s = settled(20);
    const reports = s.reports.map((r) => (r.node === "m2" ? { ...r, keepalivedVersion: "Keepalived v2.0.10 (11/12,2018)" } : r));
    const h = vipHealth(API, input({ ...s, reports, now: at(21) }));
    expect(h.problems.filter((p) => p.code === "keepalived-reload-defect")).toEqual([
      { code: "keepalived-reload-defect", severity: "warning", node: "m2", detail: "Keepalived v2.0.10 (11/12,2018)" },
    ]);
  });

  it("transitions right after a keepalived.conf change on that node are reload-time transitions", () => {
    const s = settled(60);
    const reports = [...s.reports, report("m0", 52, { states: { [API.instance]: "BACKUP" }, configMtimeS: 50 })];
    const transitions = [...s.transitions, transition("m0", "BACKUP", 51), transition("m0", "MASTER", 54.5), transition("m1", "MASTER", 51.2), transition("m1", "BACKUP", 54.6)];
    const h = vipHealth(API, input({ transitions, reports, now: at(61) }));
    expect(h.history.filter((e) => e.reloadTime).map((e) => `${e.node} ${e.state}`)).toEqual(["m0 BACKUP", "m0 MASTER"]);
    expect(h.problems.filter((p) => p.code === "reload-time-transition")).toEqual([{ code: "reload-time-transition", severity: "warning", node: "m0", detail: "BACKUP" }]);
  });

  it("a config that predates keepalived's start is no reload", () => {
    const s = settled(60);
    const reports = [...s.reports, report("m0", 52, { states: { [API.instance]: "MASTER" }, configMtimeS: 49, startedS: 50 })];
    const h = vipHealth(API, input({ transitions: [...s.transitions, transition("m0", "BACKUP", 51)], reports, now: at(61) }));
    expect(h.history.some((e) => e.reloadTime)).toBe(false);
  });

  it("Neutron findings become problems", () => {
    const s = settled(20);
    const neutron = {
      reservationPorts: [],
      masterPublicPorts: [{ node: "m0", portId: "p0", portSecurityEnabled: true, allowedAddressPairs: [] }],
    };
    const h = vipHealth(API, input({ ...s, neutron, now: at(21) }));
    expect(h.neutron).toEqual([{ code: "reservation-port-missing" }, { code: "aap-missing", node: "m0", portId: "p0" }]);
    expect(codes(h)).toEqual(["neutron", "neutron"]);
  });

  it("the timeline holds each node's state segments in the window, unknown after a node went silent", () => {
    const s = settled(20);
    const h = vipHealth(API, input({ ...s, reports: s.reports.filter((r) => r.node !== "m2"), now: at(25), settings: { silentAfterMs: 10_000 } }));
    const m2 = h.timeline.nodes.find((n) => n.node === "m2");
    expect(m2?.segments).toEqual([
      { state: "BACKUP", from: at(1), to: at(1) },
      { state: "unknown", from: at(1), to: null },
    ]);
    expect(h.timeline.nodes.find((n) => n.node === "m0")?.segments).toEqual([{ state: "MASTER", from: at(1), to: null }]);
  });
});

describe("notify scripts run out of order", () => {
  it("a snapshot's own last_transition overrules a notify dated inside its span with another state", () => {
    const s = settled(20);
    // m1 took over and yielded at once; its MASTER script ran after its BACKUP script
    const transitions = [...s.transitions, transition("m1", "BACKUP", 30.414), transition("m1", "MASTER", 30.434)];
    const before = vipHealth(API, input({ ...s, transitions, now: at(31) }));
    expect(before.holders.map((h) => h.node)).toEqual(["m0", "m1"]);
    const snap = report("m1", 32, { states: { [API.instance]: "BACKUP" } });
    const reports = [...s.reports, { ...snap, instances: snap.instances.map((i) => ({ ...i, lastTransition: at(30.41) })) }];
    const after = vipHealth(API, input({ transitions, reports, now: at(32.5) }));
    expect(after.holders.map((h) => h.node)).toEqual(["m0"]);
    expect(after.nodes.find((n) => n.node === "m1")?.state).toBe("BACKUP");
  });
});
