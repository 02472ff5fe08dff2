import { after } from "next/server";
import { cache } from "react";
import { clusterCloud, clusterPage, isShownAsNotFound, labControlShown, orNotFound } from "@/lib/data";
import { ClusterLive } from "./live";

export const dynamic = "force-dynamic";

// One read per request, shared by the title and the page.
const load = cache((id: string) => clusterPage({ id }));

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  // not found: the not-found page's title; any other failure is the error page's
  const page = await load((await params).id).catch((error: unknown) => (isShownAsNotFound(error) ? null : Promise.reject(error)));
  return { title: page ? `${page.data.name} · Tripod` : "Cluster not found · Tripod" };
}

export default async function ClusterPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // The grid does not wait for the cloud's listing (its own poll shows it as soon as it arrives), which starts once
  // the page has been sent: its answers would otherwise be handled between the rendering's steps and delay the page.
  const [page, cloud, labControl] = await Promise.all([
    orNotFound(load(id)),
    orNotFound(clusterCloud(id, { waitForCloud: false, startListing: after })),
    labControlShown(),
  ]);
  return <ClusterLive initial={page.data} initialEtag={page.etag} initialCloud={cloud} labControl={labControl} />;
}
