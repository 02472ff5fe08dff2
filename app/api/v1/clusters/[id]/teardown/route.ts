import { apiTeardownRoute } from "@/lib/data";

export const dynamic = "force-dynamic";

// Automation API: start tearing a cluster down.
export const POST = apiTeardownRoute;
