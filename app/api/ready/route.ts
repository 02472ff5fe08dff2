import { readyRoute } from "@/lib/data";

export const dynamic = "force-dynamic";

// Readiness: the database answers and a lifecycle worker is alive (503 with the reason otherwise).
export const GET = readyRoute;
