import { NextResponse } from "next/server";
import { prisma } from "@/lib/db";
import { ForbiddenError } from "@/lib/data/actor";
import { getClusterView } from "@/lib/data/cluster-view";
import { currentActor } from "@/lib/data/session";

export const dynamic = "force-dynamic";

// The live view's poll: the whole cluster read model as JSON.
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const actor = await currentActor();
  if (!actor) return NextResponse.json({ error: "Sign in first." }, { status: 401 });
  try {
    return NextResponse.json(await getClusterView(prisma, actor, (await params).id));
  } catch (error) {
    if (error instanceof ForbiddenError) return NextResponse.json({ error: error.message }, { status: 404 });
    throw error;
  }
}
