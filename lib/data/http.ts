import "server-only";
import { prisma } from "@/lib/db";
import { httpStatusOf, INTERNAL_ERROR, InvalidInputError, isExpected } from "./errors";
import { currentActor, type UseCase } from "./session";

// Route handlers for the browser's polls and other JSON callers: 401 without a session, the door's errors as their
// HTTP status with a sentence, and never a stack trace (unexpected errors are logged, answered 500 with a sentence).

type RouteContext<P> = { params: Promise<P> };

export function jsonRoute<P>(useCase: UseCase<[P, Request], unknown>) {
  return route<P, unknown>(useCase, (body) => Response.json(body));
}

/** A file the browser saves: its name, type and text. */
export interface Download {
  filename: string;
  contentType: string;
  body: string;
}

/** Like jsonRoute, for downloads: the file as an attachment, never cached by the browser or a proxy. */
export function fileRoute<P>(useCase: UseCase<[P, Request], Download>) {
  return route<P, Download>(useCase, (file) =>
    new Response(file.body, {
      headers: {
        "Content-Type": `${file.contentType}; charset=utf-8`,
        "Content-Disposition": `attachment; filename="${file.filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
        "Cache-Control": "no-store",
      },
    }),
  );
}

function route<P, R>(useCase: UseCase<[P, Request], R>, respond: (result: R) => Response) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    const actor = await currentActor();
    if (!actor) return Response.json({ error: "Sign in first." }, { status: 401 });
    try {
      return respond(await useCase(prisma, actor, await context.params, request));
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
