"use client";

import { Card, CardBody, CardTitle, Label } from "@patternfly/react-core";
import { isActiveOperation, VIP_LABELS, worstVipStatus } from "@/lib/domain";
import type { ClusterView, VipPanel } from "@/lib/data";
import { DataTable } from "../data-table";
import { fit } from "../columns";
import { StatusLabel } from "../status-label";
import { clockTime, dateTime } from "../time-text";

// Dark enough for white text (AA) where a label sits on them; BACKUP and "no report" are light with dark text.
const STATE_COLOURS: Record<string, string> = { MASTER: "#1b7f3b", BACKUP: "#8fb3e6", FAULT: "#b3261e", STOP: "#5d6677", unknown: "#d9dee7" };
const STATE_WORDS: Record<string, string> = { MASTER: "holds the VIP", BACKUP: "standing by", FAULT: "in fault", STOP: "keepalived stopped", unknown: "no report" };

/** Nodes boot, start keepalived and report within this time; before it, silence is not a problem. */
export const FIRST_REPORT_GRACE_MS = 10 * 60_000;

type Problem = VipPanel["problems"][number];

/** A problem in a few words, where a table has room for no sentence (Oversight, whose summary keeps each code once per VIP, of one node or of all). */
export const PROBLEM_WORDS: Record<Problem["code"], string> = {
  "split-brain": "split brain",
  "split-brain-suspected": "possible split brain",
  "no-holder": "no holder",
  "stale-vip": "address left on a node",
  flapping: "flapping",
  unreachable: "unreachable",
  "unreachable-while-vrrp-healthy": "unreachable although VRRP is healthy",
  "partially-reachable": "partly reachable",
  "node-silent": "not every node reporting",
  "node-fault": "a node in FAULT",
  "keepalived-reload-defect": "keepalived with the reload defect",
  "reload-time-transition": "a transition at a reload",
  neutron: "Neutron ports",
};

/**
 * What the panel knows of a node's silence: its last report (the panel reads a node's last report however old it
 * is, lib/vip/queries.ts), and whether the masters were created within the panel's hour of transitions and charts.
 */
interface Hearing {
  lastReportAt: string | null;
  /**
   * The masters were created within the panel's hour: no report on record is then none ever. Of older masters it
   * may also be a silence older than the record (a node's reports were once all pruned after their retention).
   */
  coversBoot: boolean;
}

/** Since when a node has been silent, in words: its last report, never, or no report on record. */
function silence({ lastReportAt, coversBoot }: Hearing): string {
  if (lastReportAt) return `has not reported since ${dateTime(lastReportAt)} UTC`;
  return coversBoot ? "has never reported" : "has no report on record";
}

/** A problem as a sentence (the codes stay in the agent protocol and the oversight API). */
export function problemSentence(p: Problem, hearing: Hearing): string {
  const on = p.node ? ` ${p.node}` : "";
  switch (p.code) {
    case "split-brain":
      return `Split brain: ${p.detail?.replaceAll(",", " and ")} both claim the VIP.`;
    case "split-brain-suspected":
      return `Possible split brain: ${p.detail?.replaceAll(",", " and ")} — one of them went silent while holding the VIP.`;
    case "no-holder":
      return "No node holds the VIP: clients cannot reach it.";
    case "stale-vip":
      return `${on.trim()} still has the address configured although ${p.detail === "keepalived-not-running" ? "keepalived is not running" : "it is not MASTER"}.`;
    case "flapping":
      return `The VIP is moving back and forth (${p.detail}).`;
    case "unreachable":
      return "Tripod cannot reach the VIP.";
    case "unreachable-while-vrrp-healthy":
      return "Tripod cannot reach the VIP although keepalived looks healthy: check the allowed-address pairs and security groups.";
    case "partially-reachable":
      return "The VIP answers only some of Tripod's checks.";
    case "node-silent":
      return `${on.trim()} ${silence(hearing)}.`;
    case "node-fault":
      return `${on.trim()} is in FAULT (a tracked check or interface failed).`;
    case "keepalived-reload-defect":
      return `${on.trim()} runs keepalived ${p.detail}, which drops to BACKUP on reload (keepalived issue 1425; fixed in 2.1.5).`;
    case "reload-time-transition":
      return `${on.trim()} went ${p.detail} right after a configuration reload.`;
    case "neutron":
      return `Neutron:${on} ${p.detail}.`;
  }
}

/** The creation of the masters, from the create operation's control-plane step. */
function bootedAt(view: ClusterView): string | null {
  return view.operations.find((o) => o.kind === "create")?.steps.find((s) => s.name === "control-plane")?.finishedAt ?? null;
}

/**
 * Whether no node reported yet and they may still: within their boot grace, or while a create that has not made
 * the masters yet runs (a create that stopped before them waits for nothing).
 */
function waitingForFirstReport(view: ClusterView, panels: VipPanel[], now: number): { waiting: boolean; reported: boolean; since: string | null } {
  const reported = panels.some((p) => p.nodes.some((n) => n.lastReportAt !== null));
  const since = bootedAt(view);
  const creating = view.operations.some((o) => o.kind === "create" && isActiveOperation(o.status));
  return { waiting: !reported && (since === null ? creating : now - new Date(since).getTime() < FIRST_REPORT_GRACE_MS), reported, since };
}

/** Whether the panel's window reaches back to the masters' creation. */
function hearingWindow(view: ClusterView, panel: VipPanel): Omit<Hearing, "lastReportAt"> {
  const booted = bootedAt(view);
  return { coversBoot: booted !== null && panel.chart.from !== null && Date.parse(booted) >= Date.parse(panel.chart.from) };
}

/**
 * One line that agrees with the cluster's state; `everyNodeSilent`: no node has reported lately (the line says so,
 * and since when, once for all of them).
 */
export function vipHealthLine(view: ClusterView, panels: VipPanel[], now = Date.now()): { status: string; text: string; everyNodeSilent: boolean } {
  const { waiting, reported, since } = waitingForFirstReport(view, panels, now);
  const everyNodeSilent = panels.every((p) => p.nodes.every((n) => n.silent));
  const unreached = "the VIP agents cannot reach Tripod, or keepalived is not running";
  if (waiting) return { everyNodeSilent, status: "waiting", text: `Waiting for the first report from the nodes' VIP agents${since ? ` (masters created at ${dateTime(since)} UTC)` : ""}.` };
  // the worst VIP's status: the line and the VIPs' cards below it say the same
  const worst = worstVipStatus(panels.map((p) => p.status));
  if (!reported) {
    const booted = panels[0] ? hearingWindow(view, panels[0]).coversBoot : false;
    return {
      everyNodeSilent,
      status: worst,
      text: booted ? `No node has reported since the masters were created at ${dateTime(since)} UTC: ${unreached}.` : `No report from any node is on record: ${unreached}.`,
    };
  }
  const parts = panels.map((p) => `${VIP_LABELS[p.vip]} ${p.holders.length ? `held by ${p.holders.map((h) => (h.fresh ? h.node : `${h.node} (last known)`)).join(" and ")}` : "held by no node"}`);
  if (!everyNodeSilent) return { everyNodeSilent, status: worst, text: `${parts.join("; ")}.` };
  const lastReport = panels.flatMap((p) => p.nodes.flatMap((n) => (n.lastReportAt ? [n.lastReportAt] : []))).sort().at(-1)!;
  return { everyNodeSilent, status: worst, text: `No node has reported since ${dateTime(lastReport)} UTC: ${unreached}. ${parts.join("; ")}.` };
}

function Timeline({ bars }: { bars: { state: string; start: number; end: number }[] }) {
  return (
    <div style={{ position: "relative", height: "0.9rem", background: "#f0f2f5" }} role="img" aria-label={bars.map((b) => b.state).join(", ") || "no reports"}>
      {bars.map((b, i) => (
        <span
          key={i}
          title={b.state}
          style={{ position: "absolute", left: `${b.start * 100}%`, width: `${Math.max(0.5, (b.end - b.start) * 100)}%`, top: 0, bottom: 0, background: STATE_COLOURS[b.state] ?? "#ccc" }}
        />
      ))}
    </div>
  );
}

function Legend() {
  return (
    <p className="vip-legend" data-testid="vip-legend">
      {Object.entries(STATE_COLOURS).map(([state, colour]) => (
        <span key={state} style={{ marginRight: "1rem", whiteSpace: "nowrap" }}>
          <span aria-hidden style={{ display: "inline-block", width: "0.9rem", height: "0.9rem", background: colour, verticalAlign: "middle", marginRight: "0.3rem" }} />
          {state === "unknown" ? STATE_WORDS[state] : `${state} — ${STATE_WORDS[state]}`}
        </span>
      ))}
    </p>
  );
}

/**
 * A node's state in its row of the table (beside its last report's time): what it holds and since when; of a silent
 * node, the state it was last known in; of one that never reported, that.
 */
export function nodeSentence(n: VipPanel["nodes"][number], span: Omit<Hearing, "lastReportAt">): string {
  if (!n.lastReportAt) return silence({ ...span, lastReportAt: null });
  if (n.silent) return n.lastKnownState ? `silent; last known ${n.lastKnownState}, since ${dateTime(n.since)} UTC` : "silent; it reported no state for this VIP";
  return n.state === "unknown" ? "reports no state for this VIP" : `${n.state === "MASTER" ? "holds the VIP" : `is ${n.state}`} since ${dateTime(n.since)} UTC`;
}

/** Who holds each VIP, every node's VRRP state, what is wrong, the last transitions and a timeline per node. */
export function VipPanels({ view, panels }: { view: ClusterView; panels: VipPanel[] }) {
  const line = vipHealthLine(view, panels);
  const waiting = line.status === "waiting";
  return (
    <>
      <p data-testid="vip-health" aria-live="polite">
        <StatusLabel status={line.status} /> {line.text}
      </p>
      <Legend />
      {panels.map((p) => {
        // The holder sentence already says that no node holds the VIP; when no node reports, the health line says so
        // once for every node, and each node's row since when.
        const listed = p.problems.filter((pr) => pr.code !== "no-holder" && !(line.everyNodeSilent && pr.code === "node-silent"));
        const span = hearingWindow(view, p);
        return (
          <Card key={p.vip} data-testid={`vip-${p.vip}`} isCompact>
            <CardTitle>
              {VIP_LABELS[p.vip]} {p.address} {waiting ? <Label isCompact color="grey">waiting for the first report</Label> : <StatusLabel status={p.status} />}
            </CardTitle>
            <CardBody>
              {!waiting && (
                <p>
                  {p.holders.length ? (
                    `${p.holders.map((h) => `${h.node}${h.fresh ? "" : " (last known; it went silent)"}`).join(" and ")} ${p.holders.length > 1 ? "hold" : "holds"} ${p.address}.`
                  ) : (
                    <span className="error">No node holds {p.address}: clients cannot reach it.</span>
                  )}{" "}
                  {p.reachability.unavailable ?? (p.reachability.verdict === "unknown" ? "" : `Tripod's reachability check: ${p.reachability.verdict}.`)}
                </p>
              )}
              {!waiting && listed.length > 0 && (
                <ul>
                  {listed.map((pr, i) => (
                    <li key={i} className={pr.severity === "error" ? "error" : undefined}>
                      {problemSentence(pr, { ...span, lastReportAt: p.nodes.find((n) => n.node === pr.node)?.lastReportAt ?? null })}
                    </li>
                  ))}
                </ul>
              )}
              <DataTable
                label={`${VIP_LABELS[p.vip]} per node`}
                columns={[fit("Node"), "State", fit("Last report (UTC)"), "keepalived", `Timeline (${clockTime(p.chart.from)} – ${clockTime(p.chart.to)} UTC)`]}
                rows={p.nodes.map((n) => ({
                  key: n.node,
                  cells: [n.node, nodeSentence(n, span), dateTime(n.lastReportAt), n.keepalivedVersion ?? "—", <Timeline key="t" bars={p.chart.rows.find((r) => r.node === n.node)?.bars ?? []} />],
                }))}
              />
              {p.history.length > 0 && (
                <DataTable
                  label={`Last transitions of the ${VIP_LABELS[p.vip]}`}
                  columns={["Time (UTC)", "Node", "Entered"]}
                  rows={p.history
                    .slice(-8)
                    .reverse()
                    .map((h, i) => ({ key: `${h.at}-${i}`, cells: [dateTime(h.at), h.node, `${h.state}${h.reloadTime ? " (right after a reload)" : ""}`] }))}
                />
              )}
            </CardBody>
          </Card>
        );
      })}
    </>
  );
}
