import { apiOperationRoute } from "@/lib/data";

export const dynamic = "force-dynamic";

// Automation API: an operation's status and steps.
export const GET = apiOperationRoute;
