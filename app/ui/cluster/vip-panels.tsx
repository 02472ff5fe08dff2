"use client";

import { Card, CardBody, CardTitle } from "@patternfly/react-core";
import { VIP_LABELS } from "@/lib/domain";
import type { VipPanel } from "@/lib/data";
import { DataTable } from "../data-table";
import { StatusLabel } from "../status-label";
import { clockTime } from "./time";

const STATE_COLOURS: Record<string, string> = { MASTER: "#1b7f3b", BACKUP: "#8fb3e6", FAULT: "#b3261e", STOP: "#5d6677", unknown: "#d9dee7" };

function Timeline({ bars }: { bars: { state: string; start: number; end: number }[] }) {
  return (
    <div style={{ position: "relative", height: "0.9rem", background: "#f0f2f5" }}>
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

/** Who holds each VIP, every node's VRRP state, what is wrong, and a state timeline per node. */
export function VipPanels({ panels }: { panels: VipPanel[] }) {
  return (
    <>
      {panels.map((p) => (
        <Card key={p.vip} data-testid={`vip-${p.vip}`} isCompact>
          <CardTitle>
            {VIP_LABELS[p.vip]} {p.address} <StatusLabel status={p.status} />{" "}
            <small className="empty">
              held by {p.holders.length ? p.holders.map((h) => `${h.node}${h.fresh ? "" : " (last known)"}`).join(", ") : "nobody"} · reachability{" "}
              {p.reachability.verdict}
            </small>
          </CardTitle>
          <CardBody>
            {p.problems.length > 0 && (
              <ul>
                {p.problems.map((pr, i) => (
                  <li key={i} className={pr.severity === "error" ? "error" : undefined}>
                    {pr.code}
                    {pr.node ? ` on ${pr.node}` : ""}
                    {pr.detail ? `: ${pr.detail}` : ""}
                  </li>
                ))}
              </ul>
            )}
            <DataTable
              label={`${VIP_LABELS[p.vip]} per node`}
              columns={["Node", "State", "Since", "Last report", "keepalived", `Timeline (${clockTime(p.chart.from)} – ${clockTime(p.chart.to)} UTC)`]}
              rows={p.nodes.map((n) => ({
                key: n.node,
                cells: [
                  n.node,
                  `${n.state}${n.silent ? " (silent)" : ""}`,
                  clockTime(n.since),
                  clockTime(n.lastReportAt),
                  n.keepalivedVersion ?? "—",
                  <Timeline key="t" bars={p.chart.rows.find((r) => r.node === n.node)?.bars ?? []} />,
                ],
              }))}
            />
          </CardBody>
        </Card>
      ))}
    </>
  );
}
