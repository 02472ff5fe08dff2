import { clusterView, orNotFound } from "@/lib/data";
import { ClusterLive } from "./live";

export const dynamic = "force-dynamic";

export default async function ClusterPage({ params }: { params: Promise<{ id: string }> }) {
  const view = await orNotFound(clusterView((await params).id));
  return <ClusterLive initial={view} />;
}
