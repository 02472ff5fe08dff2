import { clusterCloudRoute } from "@/lib/data";

export const dynamic = "force-dynamic";

// The port grid's poll: the cluster's ports and servers as the cloud lists them (cached a few seconds per cluster;
// never waiting for the cloud: the last listing while a new one is asked).
export const GET = clusterCloudRoute;
