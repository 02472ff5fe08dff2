import { clusterViewRoute } from "@/lib/data";

export const dynamic = "force-dynamic";

// The live view's poll: the whole cluster read model as JSON (another project's cluster answers 404).
export const GET = clusterViewRoute;
