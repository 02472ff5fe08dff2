import { apiWithdrawTeardownRoute } from "@/lib/data";

export const dynamic = "force-dynamic";

// Automation API: the requester or a lead withdraws a two-person teardown request.
export const POST = apiWithdrawTeardownRoute;
