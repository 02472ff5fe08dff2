// The fault proxy against two in-process stand-ins on 127.0.0.1 (a "Keystone" whose catalog names a
// "network" service): the catalog leads through the proxy, and each fault does what it says.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFaultProxy, type FaultProxy } from "@/test/cloud/fault-proxy";

interface StandIn {
  origin: string;
  hits: string[];
  server: http.Server;
}

async function standIn(answer: (req: http.IncomingMessage, res: http.ServerResponse, origin: string) => void) {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    answer(req, res, origin);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, hits, server } satisfies StandIn;
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

let network: StandIn;
let keystone: StandIn;
const BLOB = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 251));

beforeAll(async () => {
  network = await standIn((req, res, origin) => {
    if (req.url === "/blob") {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.end(BLOB);
      return;
    }
    json(res, req.method === "POST" ? 201 : 200, {
      ports: [],
      ports_links: [{ rel: "next", href: `${origin}/v2.0/ports?marker=abc` }],
    });
  });
  keystone = await standIn((req, res, origin) => {
    json(
      res,
      201,
      {
        token: {
          catalog: [
            { type: "identity", endpoints: [{ interface: "public", url: `${origin}/v3/` }] },
            { type: "network", endpoints: [{ interface: "public", url: network.origin }] },
          ],
        },
      },
      { "x-subject-token": "t0k" },
    );
  });
});

afterAll(async () => {
  for (const s of [network, keystone]) await new Promise((resolve) => s.server.close(resolve));
});

let proxy: FaultProxy;
afterEach(async () => {
  await proxy.stop();
  network.hits.length = 0;
});

interface TokenBody {
  token: { catalog: { type: string; endpoints: { url: string }[] }[] };
}

async function login(): Promise<string> {
  const answer = await fetch(`${proxy.url}/auth/tokens`, { method: "POST", body: "{}" });
  expect(answer.status).toBe(201);
  const body = (await answer.json()) as TokenBody;
  return body.token.catalog.find((s) => s.type === "network")!.endpoints[0].url;
}

const withToken = { headers: { "x-auth-token": "t0k" } };

describe("fault proxy", () => {
  it("leads every catalog endpoint through itself, keeping paths and rewriting links", async () => {
    proxy = await startFaultProxy({ keystoneUrl: `${keystone.origin}/v3`, seed: 1 });
    expect(proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v3$/);
    const networkUrl = await login();
    expect(networkUrl).not.toBe(network.origin);
    expect(proxy.origins().get(network.origin)).toBe(networkUrl);

    const listing = (await (await fetch(`${networkUrl}/v2.0/ports?limit=1`, withToken)).json()) as {
      ports_links: { href: string }[];
    };
    expect(network.hits).toEqual(["GET /v2.0/ports?limit=1"]);
    expect(listing.ports_links[0].href).toBe(`${networkUrl}/v2.0/ports?marker=abc`);
    const blob = Buffer.from(await (await fetch(`${networkUrl}/blob`, withToken)).arrayBuffer());
    expect(blob.equals(BLOB)).toBe(true);
    expect(proxy.stats()).toMatchObject({ requests: 3, forwarded: 3, upstreamErrors: 0 });
  });

  it("passes the headers of a HEAD answer through as they are", async () => {
    proxy = await startFaultProxy({ keystoneUrl: `${keystone.origin}/v3`, seed: 5 });
    const networkUrl = await login();
    const direct = await fetch(`${network.origin}/v2.0/ports`, { ...withToken, method: "HEAD" });
    const proxied = await fetch(`${networkUrl}/v2.0/ports`, { ...withToken, method: "HEAD" });
    expect(Number(direct.headers.get("content-length"))).toBeGreaterThan(0);
    expect(proxied.headers.get("content-length")).toBe(direct.headers.get("content-length"));
  });

  it("answers 503 / 429 without bothering the service, and counts them", async () => {
    proxy = await startFaultProxy({ keystoneUrl: `${keystone.origin}/v3`, seed: 2 });
    const networkUrl = await login();
    proxy.setRates({ status5xx: 1 });
    expect((await fetch(`${networkUrl}/v2.0/ports`, withToken)).status).toBe(503);
    proxy.setRates({ status5xx: 0, status429: 1 });
    const limited = await fetch(`${networkUrl}/v2.0/ports`, withToken);
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "1"]);
    expect(network.hits).toEqual([]);
    expect(proxy.stats().injected).toMatchObject({ status5xx: 1, status429: 1 });
  });

  it("gives 409 only to writes and 401 only to requests with a token", async () => {
    proxy = await startFaultProxy({ keystoneUrl: `${keystone.origin}/v3`, seed: 3 });
    const networkUrl = await login();
    proxy.setRates({ status409: 1 });
    expect((await fetch(`${networkUrl}/v2.0/ports`, withToken)).status).toBe(200);
    expect((await fetch(`${networkUrl}/v2.0/ports`, { ...withToken, method: "POST", body: "{}" })).status).toBe(409);
    proxy.setRates({ status409: 0, tokenExpiry: 1 });
    const expired = await fetch(`${networkUrl}/v2.0/ports`, withToken);
    expect(expired.status).toBe(401);
    expect(expired.headers.get("www-authenticate")).toBe(`Keystone uri="${proxy.url}"`);
    // Logging in again carries no token, so it is never "expired".
    await login();
    expect(proxy.stats().injected).toMatchObject({ status409: 1, tokenExpiry: 1 });
  });

  it("resets before forwarding, or forwards and then drops the answer or answers 500", async () => {
    proxy = await startFaultProxy({ keystoneUrl: `${keystone.origin}/v3`, seed: 4 });
    const networkUrl = await login();
    proxy.setRates({ reset: 1 });
    await expect(fetch(`${networkUrl}/v2.0/ports`, { ...withToken, method: "POST", body: "{}" })).rejects.toThrow();
    expect(network.hits).toEqual([]);
    proxy.setRates({ reset: 0, lostResponse: 1 });
    await expect(fetch(`${networkUrl}/v2.0/ports`, { ...withToken, method: "POST", body: "{}" })).rejects.toThrow();
    expect(network.hits).toEqual(["POST /v2.0/ports"]);
    expect(proxy.stats()).toMatchObject({ forwarded: 2, injected: { reset: 1, lostResponse: 1 } });
    proxy.setRates({ lostResponse: 0, errorAfterEffect: 1 });
    expect((await fetch(`${networkUrl}/v2.0/ports`, { ...withToken, method: "POST", body: "{}" })).status).toBe(500);
    expect(network.hits).toEqual(["POST /v2.0/ports", "POST /v2.0/ports"]);
    expect(proxy.stats()).toMatchObject({ forwarded: 3, injected: { errorAfterEffect: 1 } });
  });

  it("spares the services it is not told to fault", async () => {
    proxy = await startFaultProxy({ keystoneUrl: `${keystone.origin}/v3`, rates: { status5xx: 1 }, services: ["network"] });
    const networkUrl = await login(); // identity is spared
    expect((await fetch(`${networkUrl}/v2.0/ports`, withToken)).status).toBe(503);
    expect(proxy.stats()).toMatchObject({ requests: 2, forwarded: 1, injected: { status5xx: 1 } });
  });

  it("adds the configured latency", async () => {
    proxy = await startFaultProxy({ keystoneUrl: `${keystone.origin}/v3`, rates: { latencyMs: 150 } });
    const started = performance.now();
    await login();
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });
});
