import "server-only";
import { createHash } from "node:crypto";
import type { Actor } from "@/lib/auth/policy";
import { prisma } from "@/lib/db";
import { httpStatusOf, INTERNAL_ERROR, InvalidInputError, isExpected } from "./errors";
import { currentActor, type UseCase } from "./session";

// Route handlers for the browser's polls, downloads and other callers: 401 without a session, the door's errors as
// their HTTP status with a sentence, and never a stack trace (unexpected errors are logged, answered 500 with a sentence).

type RouteContext<P> = { params: Promise<P> };

// The browser keeps the body and revalidates on every poll (If-None-Match); nothing shared caches it.
const REVALIDATE = "private, no-cache";

/** What an answer depends on besides the data: who asks (their role and memberships decide what they may do). */
function actorTag(actor: Actor): string {
  const key = JSON.stringify([actor.id, actor.role, actor.memberships.map((m) => `${m.projectId}:${m.role}`).sort()]);
  return createHash("sha1").update(key).digest("base64url").slice(0, 12);
}

/** The session and error handling every route shares; `answer` builds the response for the signed-in actor. */
function route<P>(answer: (actor: Actor, params: P, request: Request) => Promise<Response>) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    const actor = await currentActor();
    if (!actor) return Response.json({ error: "Sign in first." }, { status: 401 });
    try {
      return await answer(actor, await context.params, request);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/**
 * A JSON route. With `versionOf` the answer has a version (one small query, which also checks access): it is the
 * ETag, and when the browser already holds that version the answer is 304 Not Modified, without building the body.
 */
export function jsonRoute<P>(useCase: UseCase<[P, Request], unknown>, versionOf?: UseCase<[P], string>) {
  return route<P>(async (actor, params, request) => {
    if (!versionOf) return Response.json(await useCase(prisma, actor, params, request));
    const etag = `W/"${await versionOf(prisma, actor, params)}.${actorTag(actor)}"`;
    const held = request.headers.get("if-none-match")?.split(",").map((t) => t.trim()) ?? [];
    const headers = { ETag: etag, "Cache-Control": REVALIDATE };
    if (held.includes(etag)) return new Response(null, { status: 304, headers });
    return Response.json(await useCase(prisma, actor, params, request), { headers });
  });
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

export function errorResponse(error: unknown): Response {
  if (isExpected(error)) {
    const fields = error instanceof InvalidInputError ? { errors: error.errors } : {};
    return Response.json({ error: error.message, ...fields }, { status: httpStatusOf(error) });
  }
  console.error(error);
  return Response.json({ error: INTERNAL_ERROR }, { status: 500 });
}
