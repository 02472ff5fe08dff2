import "server-only";
import { prisma } from "@/lib/db";
import { httpStatusOf, INTERNAL_ERROR, InvalidInputError, isExpected } from "./errors";
import { currentActor, type UseCase } from "./session";

// Route handlers for the browser's polls, uploads and downloads (a use case may answer a Response of its own): 401 without a session, the door's errors as their
// HTTP status with a sentence, and never a stack trace (unexpected errors are logged, answered 500 with a sentence).

type RouteContext<P> = { params: Promise<P> };

export function jsonRoute<P>(useCase: UseCase<[P, Request], unknown>) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    const actor = await currentActor();
    if (!actor) return Response.json({ error: "Sign in first." }, { status: 401 });
    try {
      const result = await useCase(prisma, actor, await context.params, request);
      return result instanceof Response ? result : Response.json(result);
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
