import { notFound } from "next/navigation";
import { prisma } from "@/lib/db";
import { ForbiddenError } from "@/lib/data/actor";
import { getClusterView } from "@/lib/data/cluster-view";
import { requireActor } from "@/lib/data/session";
import { ClusterLive } from "./live";

export const dynamic = "force-dynamic";

export default async function ClusterPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  try {
    const view = await getClusterView(prisma, actor, (await params).id);
    return <ClusterLive initial={view} />;
  } catch (error) {
    if (error instanceof ForbiddenError) notFound();
    throw error;
  }
}
