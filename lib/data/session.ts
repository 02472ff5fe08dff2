import "server-only";
import NextAuth from "next-auth";
import { cookies, headers } from "next/headers";
import { NextRequest } from "next/server";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { authOptions } from "@/lib/auth/options";
import { renewalDelay, SESSION_RENEW_AFTER_S, type SessionRenewal } from "@/lib/auth/session-renewal";
import { sessionToken } from "@/lib/auth/session-token";
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

type TokenRequest = Parameters<typeof sessionToken>[0];

/** Who the session cookie names and under which session version, and where the request comes from. */
export interface SessionClaims {
  userId: string;
  version: number;
  source: string;
  /** the cookie's expiry, in seconds since the epoch (the token's `exp`) */
  expiresAt: number;
}

/**
 * The request's session claims, decoded from the cookie only (nothing read from the database yet), or null. The
 * session cookie is only decoded (lib/auth/session-token.ts, as proxy.ts does), not re-issued: getServerSession
 * would encrypt a fresh cookie on every request, which pages and polls cannot set anyway; /api/auth/session renews it.
 */
export const currentClaims = cache(async (): Promise<SessionClaims | null> => {
  const requestHeaders = await headers();
  return claimsOf({ cookies: await cookies(), headers: requestHeaders } as unknown as TokenRequest, requestHeaders);
});

/**
 * The session claims of a route handler's request, read from the request itself: next/headers' cookies() in a route
 * handler builds Next's mutable cookie store on every call, which the cluster page's poll (every second per open
 * page) does not need. Next.js hands route handlers a NextRequest (its parsed cookies); a plain Request is wrapped.
 */
export function requestClaims(request: Request): Promise<SessionClaims | null> {
  const withCookies = "cookies" in request ? request : new NextRequest(request);
  return claimsOf(withCookies as unknown as TokenRequest, request.headers);
}

async function claimsOf(req: TokenRequest, requestHeaders: Headers): Promise<SessionClaims | null> {
  const token = await sessionToken(req);
  if (!token?.sub || typeof token.sv !== "number") return null;
  return {
    userId: token.sub,
    version: token.sv,
    source: sourceAddress(requestHeaders.get("x-forwarded-for")),
    expiresAt: typeof token.exp === "number" ? token.exp : 0,
  };
}

/**
 * The signed-in actor, or null: no session, a session that has ended (signed out, password or role changed: the
 * token's session version is behind the user's), or a disabled user. Route handlers answer 401 on null. Loaded once
 * per request: the layout, the page and its sections share it (React's per-request cache).
 */
export const currentActor = cache(async (): Promise<Actor | null> => {
  const claims = await currentClaims();
  if (!claims) return null;
  const actor = await loadActor(prisma, claims.userId, claims);
  return actor && withSource(actor, claims);
});

/** The actor as this request's: with the client's address (for the audit log). */
export function withSource(actor: Actor, claims: SessionClaims): Actor {
  return { ...actor, source: claims.source };
}

/** For the dashboard's frame: when the browser should renew the session cookie (lib/auth/session-renewal.ts). */
export async function sessionRenewal(now = Date.now()): Promise<SessionRenewal> {
  const claims = await currentClaims();
  return { dueInMs: claims ? renewalDelay(claims.expiresAt, now) : 0, everyMs: SESSION_RENEW_AFTER_S * 1000 };
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

/** What a page shows as not found: a missing thing, and what the actor may not see or do. */
export function isShownAsNotFound(error: unknown): boolean {
  return error instanceof NotFoundError || error instanceof ForbiddenError;
}

/** For pages: what the actor may not see or do renders the not-found page, as a missing thing does. */
export async function orNotFound<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (error) {
    if (isShownAsNotFound(error)) notFound();
    throw error;
  }
}
