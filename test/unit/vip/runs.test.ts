import { describe, expect, it } from "vitest";
import { clusterVipHealth, DEFAULT_SETTINGS } from "@/lib/vip/health";
import { continuesRun, type NodeReport, type TransitionObservation } from "@/lib/vip/observations";
import type { VrrpState } from "@/lib/vip/protocol";
import { API, INGRESS, NODES, at, report, transition } from "./fixtures";

// Runs of snapshots (lib/vip/observations.ts continuesRun): what the ingest rolls up into one row, and that the VIP
// health read from the runs is the health read from every snapshot.

const GAP = DEFAULT_SETTINGS.silentAfterMs;

/** A snapshot of `node` at second s: both VIPs in `state`, dated by keepalived's last transition at second `since`. */
function snapshot(node: string, s: number, state: VrrpState, since: number): NodeReport {
  const r = report(node, s, { states: { [API.instance]: state, [INGRESS.instance]: state }, vips: state === "MASTER" ? [API.address, INGRESS.address] : [] });
  return { ...r, instances: r.instances.map((i) => ({ ...i, lastTransition: at(since) })) };
}

/** What the ingest keeps, as values: a snapshot that continues its node's last run takes that run's place. */
function rolledUp(snapshots: NodeReport[]): NodeReport[] {
  const rows: NodeReport[] = [];
  for (const next of snapshots) {
    const i = rows.findLastIndex((r) => r.node === next.node);
    if (i >= 0 && continuesRun(rows[i], next, GAP)) rows[i] = next;
    else rows.push(next);
  }
  return rows;
}

describe("continuesRun", () => {
  const last = snapshot("m0", 100, "MASTER", 1);
  it("continues with the same content within the silence threshold", () => {
    expect(continuesRun(last, snapshot("m0", 110, "MASTER", 1), GAP)).toBe(true);
    expect(continuesRun(last, snapshot("m0", 100 + GAP / 1000, "MASTER", 1), GAP)).toBe(true);
  });
  it("does not continue with anything else said, late or after a silence", () => {
    expect(continuesRun(last, snapshot("m0", 110, "BACKUP", 105), GAP), "another state").toBe(false);
    expect(continuesRun(last, snapshot("m0", 110, "MASTER", 105), GAP), "another transition time").toBe(false);
    expect(continuesRun(last, { ...snapshot("m0", 110, "MASTER", 1), addresses: ["10.0.0.10/24"] }, GAP), "other addresses").toBe(false);
    expect(continuesRun(last, { ...snapshot("m0", 110, "MASTER", 1), keepalivedVersion: "Keepalived v2.2.8" }, GAP), "another version").toBe(false);
    expect(continuesRun(last, { ...snapshot("m0", 110, "MASTER", 1), configMtime: at(105) }, GAP), "a reloaded config").toBe(false);
    expect(continuesRun(last, snapshot("m1", 110, "MASTER", 1), GAP), "another node").toBe(false);
    expect(continuesRun(last, snapshot("m0", 90, "MASTER", 1), GAP), "older: a late journal").toBe(false);
    expect(continuesRun(last, snapshot("m0", 100, "MASTER", 1), GAP), "the same send time").toBe(false);
    expect(continuesRun(last, snapshot("m0", 100.001 + GAP / 1000, "MASTER", 1), GAP), "after a silence").toBe(false);
  });
  it("does not continue what does not date its states", () => {
    const stopped = { ...report("m0", 100, { running: false }), instances: [] };
    expect(continuesRun(stopped, { ...stopped, sentAt: at(110), receivedAt: at(110.1) }, GAP), "a stopped keepalived").toBe(false);
    const undated = report("m0", 100, { states: { [API.instance]: "MASTER" } });
    expect(continuesRun(undated, report("m0", 110, { states: { [API.instance]: "MASTER" } }), GAP), "no last transition").toBe(false);
  });
});

describe("the VIP health from runs", () => {
  it("is the health from every snapshot: an hour of three nodes every 10 s, a fail-over, a stop, notifies out of order", () => {
    const snapshots: NodeReport[] = [];
    const transitions: TransitionObservation[] = [];
    // m0 MASTER since second 1, m1 and m2 BACKUP; at 1,800 s m0's keepalived stops and m1 takes over, m0 comes back
    // as BACKUP at 1,900 s; m2's agent is silent from 2,400 to 2,500 s; a BACKUP notify of m1 dated 2,000 s, inside
    // the span of its MASTER snapshots (a notify out of order: the snapshots settle it).
    for (let s = 10; s <= 3600; s += 10) {
      snapshots.push(s < 1800 ? snapshot("m0", s, "MASTER", 1) : s < 1900 ? { ...report("m0", s, { running: false }), instances: [] } : snapshot("m0", s, "BACKUP", 1900));
      snapshots.push(s < 1800 ? snapshot("m1", s + 1, "BACKUP", 1) : snapshot("m1", s + 1, "MASTER", 1800.5));
      if (s < 2400 || s > 2500) snapshots.push(snapshot("m2", s + 2, "BACKUP", 1));
    }
    for (const v of [API, INGRESS]) {
      transitions.push(transition("m0", "MASTER", 1, { instance: v.instance }), transition("m1", "BACKUP", 1, { instance: v.instance }), transition("m2", "BACKUP", 1, { instance: v.instance }));
      transitions.push(transition("m0", "STOP", 1800, { instance: v.instance }), transition("m1", "MASTER", 1800.5, { instance: v.instance }));
      transitions.push(transition("m0", "BACKUP", 1900, { instance: v.instance }), transition("m1", "BACKUP", 2000, { instance: v.instance }));
    }
    const runs = rolledUp(snapshots);
    expect(snapshots).toHaveLength(1069);
    // m0: its MASTER run, ten stopped snapshots, its BACKUP run; m1: two runs; m2: two runs around its silence
    expect(runs).toHaveLength(16);
    expect(runs.filter((r) => r.node === "m2").map((r) => r.sentAt)).toEqual([at(2392), at(3602)]);
    // at moments during the stop, during m2's silence, at the end and after it: what the ingest had stored by then
    for (const now of [at(1850), at(2450), at(3605), at(3700)]) {
      const input = { vips: [API, INGRESS], nodes: NODES, transitions: transitions.filter((t) => t.receivedAt <= now), now, settings: { historyMs: 3600_000 } };
      const received = snapshots.filter((r) => r.receivedAt <= now);
      expect(clusterVipHealth({ ...input, reports: rolledUp(received) }), `at ${now.toISOString()}`).toEqual(clusterVipHealth({ ...input, reports: received }));
    }
  });
});
