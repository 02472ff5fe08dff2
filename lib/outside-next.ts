import type { IncomingMessage, ServerResponse } from "node:http";
import { processWide } from "./process-wide";

// Requests the dashboard's server (lib/cli/serve.ts) answers itself, before Next.js: the VIP agents' messages, 80 a
// second from the agents of 800 live clusters, each of which cost Next.js's request handling (routing, its Request
// and Response, its headers) twice what the ingest itself costs (issue 18). Each is also a route of app/ with the same
// method and path, and the same code behind it: Next.js answers it until a handler is registered here (the ingest's
// route registers its own when it first answers), and under `next dev`. Relative imports only: the server is
// compiled on its own (tsconfig.server.json), without the `@/` paths.

/** Answers the request completely, errors included (the server does not look at it again). */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

const handlers = processWide("outside-next", () => new Map<string, NodeHandler>());
const keyOf = (method: string, path: string) => `${method} ${path}`;

/** Has the server answer `method` `path` (no query) with `handler` from now on, in place of Next.js's route. */
export function answerOutsideNext(method: string, path: string, handler: NodeHandler): void {
  handlers.set(keyOf(method, path), handler);
}

/** The method and path of every request answered outside Next.js. */
export function pathsOutsideNext(): { method: string; path: string }[] {
  return [...handlers.keys()].map((key) => {
    const [method, path] = key.split(" ");
    return { method, path };
  });
}

/** The server's request listener: a registered handler for its method and path (query ignored), else Next.js. */
export function outsideNextOr(next: NodeHandler): NodeHandler {
  return (req, res) => {
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const own = handlers.get(keyOf(req.method ?? "GET", query < 0 ? url : url.slice(0, query)));
    (own ?? next)(req, res);
  };
}
