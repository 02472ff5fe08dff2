import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { securityHeadersFromEnv, transportSecurityHeaders, withContentSecurityPolicy, withHeaders } from "@/lib/security-headers";

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

// Every answer of the dashboard's server gets a policy of its own whose script nonce Next.js reads from the request.
describe("the server's content security policy", () => {
  let close: (() => void) | null = null;
  afterEach(() => close?.());

  it("gives each answer a fresh nonce, and the request the same policy in place of the client's", async () => {
    const seen: { request: string | undefined; reportOnly: string | undefined }[] = [];
    const server = createServer(
      withContentSecurityPolicy((req, res) => {
        seen.push({ request: req.headers["content-security-policy"] as string | undefined, reportOnly: req.headers["content-security-policy-report-only"] as string | undefined });
        res.writeHead(200, { "Content-Type": "text/html" }).end("<p>page</p>");
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    close = () => {
      server.closeAllConnections();
      server.close();
    };
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/login`;
    const forged = { "Content-Security-Policy": "script-src 'nonce-chosenbyclient'", "Content-Security-Policy-Report-Only": "script-src 'nonce-x'" };
    const policies = [(await fetch(url, { headers: forged })).headers.get("content-security-policy"), (await fetch(url)).headers.get("content-security-policy")];

    const nonces = policies.map((policy) => /script-src 'self' 'nonce-([A-Za-z0-9+/]{22}==)'; /.exec(policy ?? "")?.[1]);
    expect(nonces[0]).toBeTruthy();
    expect(nonces[1]).toBeTruthy();
    expect(nonces[0]).not.toBe(nonces[1]);
    expect(seen).toEqual(policies.map((policy) => ({ request: policy, reportOnly: undefined })));
    for (const policy of policies) {
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).not.toMatch(/script-src[^;]*unsafe/);
    }
  });

  it("comes from next.config.ts only under `next dev`, with what its development server needs", () => {
    const policyOf = (env: Record<string, string>) => securityHeadersFromEnv(env).find((h) => h.key === "Content-Security-Policy")?.value;
    expect(policyOf({ NODE_ENV: "production" })).toBeUndefined();
    expect(policyOf({ NODE_ENV: "development" })).toMatch(/script-src 'self' 'unsafe-inline' 'unsafe-eval'; /);
    expect(securityHeadersFromEnv({ NODE_ENV: "production" }).map((h) => h.key)).toEqual(["X-Frame-Options", "Referrer-Policy", "X-Content-Type-Options"]);
  });
});
