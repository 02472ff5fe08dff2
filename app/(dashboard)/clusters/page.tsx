import Link from "@/app/ui/link";
import { Heading } from "@/app/ui/title";
import { ActionLink, RefusedFilters } from "@/app/ui/page-parts";
import { ClusterList } from "@/app/ui/cluster-list";
import { redirectPastLastPage } from "@/app/ui/last-page";
import { clusterList, withoutRefusedFilters } from "@/lib/data";

export const dynamic = "force-dynamic";
export const metadata = { title: "Clusters · Tripod" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ClustersPage({ searchParams }: { searchParams: SearchParams }) {
  const query = await searchParams;
  const { view: list, refused } = await withoutRefusedFilters(query, clusterList);
  redirectPastLastPage("/clusters", query, { info: list });
  const filtered = list.filters.q || list.filters.status || list.filters.projectId || list.filters.deleted;
  return (
    <>
      <Heading>Clusters</Heading>
      <RefusedFilters refused={refused} />
      <p style={{ margin: "0.5rem 0 1rem" }}>
        <ActionLink href="/clusters/new">New cluster</ActionLink>
      </p>
      {list.total === 0 && !filtered ? (
        <p className="empty" data-testid="no-clusters">
          No clusters yet. <Link href="/clusters?deleted=1">Show deleted ones</Link>
        </p>
      ) : (
        <ClusterList list={list} />
      )}
    </>
  );
}
