import { metricsRoute } from "@/lib/data";

export const dynamic = "force-dynamic";

// Prometheus text format behind the bearer token of TRIPOD_METRICS_TOKEN.
export const GET = metricsRoute;
