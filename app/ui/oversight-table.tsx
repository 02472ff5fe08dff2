"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { isActiveOperation } from "@/lib/domain";
import type { Oversight } from "@/lib/data";
import { DataTable } from "./data-table";
import { StatusLabel } from "./status-label";
import { useNow } from "./cluster/time";

function since(iso: string | null, now: number | null): string {
  if (!iso) return "—";
  if (now === null) return `since ${iso.slice(11, 19)} UTC`;
  const minutes = Math.max(0, Math.round((now - new Date(iso).getTime()) / 60_000));
  return minutes < 120 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Every cluster of the projects the viewer leads: what runs and for how long, what is stuck, failed or waiting for approval. */
export function OversightTable({ data }: { data: Oversight }) {
  const { rows, totals, vips } = data;
  const router = useRouter();
  const now = useNow(10_000);
  const running = rows.some((r) => r.operation && isActiveOperation(r.operation.status));
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => router.refresh(), 5_000);
    return () => clearInterval(timer);
  }, [running, router]);
  const vipOf = new Map(vips.clusters.map((c) => [c.clusterId, c]));
  return (
    <>
      <p data-testid="totals" aria-live="polite">
        {totals.clusters} clusters · {totals.active} operations running · {totals.stuck} stuck · {totals.failed} failed · {totals.cancelled} cancelled ·{" "}
        {totals.needsApproval} need approval · {totals.orphaned} deleted with resources still recorded · VIPs {vips.counts.ok} ok, {vips.counts.degraded} degraded,{" "}
        {vips.counts.down} down
      </p>
      <DataTable
        label="Clusters of the projects you lead"
        testId="oversight"
        columns={["Cluster", "Project", "Status", "Owner", "Age", "Operation", "In current step", "VIPs"]}
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
            since(r.createdAt, now),
            r.operation ? (
              <>
                {r.operation.kind} {r.operation.status}
                {r.operation.step && ` (${r.operation.step})`} by {r.operation.requestedBy}
                {r.operation.stuck && (
                  <div>
                    <StatusLabel status="failed" text={`stuck: ${r.operation.stuck}`} />
                  </div>
                )}
                {r.operation.error && (
                  <div className="field-error">
                    {r.operation.error.first}
                    {r.operation.error.problems > 1 && ` — ${r.operation.error.problems} problems`}
                  </div>
                )}
              </>
            ) : (
              "—"
            ),
            r.operation?.stepSince ? since(r.operation.stepSince, now) : "—",
            vipOf.get(r.id)?.vips.map((v) => (
              <div key={v.vip}>
                {v.vip}: <StatusLabel status={v.status} /> {v.holders.join(", ") || "no holder"}
              </div>
            )) ?? "—",
          ],
        }))}
      />
    </>
  );
}
