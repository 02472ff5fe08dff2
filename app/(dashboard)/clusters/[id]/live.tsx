"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import axios from "axios";
import { useState, useTransition } from "react";
import type { ActionState, ClusterView, OperationView } from "@/lib/data";
import { markBootstrapCompleteAction, operationAction, startOperationAction } from "../actions";
import { VipPanels } from "./vip-panel";

const ACTIVE = ["queued", "running"];
const NETWORKS = ["outbound", "cluster", "management", "public"] as const;

function badgeClass(status: string): string {
  if (["succeeded", "present", "ready"].includes(status)) return "badge ok";
  if (["failed", "cancelled"].includes(status)) return "badge bad";
  if (["running", "queued", "creating", "tearing-down"].includes(status)) return "badge warn";
  return "badge";
}

function duration(start: string | null, end: string | null): string {
  if (!start) return "";
  const ms = (end ? new Date(end) : new Date()).getTime() - new Date(start).getTime();
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function Steps({ op }: { op: OperationView }) {
  const done = op.steps.filter((s) => s.status === "succeeded").length;
  return (
    <div className="card" data-testid={`operation-${op.kind}`}>
      <h3>
        {op.kind} <span className={badgeClass(op.status)} data-testid="operation-status">{op.status}</span>{" "}
        <small className="empty">
          requested by {op.requestedBy}
          {op.approvedBy ? `, approved by ${op.approvedBy}` : ""} · {done}/{op.steps.length} steps
        </small>
      </h3>
      <progress max={op.steps.length} value={done} style={{ width: "100%" }} />
      {op.error && <p className="error">{op.error}</p>}
      <table>
        <thead>
          <tr>
            <th>Step</th>
            <th>Status</th>
            <th>Attempt</th>
            <th>API calls</th>
            <th>Time</th>
          </tr>
        </thead>
        <tbody>
          {op.steps.map((s) => (
            <tr key={s.name} data-testid={`step-${s.name}`}>
              <td>{s.name}</td>
              <td>
                <span className={badgeClass(s.status)}>{s.status}</span>
                {s.error && <div className="field-error">{s.error}</div>}
              </td>
              <td>{s.attempt || ""}</td>
              <td>{s.apiCalls || ""}</td>
              <td>{duration(s.startedAt, s.finishedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ClusterLive({ initial }: { initial: ClusterView }) {
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<string | undefined>();
  const [pending, startTransition] = useTransition();
  const { data: view } = useQuery({
    queryKey: ["cluster", initial.id],
    queryFn: async () => (await axios.get<ClusterView>(`/api/clusters/${initial.id}`)).data,
    initialData: initial,
    // Fast while something runs, slow otherwise.
    refetchInterval: (q) => (q.state.data?.operations.some((o) => ACTIVE.includes(o.status)) ? 1500 : 10_000),
  });
  const active = view.operations.find((o) => ACTIVE.includes(o.status));
  const last = view.operations[0];

  function run(act: () => Promise<ActionState>) {
    startTransition(async () => {
      const result = await act();
      setMessage(result.message);
      await queryClient.invalidateQueries({ queryKey: ["cluster", initial.id] });
    });
  }

  return (
    <>
      <h1>
        {view.name} <span className={badgeClass(view.status)} data-testid="cluster-status">{view.status}</span>
      </h1>
      <p className="empty">
        project {view.project} · cloud {view.cloud} · infra id <code>{view.infraId}</code> · created by {view.createdBy} · VRRP router ids API{" "}
        {view.vrrp.apiId} / Ingress {view.vrrp.ingressId}
        {view.bootstrapCompleted && ` · bootstrap complete (${view.bootstrapCompleted.by})`}
      </p>
      <div style={{ display: "flex", gap: "0.5rem", flexWrap: "wrap", marginBottom: "1rem" }}>
        {view.status === "draft" && view.can.create && (
          <button disabled={pending} onClick={() => run(() => startOperationAction(view.id, "create"))}>
            Create cluster
          </button>
        )}
        {!active && view.status !== "deleted" && view.status !== "draft" && view.can.teardown && (
          <button disabled={pending} onClick={() => run(() => startOperationAction(view.id, "teardown"))}>
            Tear down
          </button>
        )}
        {!active && last && ["failed", "cancelled"].includes(last.status) && (
          <button disabled={pending} onClick={() => run(() => operationAction(view.id, last.id, "retry"))}>
            Retry {last.kind}
          </button>
        )}
        {active && !active.cancelRequested && (
          <button disabled={pending} onClick={() => run(() => operationAction(view.id, active.id, "cancel"))}>
            Cancel {active.kind}
          </button>
        )}
        {active?.kind === "create" && !view.bootstrapCompleted && view.can.approve && (
          <button disabled={pending} onClick={() => run(() => markBootstrapCompleteAction(view.id))}>
            Mark bootstrap complete
          </button>
        )}
      </div>
      {message && (
        <p role="status" data-testid="action-message">
          {message}
        </p>
      )}

      {view.operations.slice(0, 2).map((op) => (
        <Steps key={op.id} op={op} />
      ))}

      {view.vips && (
        <>
          <h2>keepalived VIPs</h2>
          <VipPanels panels={view.vips} />
        </>
      )}

      <h2>Ports per network</h2>
      <table data-testid="ports">
        <thead>
          <tr>
            <th>Node</th>
            {NETWORKS.map((n) => (
              <th key={n}>{n}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {view.ports.map((row) => (
            <tr key={row.node}>
              <td>{row.node}</td>
              {NETWORKS.map((n) => {
                const cell = row.cells[n];
                return (
                  <td key={n} title={cell?.openstackId ?? undefined}>
                    {cell ? <span className={badgeClass(cell.status)}>{cell.status}</span> : "—"}
                  </td>
                );
              })}
            </tr>
          ))}
          {view.vipPorts.map((p) => (
            <tr key={p.name}>
              <td>{p.name.endsWith("-api-vip") ? "API VIP" : "Ingress VIP"}</td>
              <td colSpan={3} className="empty">
                reservation port
              </td>
              <td>
                <span className={badgeClass(p.status)}>{p.status}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Other resources</h2>
      <table data-testid="resources">
        <tbody>
          {view.otherResources.map((r) => (
            <tr key={`${r.kind}/${r.name}`}>
              <td>{r.kind}</td>
              <td>{r.name}</td>
              <td>
                <span className={badgeClass(r.status)}>{r.status}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Events</h2>
      <table data-testid="events">
        <tbody>
          {view.events.slice(0, 50).map((e, i) => (
            <tr key={`${e.at}-${i}`}>
              <td>{new Date(e.at).toLocaleTimeString("en-GB", { timeZone: "UTC" })}</td>
              <td>
                <span className={e.level === "error" ? "badge bad" : e.level === "warning" ? "badge warn" : "badge"}>{e.level}</span>
              </td>
              <td>{e.step}</td>
              <td>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
