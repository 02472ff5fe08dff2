import { Heading } from "@/app/ui/title";
import Link from "next/link";
import { clusterList } from "@/lib/data";
import { DataTable } from "@/app/ui/data-table";
import { StatusLabel } from "@/app/ui/status-label";

export const dynamic = "force-dynamic";

const when = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", dateStyle: "short", timeStyle: "medium" });

export default async function ClustersPage() {
  const clusters = await clusterList();
  return (
    <>
      <Heading>Clusters</Heading>
      <p>
        <Link href="/clusters/new">New cluster</Link>
      </p>
      {clusters.length === 0 ? (
        <p className="empty" data-testid="no-clusters">
          No clusters yet.
        </p>
      ) : (
        <DataTable
          label="Clusters"
          testId="clusters"
          columns={["Name", "Project", "Status", "Created by", "Created"]}
          rows={clusters.map((c) => ({
            key: c.id,
            cells: [<Link key="n" href={`/clusters/${c.id}`}>{c.name}</Link>, c.project, <StatusLabel key="s" status={c.status} />, c.createdBy, `${when.format(new Date(c.createdAt))} UTC`],
          }))}
        />
      )}
    </>
  );
}
