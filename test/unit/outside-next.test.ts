import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { answerOutsideNext, outsideNextOr, pathsOutsideNext, type NodeHandler } from "@/lib/outside-next";

// The dashboard's server (lib/cli/serve.ts) gives a request to a handler registered for its method and path, and
// every other one to Next.js.
describe("the server's requests outside Next.js", () => {
  const calls: string[] = [];
  const next: NodeHandler = (req) => void calls.push(`next ${req.method} ${req.url}`);
  const listener = outsideNextOr(next);
  const send = (method: string, url: string) => listener({ method, url } as IncomingMessage, {} as ServerResponse);

  it("go to Next.js until a handler is registered, then to the handler for that method and path alone", () => {
    send("POST", "/test/outside");
    answerOutsideNext("POST", "/test/outside", (req) => void calls.push(`own ${req.method} ${req.url}`));
    send("POST", "/test/outside");
    send("POST", "/test/outside?x=1");
    send("GET", "/test/outside");
    send("POST", "/test/outside/more");
    send("POST", "/test");
    expect(calls).toEqual([
      "next POST /test/outside",
      "own POST /test/outside",
      "own POST /test/outside?x=1",
      "next GET /test/outside",
      "next POST /test/outside/more",
      "next POST /test",
    ]);
    expect(pathsOutsideNext()).toContainEqual({ method: "POST", path: "/test/outside" });
  });
});
