import { apiApproveTeardownRoute } from "@/lib/data";

export const dynamic = "force-dynamic";

// Automation API: a second member approves a two-person teardown request; the teardown is queued.
export const POST = apiApproveTeardownRoute;
