import { apiClustersRoute } from "@/lib/data";

export const dynamic = "force-dynamic";

// Automation API: list the clusters the token may see; draft one from a spec.
export const { GET, POST } = apiClustersRoute;
