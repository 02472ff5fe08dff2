"use client";

import type { VipPanel } from "@/lib/data";

const STATE_COLOURS: Record<string, string> = { MASTER: "#1b7f3b", BACKUP: "#8fb3e6", FAULT: "#b3261e", STOP: "#5d6677", unknown: "#d9dee7" };
const STATUS_CLASS: Record<string, string> = { ok: "badge ok", degraded: "badge warn", down: "badge bad" };

function time(iso: string | null): string {
  return iso ? new Date(iso).toLocaleTimeString("en-GB", { timeZone: "UTC" }) : "—";
}

/** Who holds each VIP, every node's VRRP state, what is wrong, and a state timeline per node. */
export function VipPanels({ panels }: { panels: VipPanel[] }) {
  return (
    <>
      {panels.map((p) => (
        <div key={p.vip} className="card" data-testid={`vip-${p.vip}`}>
          <h3>
            {p.vip === "api" ? "API" : "Ingress"} VIP {p.address} <span className={STATUS_CLASS[p.status]}>{p.status}</span>{" "}
            <small className="empty">
              held by {p.holders.length ? p.holders.map((h) => `${h.node}${h.fresh ? "" : " (last known)"}`).join(", ") : "nobody"} · reachability{" "}
              {p.reachability.verdict}
            </small>
          </h3>
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
          <table>
            <thead>
              <tr>
                <th>Node</th>
                <th>State</th>
                <th>Since</th>
                <th>Last report</th>
                <th>keepalived</th>
                <th>Timeline ({time(p.chart.from)} – {time(p.chart.to)} UTC)</th>
              </tr>
            </thead>
            <tbody>
              {p.nodes.map((n) => {
                const row = p.chart.rows.find((r) => r.node === n.node);
                return (
                  <tr key={n.node}>
                    <td>{n.node}</td>
                    <td>
                      {n.state}
                      {n.silent ? " (silent)" : ""}
                    </td>
                    <td>{time(n.since)}</td>
                    <td>{time(n.lastReportAt)}</td>
                    <td>{n.keepalivedVersion ?? "—"}</td>
                    <td style={{ width: "35%" }}>
                      <div style={{ position: "relative", height: "0.9rem", background: "#f0f2f5" }}>
                        {row?.bars.map((b, i) => (
                          <span
                            key={i}
                            title={b.state}
                            style={{ position: "absolute", left: `${b.start * 100}%`, width: `${Math.max(0.5, (b.end - b.start) * 100)}%`, top: 0, bottom: 0, background: STATE_COLOURS[b.state] ?? "#ccc" }}
                          />
                        ))}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ))}
    </>
  );
}
