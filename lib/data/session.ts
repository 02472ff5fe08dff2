import "server-only";
import NextAuth from "next-auth";
import { getToken } from "next-auth/jwt";
import { cookies, headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { authOptions } from "@/lib/auth/options";
import { authSecret } from "@/lib/auth/secret";
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

type TokenRequest = Parameters<typeof getToken>[0]["req"];

/**
 * The signed-in actor, or null: no session, a session that has ended (signed out, password or role changed: the
 * token's session version is behind the user's), or a disabled user. Route handlers answer 401 on null. Loaded once
 * per request: the layout, the page and its sections share it (React's per-request cache). The session cookie is
 * only decoded (next-auth's getToken, as proxy.ts does), not re-issued: getServerSession would encrypt a fresh
 * cookie on every request, which pages and polls cannot set anyway; /api/auth/session renews it.
 */
export const currentActor = cache(async (): Promise<Actor | null> => {
  const requestHeaders = await headers();
  const req = { cookies: await cookies(), headers: requestHeaders } as unknown as TokenRequest;
  const token = await getToken({ req, secret: authSecret });
  if (!token?.sub || typeof token.sv !== "number") return null;
  const actor = await loadActor(prisma, token.sub, { version: token.sv });
  return actor && { ...actor, source: sourceAddress(requestHeaders.get("x-forwarded-for")) };
});

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
