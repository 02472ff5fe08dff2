import "server-only";
import { createHash } from "node:crypto";
import type { Actor } from "@/lib/auth/policy";
import { prisma } from "@/lib/db";
import { httpStatusOf, INTERNAL_ERROR, InvalidInputError, isExpected } from "./errors";
import { currentActor, type UseCase } from "./session";

// Route handlers for the browser's polls, uploads and downloads (a use case may answer a Response of its own): 401 without a session, the door's errors as their
// HTTP status with a sentence, and never a stack trace (unexpected errors are logged, answered 500 with a sentence).

type RouteContext<P> = { params: Promise<P> };

// The browser keeps the body and revalidates on every poll (If-None-Match); nothing shared caches it.
const REVALIDATE = "private, no-cache";

/** What an answer depends on besides the data: who asks (their role and memberships decide what they may do). */
function actorTag(actor: Actor): string {
  const key = JSON.stringify([actor.id, actor.role, actor.memberships.map((m) => `${m.projectId}:${m.role}`).sort()]);
  return createHash("sha1").update(key).digest("base64url").slice(0, 12);
}

/**
 * A JSON route. With `versionOf` the answer has a version (one small query, which also checks access): it is the
 * ETag, and when the browser already holds that version the answer is 304 Not Modified, without building the body.
 */
export function jsonRoute<P>(useCase: UseCase<[P, Request], unknown>, versionOf?: UseCase<[P], string>) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    const actor = await currentActor();
    if (!actor) return Response.json({ error: "Sign in first." }, { status: 401 });
    try {
      const params = await context.params;
      if (!versionOf) {
        const result = await useCase(prisma, actor, params, request);
        return result instanceof Response ? result : Response.json(result);
      }
      const etag = `W/"${await versionOf(prisma, actor, params)}.${actorTag(actor)}"`;
      const held = request.headers.get("if-none-match")?.split(",").map((t) => t.trim()) ?? [];
      const headers = { ETag: etag, "Cache-Control": REVALIDATE };
      if (held.includes(etag)) return new Response(null, { status: 304, headers });
      return Response.json(await useCase(prisma, actor, params, request), { headers });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

export function errorResponse(error: unknown): Response {
  if (isExpected(error)) {
    const fields = error instanceof InvalidInputError ? { errors: error.errors } : {};
    return Response.json({ error: error.message, ...fields }, { status: httpStatusOf(error) });
  }
  console.error(error);
  return Response.json({ error: INTERNAL_ERROR }, { status: 500 });
}
