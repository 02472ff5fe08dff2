import { Heading } from "@/app/ui/title";
import Link from "next/link";
import { driftOversight, orNotFound, oversight } from "@/lib/data";
import { DriftControls, DriftTable } from "@/app/ui/drift";
import { DataTable } from "@/app/ui/data-table";
import { Pager } from "@/app/ui/pager";
import { StatusLabel } from "@/app/ui/status-label";

export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function OversightPage({ searchParams }: { searchParams: SearchParams }) {
  const { rows, page, totals, vips } = await orNotFound(oversight(await searchParams));
  const drift = await orNotFound(driftOversight());
  const vipOf = new Map(vips.clusters.map((c) => [c.clusterId, c]));
  return (
    <>
      <Heading>Team oversight</Heading>
      <p data-testid="totals">
        {totals.clusters} clusters · {totals.active} operations running · {totals.stuck} stuck · {totals.failed} failed · {totals.orphaned} orphans in the
        cloud · VIPs {vips.counts.ok} ok, {vips.counts.degraded} degraded, {vips.counts.down} down
      </p>
      <DataTable
        label="Clusters of the projects you lead"
        testId="oversight"
        columns={["Cluster", "Project", "Status", "Owner", "Last operation", "VIPs"]}
        rows={rows.map((r) => ({
          key: r.id,
          cells: [
            <Link key="n" href={`/clusters/${r.id}`}>{r.name}</Link>,
            r.project,
            <StatusLabel key="s" status={r.status} />,
            r.createdBy,
            r.operation ? (
              <>
                {r.operation.kind} {r.operation.status}
                {r.operation.step && ` (${r.operation.step})`} by {r.operation.requestedBy}
                {r.operation.stuck && <StatusLabel status="failed" text="stuck: no worker heartbeat" />}
                {r.operation.error && <div className="field-error">{r.operation.error}</div>}
              </>
            ) : (
              "—"
            ),
            vipOf.get(r.id)?.vips.map((v) => (
              <div key={v.vip}>
                {v.vip}: <StatusLabel status={v.status} /> {v.holders.join(", ") || "no holder"}
                {v.problems.length > 0 && <small className="empty"> ({v.problems.join(", ")})</small>}
              </div>
            )) ?? "—",
          ],
        }))}
      />
      <Pager info={page} testId="oversight-pager" />
      <Heading level={2}>Drift and orphans</Heading>
      <DriftControls clouds={drift.clouds} />
      <DriftTable rows={drift.rows} showCluster />
    </>
  );
}
