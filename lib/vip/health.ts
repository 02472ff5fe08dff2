import type { VrrpState } from "./protocol";
import type { VipName, VipStatus } from "@/lib/domain";
import type { NodeReport, TransitionObservation, VipDefinition } from "./observations";
import { neutronFindings, type NeutronFinding, type NeutronVipInventory } from "./neutron";
import { hasReloadDefect, parseKeepalivedVersion } from "./version";
import {
  clipSegments,
  multiMasterEpisodes,
  observationsOf,
  segmentsOf,
  type MultiMasterEpisode,
  type StateSegment,
} from "./timeline";

// Per VIP: who holds it, every node's VRRP state, split brain, stale VIPs, flapping, reachability, Neutron
// consistency, keepalived versions and the failover history — from values only (the caller loads them).

export type NodeVipState = VrrpState | "unknown";

export interface ProbeResult {
  vip: VipName;
  /** e.g. "tcp:6443", "https:6443/readyz", "tcp:80", "tcp:443" */
  check: string;
  ok: boolean;
  latencyMs: number;
  error: string | null;
  at: Date;
}

export interface HealthSettings {
  /** two MASTERs for less than this are a take-over race, not split brain (REPORT §8.3: 3–12 ms seen) */
  raceWindowMs: number;
  /**
   * a node not heard from for this long is "unknown": a steady agent sends its snapshot every 30 s (a changed one
   * within 10 s), so two heartbeats missed and a margin
   */
  silentAfterMs: number;
  /** a VIP still configured this long after keepalived left MASTER is stale (removal takes milliseconds) */
  staleGraceMs: number;
  flapWindowMs: number;
  /** MASTER transitions of one VIP within the window that count as flapping */
  flapThreshold: number;
  /** transitions this soon after a node's keepalived.conf changed are reload-time transitions */
  reloadWindowMs: number;
  /** the history and chart window */
  historyMs: number;
}

export const DEFAULT_SETTINGS: HealthSettings = {
  raceWindowMs: 1000,
  silentAfterMs: 75_000,
  staleGraceMs: 1500,
  flapWindowMs: 10 * 60_000,
  flapThreshold: 4,
  reloadWindowMs: 5000,
  historyMs: 60 * 60_000,
};

export interface VipHealthInput {
  vips: VipDefinition[];
  /** the nodes expected to run keepalived (masters, and the bootstrap while it exists) */
  nodes: string[];
  transitions: TransitionObservation[];
  reports: NodeReport[];
  probes?: ProbeResult[];
  neutron?: NeutronVipInventory;
  now: Date;
  settings?: Partial<HealthSettings>;
}

export interface NodeVipStatus {
  node: string;
  state: NodeVipState;
  /** the last state the node reported, also when it has gone silent */
  lastKnownState: VrrpState | null;
  /** when the current (or last known) state began, node clock */
  since: Date | null;
  /** when Tripod last received anything from the node */
  lastReportAt: Date | null;
  /** nothing received for silentAfterMs (a node that reports but has no such instance is unknown, not silent) */
  silent: boolean;
  priority: number | null;
  vipConfigured: boolean | null;
  keepalivedRunning: boolean | null;
  keepalivedVersion: string | null;
}

export interface Holder {
  node: string;
  /** false: the node has gone silent and MASTER is only its last known state */
  fresh: boolean;
  since: Date | null;
}

export interface SplitBrain {
  /** "reports": two nodes report MASTER; "silent-master": a node last seen MASTER went silent while another took over */
  evidence: "reports" | "silent-master";
  masters: string[];
  since: Date;
}

export interface StaleVip {
  node: string;
  reason: "keepalived-not-running" | "not-master";
}

export interface HistoryEntry {
  at: Date;
  receivedAt: Date;
  node: string;
  state: VrrpState;
  priority: number | null;
  /** within reloadWindowMs after the node's keepalived.conf changed */
  reloadTime: boolean;
}

export type ProblemCode =
  | "split-brain"
  | "split-brain-suspected"
  | "no-holder"
  | "stale-vip"
  | "flapping"
  | "unreachable"
  | "unreachable-while-vrrp-healthy"
  | "partially-reachable"
  | "node-silent"
  | "node-fault"
  | "keepalived-reload-defect"
  | "reload-time-transition"
  | "neutron";

export interface Problem {
  code: ProblemCode;
  severity: "error" | "warning";
  node?: string;
  detail?: string;
}

export interface VipHealth {
  vip: VipName;
  address: string;
  instance: string;
  status: VipStatus;
  holders: Holder[];
  nodes: NodeVipStatus[];
  splitBrain: SplitBrain | null;
  staleVips: StaleVip[];
  flapping: { masterTransitions: number; windowMs: number } | null;
  reachability: { verdict: "reachable" | "partial" | "unreachable" | "unknown"; checks: ProbeResult[] };
  neutron: NeutronFinding[] | null;
  history: HistoryEntry[];
  /** two or more MASTERs longer than the race window, from the full (also late-arriving) history */
  splitBrainEpisodes: MultiMasterEpisode[];
  /** shorter double-MASTER moments: take-over races */
  races: MultiMasterEpisode[];
  timeline: { from: Date; to: Date; nodes: { node: string; segments: StateSegment[] }[] };
  problems: Problem[];
}

function lastHeardFrom(node: string, input: VipHealthInput): { received: Date | null; sent: Date | null } {
  let received: Date | null = null;
  let sent: Date | null = null;
  const see = (r: Date, s: Date) => {
    if (!received || r > received) received = r;
    if (!sent || s > sent) sent = s;
  };
  for (const t of input.transitions) if (t.node === node) see(t.receivedAt, t.at);
  for (const r of input.reports) if (r.node === node) see(r.receivedAt, r.sentAt);
  return { received, sent };
}

function latestReport(node: string, reports: NodeReport[]): NodeReport | null {
  let best: NodeReport | null = null;
  for (const r of reports) if (r.node === node && (!best || r.sentAt > best.sentAt)) best = r;
  return best;
}

function latestSnapshotReport(node: string, reports: NodeReport[]): NodeReport | null {
  return latestReport(node, reports.filter((r) => r.addresses !== null));
}

function lastVersion(node: string, reports: NodeReport[]): string | null {
  return latestReport(node, reports.filter((r) => r.keepalivedVersion !== null))?.keepalivedVersion ?? null;
}

function hasAddress(addresses: string[], address: string): boolean {
  return addresses.some((a) => a.split("/")[0] === address);
}

/** Moments a node's keepalived.conf changed while keepalived was already running: reloads. */
function reloadMarkers(node: string, reports: NodeReport[]): Date[] {
  const seen = new Map<number, Date>();
  for (const r of reports) {
    if (r.node !== node || !r.configMtime || !r.keepalivedStartedAt) continue;
    if (r.configMtime > r.keepalivedStartedAt) seen.set(r.configMtime.getTime(), r.configMtime);
  }
  return [...seen.values()];
}

function reachabilityOf(vip: VipName, probes: ProbeResult[] | undefined): VipHealth["reachability"] {
  const checks = (probes ?? []).filter((p) => p.vip === vip);
  if (checks.length === 0) return { verdict: "unknown", checks };
  const ok = checks.filter((c) => c.ok).length;
  return { verdict: ok === checks.length ? "reachable" : ok === 0 ? "unreachable" : "partial", checks };
}

export function vipHealth(vip: VipDefinition, input: VipHealthInput): VipHealth {
  const s = { ...DEFAULT_SETTINGS, ...input.settings };
  const now = input.now;
  const nodeNames = [...new Set([...input.nodes, ...input.transitions.map((t) => t.node), ...input.reports.map((r) => r.node)])].sort();

  const nodes: NodeVipStatus[] = [];
  const timelines: { node: string; segments: StateSegment[] }[] = [];
  for (const node of nodeNames) {
    const heard = lastHeardFrom(node, input);
    const silent = !heard.received || now.getTime() - heard.received.getTime() > s.silentAfterMs;
    const observations = observationsOf(node, vip.instance, input.transitions, input.reports);
    const segments = segmentsOf(observations, silent ? heard.sent : null);
    timelines.push({ node, segments });
    const known = [...segments].reverse().find((seg) => seg.state !== "unknown");
    const report = latestReport(node, input.reports);
    const snapshot = latestSnapshotReport(node, input.reports);
    const lastTransition = input.transitions
      .filter((t) => t.node === node && t.instance === vip.instance)
      .reduce<TransitionObservation | null>((a, t) => (!a || t.at > a.at ? t : a), null);
    const inst = snapshot?.instances.find((i) => i.instance === vip.instance);
    const priority = lastTransition && (!snapshot || lastTransition.at > snapshot.sentAt) ? lastTransition.priority : inst?.effectivePriority ?? null;
    nodes.push({
      node,
      state: silent || !known ? "unknown" : (known.state as VrrpState),
      lastKnownState: (known?.state as VrrpState | undefined) ?? null,
      since: known?.from ?? null,
      lastReportAt: heard.received,
      silent,
      priority,
      vipConfigured: snapshot?.addresses ? hasAddress(snapshot.addresses, vip.address) : null,
      keepalivedRunning: report ? report.keepalivedRunning : null,
      // the last version a report named: it does not go away while keepalived is stopped
      keepalivedVersion: lastVersion(node, input.reports),
    });
  }

  const holders: Holder[] = nodes
    .filter((n) => n.state === "MASTER" || (n.state === "unknown" && n.lastKnownState === "MASTER"))
    .map((n) => ({ node: n.node, fresh: n.state === "MASTER", since: n.since }));

  const splitBrain = currentSplitBrain(holders, now, s.raceWindowMs);

  const staleVips: StaleVip[] = [];
  for (const n of nodes) {
    const snap = latestSnapshotReport(n.node, input.reports);
    if (!n.vipConfigured || !snap || n.state === "unknown") continue;
    if (!snap.keepalivedRunning) staleVips.push({ node: n.node, reason: "keepalived-not-running" });
    else if (n.state !== "MASTER" && n.since && snap.sentAt.getTime() - n.since.getTime() > s.staleGraceMs) {
      staleVips.push({ node: n.node, reason: "not-master" });
    }
  }

  const historyFrom = new Date(now.getTime() - s.historyMs);
  const markers = new Map(nodeNames.map((n) => [n, reloadMarkers(n, input.reports)]));
  const history: HistoryEntry[] = input.transitions
    .filter((t) => t.instance === vip.instance && t.at >= historyFrom)
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((t) => ({
      at: t.at,
      receivedAt: t.receivedAt,
      node: t.node,
      state: t.state,
      priority: t.priority,
      reloadTime: (markers.get(t.node) ?? []).some((m) => t.at >= m && t.at.getTime() - m.getTime() <= s.reloadWindowMs),
    }));

  const masterChanges = history.filter((h) => h.state === "MASTER" && now.getTime() - h.at.getTime() <= s.flapWindowMs).length;
  const flapping = masterChanges >= s.flapThreshold ? { masterTransitions: masterChanges, windowMs: s.flapWindowMs } : null;

  const episodes = multiMasterEpisodes(timelines, now).filter((e) => e.to === null || e.to >= historyFrom);
  const reachability = reachabilityOf(vip.name, input.probes);
  const neutron = input.neutron ? neutronFindings(vip, input.neutron) : null;

  const problems = problemsOf({ nodes, holders, splitBrain, staleVips, flapping, reachability, neutron, history });
  const errors = problems.filter((p) => p.severity === "error").map((p) => p.code);
  const status = errors.includes("no-holder") || errors.includes("unreachable") || errors.includes("unreachable-while-vrrp-healthy") ? "down" : problems.length ? "degraded" : "ok";

  return {
    vip: vip.name,
    address: vip.address,
    instance: vip.instance,
    status,
    holders,
    nodes,
    splitBrain,
    staleVips,
    flapping,
    reachability,
    neutron,
    history,
    splitBrainEpisodes: episodes.filter((e) => e.durationMs >= s.raceWindowMs),
    races: episodes.filter((e) => e.durationMs < s.raceWindowMs),
    timeline: { from: historyFrom, to: now, nodes: timelines.map((t) => ({ node: t.node, segments: clipSegments(t.segments, historyFrom, now) })) },
    problems,
  };
}

function currentSplitBrain(holders: Holder[], now: Date, raceWindowMs: number): SplitBrain | null {
  const fresh = holders.filter((h) => h.fresh);
  const silent = holders.filter((h) => !h.fresh);
  const startOf = (hs: Holder[]) => new Date(Math.max(...hs.map((h) => h.since?.getTime() ?? now.getTime())));
  if (fresh.length >= 2) {
    const since = startOf(fresh);
    return now.getTime() - since.getTime() >= raceWindowMs ? { evidence: "reports", masters: fresh.map((h) => h.node), since } : null;
  }
  if (fresh.length === 1 && silent.length > 0) {
    // keepalived leaves MASTER only on a higher-priority advert, a fault or a stop: a MASTER that went silent
    // (cut off, or dead) while another node took over is, if alive, still MASTER on its side.
    const since = startOf(fresh);
    return now.getTime() - since.getTime() >= raceWindowMs ? { evidence: "silent-master", masters: holders.map((h) => h.node), since } : null;
  }
  return null;
}

function problemsOf(h: Pick<VipHealth, "nodes" | "holders" | "splitBrain" | "staleVips" | "flapping" | "reachability" | "neutron" | "history">): Problem[] {
  const problems: Problem[] = [];
  if (h.splitBrain?.evidence === "reports") problems.push({ code: "split-brain", severity: "error", detail: h.splitBrain.masters.join(",") });
  if (h.splitBrain?.evidence === "silent-master") problems.push({ code: "split-brain-suspected", severity: "error", detail: h.splitBrain.masters.join(",") });
  if (h.holders.length === 0) problems.push({ code: "no-holder", severity: "error" });
  for (const st of h.staleVips) problems.push({ code: "stale-vip", severity: "error", node: st.node, detail: st.reason });
  if (h.flapping) problems.push({ code: "flapping", severity: "warning", detail: `${h.flapping.masterTransitions} MASTER transitions` });
  const vrrpHealthy = h.holders.length === 1 && h.holders[0].fresh && !h.splitBrain && h.staleVips.length === 0;
  if (h.reachability.verdict === "unreachable") {
    problems.push({ code: vrrpHealthy ? "unreachable-while-vrrp-healthy" : "unreachable", severity: "error" });
  }
  if (h.reachability.verdict === "partial") problems.push({ code: "partially-reachable", severity: "warning" });
  for (const n of h.nodes) {
    if (n.silent) problems.push({ code: "node-silent", severity: "warning", node: n.node });
    if (n.state === "FAULT") problems.push({ code: "node-fault", severity: "warning", node: n.node });
    const version = n.keepalivedVersion ? parseKeepalivedVersion(n.keepalivedVersion) : null;
    if (version && hasReloadDefect(version)) problems.push({ code: "keepalived-reload-defect", severity: "warning", node: n.node, detail: n.keepalivedVersion ?? "" });
  }
  for (const e of h.history) {
    if (e.reloadTime && e.state !== "MASTER") problems.push({ code: "reload-time-transition", severity: "warning", node: e.node, detail: e.state });
  }
  for (const f of h.neutron ?? []) problems.push({ code: "neutron", severity: "error", node: f.node, detail: f.code });
  return problems;
}

export function clusterVipHealth(input: VipHealthInput): VipHealth[] {
  return input.vips.map((v) => vipHealth(v, input));
}
