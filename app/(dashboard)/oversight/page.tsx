import Link from "next/link";
import { orNotFound, oversight } from "@/lib/data";

export const dynamic = "force-dynamic";

export default async function OversightPage() {
  const { rows, totals, vips } = await orNotFound(oversight());
  const vipOf = new Map(vips.clusters.map((c) => [c.clusterId, c]));
  return (
    <>
      <h1>Team oversight</h1>
      <p data-testid="totals">
        {totals.clusters} clusters · {totals.active} operations running · {totals.stuck} stuck · {totals.failed} failed · {totals.orphaned} deleted with
        resources still recorded · VIPs {vips.counts.ok} ok, {vips.counts.degraded} degraded, {vips.counts.down} down
      </p>
      <table data-testid="oversight">
        <thead>
          <tr>
            <th>Cluster</th>
            <th>Project</th>
            <th>Status</th>
            <th>Owner</th>
            <th>Last operation</th>
            <th>VIPs</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>
                <Link href={`/clusters/${r.id}`}>{r.name}</Link>
              </td>
              <td>{r.project}</td>
              <td>
                <span className="badge">{r.status}</span>
              </td>
              <td>{r.createdBy}</td>
              <td>
                {r.operation ? (
                  <>
                    {r.operation.kind} {r.operation.status}
                    {r.operation.step && ` (${r.operation.step})`} by {r.operation.requestedBy}
                    {r.operation.stuck && <span className="badge bad"> stuck: no worker heartbeat</span>}
                    {r.operation.error && <div className="field-error">{r.operation.error}</div>}
                  </>
                ) : (
                  "—"
                )}
              </td>
              <td>
                {vipOf.get(r.id)?.vips.map((v) => (
                  <div key={v.vip}>
                    {v.vip}: <span className={v.status === "ok" ? "badge ok" : v.status === "down" ? "badge bad" : "badge warn"}>{v.status}</span>{" "}
                    {v.holders.join(", ") || "no holder"}
                    {v.problems.length > 0 && <small className="empty"> ({v.problems.join(", ")})</small>}
                  </div>
                )) ?? "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
