import type { VrrpState } from "./protocol";
import type { NodeReport, TransitionObservation } from "./observations";

// Per node and keepalived instance, the sequence of states Tripod learnt from notify transitions and from
// report snapshots, turned into time segments: the state timeline chart and the history analysis read these.

export type TimelineState = VrrpState | "unknown";

export interface StateObservation {
  at: Date;
  state: VrrpState;
  source: "notify" | "report";
}

export interface StateSegment {
  from: Date;
  /** null: still the state now */
  to: Date | null;
  state: TimelineState;
}

/**
 * Everything a node said about one instance, oldest first. A report of a dead keepalived means STOP.
 * keepalived runs notify scripts asynchronously, so their timestamps can invert the real order of two quick
 * transitions (REPORT §8.7). A snapshot settles it: it says the state at its send time and since when
 * (keepalived's own last_transition); a notify dated inside that span with another state is an older one.
 */
export function observationsOf(node: string, instance: string, transitions: TransitionObservation[], reports: NodeReport[]): StateObservation[] {
  const out: StateObservation[] = [];
  const settled: { from: Date; to: Date; state: VrrpState }[] = [];
  for (const r of reports) {
    const inst = r.node === node && r.keepalivedRunning ? r.instances.find((i) => i.instance === instance) : undefined;
    if (inst?.state && inst.lastTransition) settled.push({ from: inst.lastTransition, to: r.sentAt, state: inst.state });
  }
  const contradicted = (t: TransitionObservation) => settled.some((s) => t.at >= s.from && t.at <= s.to && t.state !== s.state);
  for (const t of transitions) {
    if (t.node === node && t.instance === instance && !contradicted(t)) out.push({ at: t.at, state: t.state, source: "notify" });
  }
  for (const r of reports) {
    if (r.node !== node) continue;
    if (!r.keepalivedRunning) {
      out.push({ at: r.sentAt, state: "STOP", source: "report" });
      continue;
    }
    const inst = r.instances.find((i) => i.instance === instance);
    if (!inst?.state) continue;
    // keepalived's own transition time dates the state better than the report's send time
    if (inst.lastTransition && inst.lastTransition < r.sentAt) out.push({ at: inst.lastTransition, state: inst.state, source: "report" });
    out.push({ at: r.sentAt, state: inst.state, source: "report" });
  }
  return out.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.source === b.source ? 0 : a.source === "notify" ? -1 : 1));
}

/**
 * Consecutive equal states merged into segments. `knownUntil` is the last moment the node was heard from when it
 * has gone silent (its last state is then only "last known", and the time after it is unknown); null if fresh.
 */
export function segmentsOf(observations: StateObservation[], knownUntil: Date | null): StateSegment[] {
  const segments: StateSegment[] = [];
  for (const o of observations) {
    const last = segments[segments.length - 1];
    if (last && last.state === o.state) continue;
    if (last) last.to = o.at;
    segments.push({ from: o.at, to: null, state: o.state });
  }
  const last = segments[segments.length - 1];
  if (knownUntil && last && knownUntil >= last.from) {
    last.to = knownUntil;
    segments.push({ from: knownUntil, to: null, state: "unknown" });
  }
  return segments;
}

export interface MultiMasterEpisode {
  from: Date;
  /** null: still going on */
  to: Date | null;
  nodes: string[];
  durationMs: number;
}

/** Intervals in which two or more nodes were MASTER at once, from every node's segments. */
export function multiMasterEpisodes(timelines: { node: string; segments: StateSegment[] }[], now: Date): MultiMasterEpisode[] {
  const points = [...new Set(timelines.flatMap((t) => t.segments.flatMap((s) => [s.from.getTime(), (s.to ?? now).getTime()])))].sort((a, b) => a - b);
  const episodes: MultiMasterEpisode[] = [];
  let open: { from: number; nodes: Set<string> } | null = null;
  const close = (at: number) => {
    if (!open) return;
    const to = at >= now.getTime() ? null : new Date(at);
    episodes.push({ from: new Date(open.from), to, nodes: [...open.nodes].sort(), durationMs: at - open.from });
    open = null;
  };
  for (let i = 0; i + 1 < points.length; i++) {
    const mid = (points[i] + points[i + 1]) / 2;
    const masters = timelines
      .filter((t) => t.segments.some((s) => s.state === "MASTER" && s.from.getTime() <= mid && mid < (s.to ?? now).getTime()))
      .map((t) => t.node);
    if (masters.length >= 2) {
      if (!open) open = { from: points[i], nodes: new Set() };
      for (const n of masters) open.nodes.add(n);
    } else close(points[i]);
  }
  if (open) close(now.getTime());
  return episodes;
}

/** The segments inside [from, to], for a chart window. */
export function clipSegments(segments: StateSegment[], from: Date, to: Date): StateSegment[] {
  return segments
    .filter((s) => (s.to ?? to) > from && s.from < to)
    .map((s) => ({ state: s.state, from: s.from < from ? from : s.from, to: s.to && s.to < to ? s.to : s.to === null ? null : to }));
}
