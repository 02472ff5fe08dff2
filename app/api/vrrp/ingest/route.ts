import { vrrpIngestRoute } from "@/lib/data";

// POST /api/vrrp/ingest — signed messages from the VIP health agents on the cluster nodes (no browser session).
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = vrrpIngestRoute;
