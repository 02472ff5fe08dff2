import { apiCreateRoute } from "@/lib/data";

export const dynamic = "force-dynamic";

// Automation API: start creating a drafted cluster.
export const POST = apiCreateRoute;
