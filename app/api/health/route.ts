import { prisma } from "@/lib/db";

export const dynamic = "force-dynamic";

// Liveness plus a database round trip; used by the e2e harness and the demo script to know the server is ready.
export async function GET() {
  await prisma.$queryRaw`SELECT 1`;
  return Response.json({ ok: true });
}
