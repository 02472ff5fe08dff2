import { healthRoute } from "@/lib/data";

export const dynamic = "force-dynamic";

// Liveness: the process answers (no database round trip: /api/ready is the readiness probe).
export const GET = healthRoute;
