import { labStatusRoute } from "@/lib/data";

export const dynamic = "force-dynamic";

// The demo lab's nodes of the cluster (which runs keepalived and its API stand-in): admins only, 404 unless the demo
// lab is on and plays the cluster.
export const GET = labStatusRoute;
