import "server-only";
import NextAuth, { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { authOptions } from "@/lib/auth/options";
import { sourceAddress } from "@/lib/auth/source";
import type { Actor } from "@/lib/auth/policy";
import { prisma, type Db } from "@/lib/db";
import { loadActor } from "./actor";
import { ForbiddenError, NotFoundError } from "./errors";

// How the browser-facing entry points reach a use case: the signed-in actor, read fresh from the database on every
// request (role changes apply at once), and the process's database. Use cases themselves take (db, actor, …) so
// that tests run them against a database of their own.

/** next-auth's own route handler (sign-in, sign-out, session). */
export const authRouteHandler = NextAuth(authOptions);

/**
 * The signed-in actor, or null: no session, a session that has ended (signed out, password or role changed: the
 * token's session version is behind the user's), or a disabled user. Route handlers answer 401 on null.
 */
export async function currentActor(): Promise<Actor | null> {
  const session = await getServerSession(authOptions);
  const user = session?.user as { id?: string; sv?: number } | undefined;
  if (!user?.id || typeof user.sv !== "number") return null;
  const actor = await loadActor(prisma, user.id, { version: user.sv });
  return actor && { ...actor, source: sourceAddress((await headers()).get("x-forwarded-for")) };
}

/** For pages and server actions: the signed-in actor, or a redirect to the sign-in page. */
export async function requireActor(): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect("/login");
  return actor;
}

export type UseCase<A extends unknown[], R> = (db: Db, actor: Actor, ...args: A) => Promise<R>;

/** A use case bound to the signed-in actor (or the sign-in page) and the process's database. */
export function withActor<A extends unknown[], R>(useCase: UseCase<A, R>): (...args: A) => Promise<R> {
  return async (...args) => useCase(prisma, await requireActor(), ...args);
}

/** For pages: what the actor may not see or do renders the not-found page, as a missing thing does. */
export async function orNotFound<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof ForbiddenError) notFound();
    throw error;
  }
}
