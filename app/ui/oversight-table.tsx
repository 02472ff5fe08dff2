"use client";

import Link from "@/app/ui/link";
import { isActiveOperation, VIP_LABELS } from "@/lib/domain";
import type { Oversight } from "@/lib/data";
import { DataTable } from "./data-table";
import { fit } from "./columns";
import { StatusLabel } from "./status-label";
import { useNow, useRefreshWhile } from "./cluster/time";
import { age } from "./time-text";
import { counted, operationAt } from "./words";
import { PROBLEM_WORDS } from "./cluster/vip-panels";

const UNBROKEN = { whiteSpace: "nowrap" } as const;

/** Every cluster of the projects the viewer leads: what runs and for how long, what is stuck, failed or waiting for approval. */
export function OversightTable({ data }: { data: Oversight }) {
  const { rows, totals, vips } = data;
  const now = useNow(10_000);
  useRefreshWhile(rows.some((r) => r.operation && isActiveOperation(r.operation.status)));
  const vipOf = new Map(vips.clusters.map((c) => [c.clusterId, c]));
  return (
    <>
      <p data-testid="totals" aria-live="polite">
        {counted(totals.clusters, "cluster")} · {counted(totals.active, "operation running", "operations running")} · {totals.stuck} stuck · {totals.failed} failed ·{" "}
        {totals.cancelled} cancelled · {counted(totals.needsApproval, "needs approval", "need approval")} · {totals.orphaned} deleted with resources still recorded · VIPs{" "}
        {vips.counts.ok} ok, {vips.counts.degraded} degraded, {vips.counts.down} down
      </p>
      <DataTable
        label="Clusters of the projects you lead"
        testId="oversight"
        columns={[fit("Cluster"), fit("Project"), fit("Status"), fit("Owner"), fit("Age"), "Operation", fit("In current step"), "VIPs"]}
        rows={rows.map((r) => ({
          key: r.id,
          cells: [
            <Link key="n" href={`/clusters/${r.id}`}>
              {r.name}
            </Link>,
            r.project,
            <>
              <StatusLabel status={r.status} />
              {r.needsApproval && (
                <div>
                  <StatusLabel status="warning" text={`needs approval (asked by ${r.needsApproval.requestedBy})`} testId="needs-approval" />
                </div>
              )}
            </>,
            r.createdBy,
            age(r.createdAt, now),
            r.operation ? (
              <>
                {operationAt(r.operation)} by {r.operation.requestedBy}
                {r.operation.stuck && (
                  <div>
                    <StatusLabel status="failed" text={`stuck: ${r.operation.stuck}`} />
                  </div>
                )}
                {r.operation.error && (
                  <div className="field-error">
                    {r.operation.error.first}
                    {r.operation.error.problems > 1 && ` — ${counted(r.operation.error.problems, "problem")}`}
                  </div>
                )}
              </>
            ) : (
              "—"
            ),
            r.operation?.stepSince ? age(r.operation.stepSince, now) : "—",
            vipOf.get(r.id)?.vips.map((v) => {
              // "no holder" is said where the holders go; the column's header says "VIPs"
              const problems = v.problems.filter((code) => code !== "no-holder").map((code) => PROBLEM_WORDS[code]);
              return (
                // a VIP's state on one line, never broken at a hyphen ("master-" over "0"); its problems under it
                <div key={v.vip}>
                  <span style={UNBROKEN}>
                    {VIP_LABELS[v.vip].replace(/ VIP$/, "")}: <StatusLabel status={v.status} /> {v.holders.join(", ") || "no holder"}
                  </span>
                  {problems.length > 0 && (
                    <small className="empty" style={{ display: "block" }}>
                      {problems.join(", ")}
                    </small>
                  )}
                </div>
              );
            }) ?? "—",
          ],
        }))}
      />
    </>
  );
}
