import { Heading } from "@/app/ui/title";
import Link from "next/link";
import { clusterList } from "@/lib/data";
import { DataTable } from "@/app/ui/data-table";
import { Pager } from "@/app/ui/pager";
import { StatusLabel } from "@/app/ui/status-label";

export const dynamic = "force-dynamic";

const when = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", dateStyle: "short", timeStyle: "medium" });

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ClustersPage({ searchParams }: { searchParams: SearchParams }) {
  const list = await clusterList(await searchParams);
  return (
    <>
      <Heading>Clusters</Heading>
      <p>
        <Link href="/clusters/new">New cluster</Link>
      </p>
      {list.total === 0 ? (
        <p className="empty" data-testid="no-clusters">
          No clusters yet.
        </p>
      ) : (
        <>
          <DataTable
            label="Clusters"
            testId="clusters"
            columns={["Name", "Project", "Status", "Created by", "Created"]}
            rows={list.rows.map((c) => ({
              key: c.id,
              cells: [<Link key="n" href={`/clusters/${c.id}`}>{c.name}</Link>, c.project, <StatusLabel key="s" status={c.status} />, c.createdBy, `${when.format(new Date(c.createdAt))} UTC`],
            }))}
          />
          <Pager info={list} testId="clusters-pager" />
        </>
      )}
    </>
  );
}
