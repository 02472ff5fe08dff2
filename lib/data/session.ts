import "server-only";
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { authOptions } from "@/lib/auth/options";
import type { Actor } from "@/lib/auth/policy";
import { prisma } from "@/lib/db";
import { loadActor } from "./actor";

/** The signed-in actor, or null. Route handlers answer 401 on null. */
export async function currentActor(): Promise<Actor | null> {
  const session = await getServerSession(authOptions);
  const id = (session?.user as { id?: string } | undefined)?.id;
  return id ? loadActor(prisma, id) : null;
}

/** For pages and server actions: the signed-in actor, or a redirect to the sign-in page. */
export async function requireActor(): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect("/login");
  return actor;
}
