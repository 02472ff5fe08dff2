import "server-only";
import { createHash } from "node:crypto";
import type { Actor } from "@/lib/auth/policy";
import { prisma, type Db } from "@/lib/db";
import { logUnexpected } from "@/lib/db-errors";
import { DATABASE_UNAVAILABLE, httpStatusOf, INTERNAL_ERROR, InvalidInputError, isExpected } from "./errors";
import { currentActor, requestClaims, requireActor, withSource, type SessionClaims, type UseCase } from "./session";

// Route handlers for the browser's polls, uploads and downloads, and other callers (a use case may answer a Response of
// its own): 401 without a session, the door's errors as their HTTP status with a sentence, and never a stack trace
// (unexpected errors are logged, answered 500 with a sentence; while the database is unavailable, 503 and "try again").

type RouteContext<P> = { params: Promise<P> };

// The browser keeps the body and revalidates on every poll (If-None-Match); nothing shared caches it.
const REVALIDATE = "private, no-cache";

/** What an answer depends on besides the data: who asks (their role and memberships decide what they may do). */
function actorTag(actor: Actor): string {
  const key = JSON.stringify([actor.id, actor.role, actor.memberships.map((m) => `${m.projectId}:${m.role}`).sort()]);
  return createHash("sha1").update(key).digest("base64url").slice(0, 12);
}

/** The ETag of a versioned answer: its version and who asks. */
function versionTag(version: string, actor: Actor): string {
  return `W/"${version}.${actorTag(actor)}"`;
}

/** Who asks (null: no session, or one that has ended) and what was read with them in the same statement. */
type SignedIn<P, X> = (params: P, request: Request) => Promise<{ actor: Actor; read: X } | null>;

const sessionActor = async <X>(): Promise<{ actor: Actor; read: X } | null> => {
  const actor = await currentActor();
  return actor && { actor, read: undefined as X };
};

/** The session and error handling every route shares; `answer` builds the response for the signed-in actor. */
function route<P, X = undefined>(answer: (actor: Actor, params: P, request: Request, read: X) => Promise<Response>, signedIn: SignedIn<P, X> = sessionActor) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      const params = await context.params;
      const who = await signedIn(params, request);
      if (!who) return Response.json({ error: "Sign in first." }, { status: 401 });
      return await answer(who.actor, params, request, who.read);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** The session's actor and the version of what a route answers, or null when the session has ended. */
export type Versioned<P> = (db: Db, claims: SessionClaims, params: P) => Promise<{ actor: Actor; version: string } | null>;

/**
 * A JSON route. With `versioned` the answer has a version, read with the session's actor in one small statement
 * (which also checks access): it is the ETag, and when the browser already holds that version the answer is
 * 304 Not Modified, without building the body.
 */
export function jsonRoute<P>(useCase: UseCase<[P, Request], unknown>, versioned?: Versioned<P>) {
  if (!versioned) {
    return route<P>(async (actor, params, request) => {
      const result = await useCase(prisma, actor, params, request);
      return result instanceof Response ? result : Response.json(result);
    });
  }
  const signedIn: SignedIn<P, string> = async (params, request) => {
    const claims = await requestClaims(request);
    if (!claims) return null;
    const found = await versioned(prisma, claims, params);
    return found && { actor: withSource(found.actor, claims), read: found.version };
  };
  return route<P, string>(async (actor, params, request, version) => {
    const etag = versionTag(version, actor);
    const held = request.headers.get("if-none-match")?.split(",").map((t) => t.trim()) ?? [];
    const headers = { ETag: etag, "Cache-Control": REVALIDATE };
    if (held.includes(etag)) return new Response(null, { status: 304, headers });
    return Response.json(await useCase(prisma, actor, params, request), { headers });
  }, signedIn);
}

/**
 * For a page that a versioned JSON route keeps current: its data and the ETag that route answers with. The version is
 * read first, so the data is never older than its tag, and the page's first poll (sending the tag) is a 304 unless
 * something changed since. No session, or one that has ended: the sign-in page.
 */
export function versionedPage<P, R>(useCase: UseCase<[P], R>, version: UseCase<[P], string>) {
  return async (params: P): Promise<{ data: R; etag: string }> => {
    // the request's actor, which the dashboard's frame has loaded (one read of the user per request)
    const actor = await requireActor();
    const read = await version(prisma, actor, params);
    return { data: await useCase(prisma, actor, params), etag: versionTag(read, actor) };
  };
}

/** A file the browser saves: its name, type and text. */
export interface Download {
  filename: string;
  contentType: string;
  body: string;
}

/** Like jsonRoute, for downloads: the file as an attachment, never cached by the browser or a proxy. */
export function fileRoute<P>(useCase: UseCase<[P, Request], Download>) {
  return route<P>(async (actor, params, request) => {
    const file = await useCase(prisma, actor, params, request);
    return new Response(file.body, {
      headers: {
        "Content-Type": `${file.contentType}; charset=utf-8`,
        "Content-Disposition": `attachment; filename="${file.filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
        "Cache-Control": "no-store",
      },
    });
  });
}

/** A restart of the database takes a few seconds. */
const RETRY_AFTER_S = 5;

export function errorResponse(error: unknown): Response {
  if (isExpected(error)) {
    const fields = error instanceof InvalidInputError ? { errors: error.errors } : {};
    return Response.json({ error: error.message, ...fields }, { status: httpStatusOf(error) });
  }
  if (logUnexpected(error) === "unavailable") {
    return Response.json({ error: DATABASE_UNAVAILABLE }, { status: 503, headers: { "Retry-After": String(RETRY_AFTER_S) } });
  }
  return Response.json({ error: INTERNAL_ERROR }, { status: 500 });
}
