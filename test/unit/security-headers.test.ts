import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { transportSecurityHeaders, withHeaders } from "@/lib/security-headers";

// The dashboard's server (lib/cli/serve.ts) adds HSTS to every answer when NEXTAUTH_URL is https, before Next.js or
// its own handler writes the answer: on a real HTTP server, with a listener that writes its headers as Next.js does.
describe("the server's HSTS", () => {
  let close: (() => void) | null = null;
  afterEach(() => close?.());

  async function answerOf(env: Record<string, string>, listener: (req: IncomingMessage, res: ServerResponse) => void) {
    const server = createServer(withHeaders(transportSecurityHeaders(env), listener));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    close = () => {
      server.closeAllConnections();
      server.close();
    };
    return fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/login`);
  }
  const page = (_req: IncomingMessage, res: ServerResponse) => {
    res.setHeader("X-Frame-Options", "DENY");
    res.writeHead(200, { "Content-Type": "text/html" }).end("<p>page</p>");
  };

  it("is on every answer when the dashboard's address is https, beside the answer's own headers", async () => {
    const res = await answerOf({ NEXTAUTH_URL: "https://tripod.example.com" }, page);
    expect(res.headers.get("strict-transport-security")).toBe("max-age=31536000");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(await res.text()).toBe("<p>page</p>");
  });

  it("is not there over plain HTTP", async () => {
    const res = await answerOf({ NEXTAUTH_URL: "http://127.0.0.1:3000" }, page);
    expect(res.headers.get("strict-transport-security")).toBeNull();
    expect(transportSecurityHeaders({})).toEqual([]);
  });

  it("gives way to an answer's own header of the same name", async () => {
    const res = await answerOf({ NEXTAUTH_URL: "https://tripod.example.com" }, (_req, res) => {
      res.writeHead(200, { "Strict-Transport-Security": "max-age=60" }).end();
    });
    expect(res.headers.get("strict-transport-security")).toBe("max-age=60");
  });
});
