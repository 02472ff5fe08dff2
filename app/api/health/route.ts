import { healthRoute } from "@/lib/data";

export const dynamic = "force-dynamic";

// Liveness plus a database round trip; used by the e2e harness and the demo script to know the server is ready.
export const GET = healthRoute;
