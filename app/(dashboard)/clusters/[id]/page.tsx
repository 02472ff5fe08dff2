import { cache } from "react";
import { clusterCloud, clusterView, orNotFound } from "@/lib/data";
import { ClusterLive } from "./live";

export const dynamic = "force-dynamic";

// One read per request, shared by the title and the page.
const load = cache((id: string) => clusterView(id));

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const view = await load((await params).id).catch(() => null);
  return { title: view ? `${view.name} · Tripod` : "Cluster not found · Tripod" };
}

export default async function ClusterPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const [view, cloud] = await Promise.all([orNotFound(load(id)), orNotFound(clusterCloud(id))]);
  return <ClusterLive initial={view} initialCloud={cloud} />;
}
