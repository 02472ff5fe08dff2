import { apiClusterRoute } from "@/lib/data";

export const dynamic = "force-dynamic";

// Automation API: one cluster with its plan, operations and VIP health.
export const GET = apiClusterRoute;
