import { apiTeardownRoute } from "@/lib/data";

export const dynamic = "force-dynamic";

// Automation API: start tearing a cluster down, or ask for it where the project requires a second member.
export const POST = apiTeardownRoute;
