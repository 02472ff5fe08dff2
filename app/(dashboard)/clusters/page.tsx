import Link from "next/link";
import { Heading } from "@/app/ui/title";
import { ClusterList } from "@/app/ui/cluster-list";
import { clusterList } from "@/lib/data";

export const dynamic = "force-dynamic";
export const metadata = { title: "Clusters · Tripod" };

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
        <ClusterList clusters={clusters} />
      )}
    </>
  );
}
