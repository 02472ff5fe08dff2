import { clusterCloudRoute } from "@/lib/data";

export const dynamic = "force-dynamic";

// The port grid's poll: the cluster's ports and servers as the cloud lists them (cached a few seconds per cluster).
export const GET = clusterCloudRoute;
