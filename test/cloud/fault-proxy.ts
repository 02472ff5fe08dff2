// A fault-injecting HTTP proxy for the reliability tests: it fronts Keystone, and every token or catalog
// response that passes through it has its endpoint origins replaced by listeners of its own, so a client
// that starts at `proxy.url` reaches every service of the catalog through it. Each request may then get a
// 503, a 409, a 429, a reset connection, a lost response or a 401 "token expired", at the configured rates
// (see fault-rules.ts), plus a fixed latency. Every listener binds 127.0.0.1 on a free port.
//
//   const proxy = await startFaultProxy({ keystoneUrl: seed.authUrl, rates: { status5xx: 0.3 }, seed: 1 });
//   … client with authUrl = proxy.url …
//   proxy.stats().injected.status5xx; proxy.setRates({ status5xx: 0 }); await proxy.stop();
//
// Standalone: npx tsx test/cloud/fault-proxy-cli.ts --help
import http from "node:http";
import type { AddressInfo } from "node:net";
import {
  FAULT_KINDS,
  catalogOrigins,
  decideFault,
  normaliseRates,
  rewriteOrigins,
  seededRandom,
  type FaultKind,
  type FaultRates,
} from "./fault-rules";

export type { FaultKind, FaultRates } from "./fault-rules";

export interface FaultProxyOptions {
  /** The Keystone v3 URL to front, e.g. http://127.0.0.1:5000/v3 (seed.json `authUrl`). */
  keystoneUrl: string;
  rates?: Partial<FaultRates>;
  /** Seed of the fault draws: the same seed and request order give the same faults. Default: random. */
  seed?: number;
  /** Port of the Keystone listener (default: any free port). */
  port?: number;
  /** Inject faults only into requests to these catalog service types, e.g. ["network"] (default: all). */
  services?: string[];
  /** Called when a request has been passed on to the cloud (e.g. to kill its client while the cloud acts on it). */
  onForward?: (method: string, path: string) => void;
}

export interface FaultStats {
  requests: number;
  /** Requests passed on to the cloud (including those whose answer was then dropped: lostResponse). */
  forwarded: number;
  injected: Record<FaultKind, number>;
  /** The cloud could not be reached or broke off (answered 502 to the client; not an injected fault). */
  upstreamErrors: number;
}

/** A planned answer: the next `times` requests matching method and path get it instead of the cloud's. */
export interface ScriptedFault {
  method: string;
  /** Tested against the request path (with query). */
  path: RegExp;
  status: number;
  body: unknown;
  headers?: http.OutgoingHttpHeaders;
  times?: number;
}

export interface FaultProxy {
  /** Keystone v3 URL through the proxy: the auth URL to give the client under test. */
  url: string;
  /** upstream origin → proxy origin, for every endpoint seen so far. */
  origins(): ReadonlyMap<string, string>;
  stats(): FaultStats;
  setRates(rates: Partial<FaultRates>): void;
  /** Answers the next matching requests as scripted (a 403, a quota error, one 503…), before any random fault. */
  script(fault: ScriptedFault): void;
  /** How many scripted answers were given, per rule in the order they were scripted. */
  scripted(): number[];
  stop(): Promise<void>;
}

const HOST = "127.0.0.1";
// Connection-level headers that belong to one hop, never to be passed on (the proxy has already answered
// any "Expect: 100-continue" itself).
const HOP_BY_HOP = ["connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade", "te", "trailer", "expect"];

function emptyStats(): FaultStats {
  const injected = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
  return { requests: 0, forwarded: 0, injected, upstreamErrors: 0 };
}

function withoutHopByHop(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = { ...headers };
  for (const name of HOP_BY_HOP) delete out[name];
  return out;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  let rates = normaliseRates(options.rates ?? {});
  const random = seededRandom(options.seed ?? Math.floor(Math.random() * 2 ** 32));
  const stats = emptyStats();
  const usedTokens = new Set<string>();
  let reauthPending = false;
  const keystone = new URL(options.keystoneUrl);
  const servers: http.Server[] = [];
  const proxyOrigins = new Map<string, string>();
  // upstream origin → the catalog service types it serves (Keystone's own origin is identity from the start).
  const originTypes = new Map<string, string[]>([[keystone.origin, ["identity"]]]);
  const faultable = (origin: string) =>
    !options.services || (originTypes.get(origin) ?? []).some((type) => options.services!.includes(type));
  const pending = new Map<string, Promise<string>>();
  const scripts: { fault: ScriptedFault; left: number; given: number }[] = [];

  // One listener per upstream origin keeps request paths intact (Swift temp-URL signatures cover the path).
  function listenerFor(upstreamOrigin: string, port = 0): Promise<string> {
    let started = pending.get(upstreamOrigin);
    if (!started) {
      started = new Promise<string>((resolve, reject) => {
        const server = http.createServer((req, res) => {
          handle(upstreamOrigin, req, res).catch((error: unknown) => {
            stats.upstreamErrors += 1;
            if (!res.headersSent) sendJson(res, 502, { error: { code: 502, message: String(error) } });
            else res.destroy();
          });
        });
        server.once("error", reject);
        server.listen(port, HOST, () => {
          const proxyOrigin = `http://${HOST}:${(server.address() as AddressInfo).port}`;
          servers.push(server);
          proxyOrigins.set(upstreamOrigin, proxyOrigin);
          resolve(proxyOrigin);
        });
      });
      pending.set(upstreamOrigin, started);
    }
    return started;
  }

  async function handle(upstreamOrigin: string, req: http.IncomingMessage, res: http.ServerResponse) {
    stats.requests += 1;
    const planned = scripts.find((f) => f.left > 0 && f.fault.method === req.method && f.fault.path.test(req.url ?? ""));
    if (planned) {
      planned.left -= 1;
      planned.given += 1;
      req.resume();
      return sendJson(res, planned.fault.status, planned.fault.body, planned.fault.headers);
    }
    const draw = random(); // drawn for every request, so that the sequence of draws depends on nothing else
    const token = req.headers["x-auth-token"];
    const freshToken = typeof token === "string" && !usedTokens.has(token);
    if (typeof token === "string") usedTokens.add(token);
    const decided = faultable(upstreamOrigin) ? decideFault(rates, { method: req.method ?? "GET", hasToken: typeof token === "string" }, draw) : null;
    // After an injected expiry the client logs in again; Keystone's new token is valid for hours, so it is not
    // refused on its first use (as no real cloud does).
    const fault = decided === "tokenExpiry" && freshToken && reauthPending ? null : decided;
    if (freshToken) reauthPending = false;
    if (fault === "tokenExpiry") reauthPending = true;
    if (rates.latencyMs > 0) await sleep(rates.latencyMs);
    if (fault) stats.injected[fault] += 1;
    switch (fault) {
      case "reset":
        req.socket.destroy();
        return;
      case "status5xx":
        return sendJson(res, 503, { error: { code: 503, title: "Service Unavailable", message: "injected by the fault proxy" } });
      case "status429":
        return sendJson(
          res,
          429,
          { error: { code: 429, title: "Too Many Requests", message: "injected by the fault proxy" } },
          { "retry-after": "1" },
        );
      case "status409":
        return sendJson(res, 409, { conflictingRequest: { code: 409, message: "injected by the fault proxy" } });
      case "tokenExpiry":
        return sendJson(
          res,
          401,
          { error: { code: 401, title: "Unauthorized", message: "The request you have made requires authentication." } },
          { "www-authenticate": `Keystone uri="${proxyOrigins.get(keystone.origin)}${keystone.pathname}"` },
        );
      case "lostResponse":
      case "errorAfterEffect":
      case null:
        return forward(upstreamOrigin, req, res, fault ?? undefined);
    }
  }

  function forward(upstreamOrigin: string, req: http.IncomingMessage, res: http.ServerResponse, replaceAnswer?: "lostResponse" | "errorAfterEffect") {
    stats.forwarded += 1;
    const target = new URL(req.url ?? "/", upstreamOrigin);
    return new Promise<void>((resolve, reject) => {
      // A fresh connection per request: uwsgi closes idle keep-alive sockets under a client's feet.
      const upstream = http.request(
        target,
        { method: req.method, headers: { ...withoutHopByHop(req.headers), host: target.host, connection: "close" }, agent: false },
        (answer) => {
          if (replaceAnswer) {
            answer.resume();
            answer.on("end", () => {
              if (replaceAnswer === "lostResponse") req.socket.destroy();
              else sendJson(res, 500, { error: { code: 500, title: "Internal Server Error", message: "injected by the fault proxy after the cloud acted" } });
              resolve();
            });
            return;
          }
          relay(answer, res, req.method === "HEAD").then(resolve, reject);
        },
      );
      upstream.on("error", reject);
      req.pipe(upstream);
      req.on("end", () => options.onForward?.(req.method ?? "GET", target.pathname));
    });
  }

  // JSON answers are buffered and their origins rewritten (after opening listeners for any new catalog
  // origin); everything else (Swift objects, image data, answers to HEAD) streams through untouched.
  async function relay(answer: http.IncomingMessage, res: http.ServerResponse, isHead: boolean) {
    const headers = withoutHopByHop(answer.headers);
    if (typeof headers.location === "string") headers.location = rewriteOrigins(headers.location, proxyOrigins);
    if (isHead || !String(answer.headers["content-type"] ?? "").includes("json")) {
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
      await new Promise<void>((resolve, reject) => answer.on("end", resolve).on("error", reject));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of answer) chunks.push(chunk as Buffer);
    let text = Buffer.concat(chunks).toString("utf8");
    if (text.includes('"catalog"')) {
      try {
        const origins = catalogOrigins(JSON.parse(text));
        for (const [origin, types] of origins) originTypes.set(origin, types);
        await Promise.all([...origins.keys()].map((origin) => listenerFor(origin)));
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
      }
    }
    text = rewriteOrigins(text, proxyOrigins);
    headers["content-length"] = Buffer.byteLength(text);
    res.writeHead(answer.statusCode ?? 502, headers);
    res.end(text);
  }

  const keystoneProxyOrigin = await listenerFor(keystone.origin, options.port ?? 0);
  return {
    url: `${keystoneProxyOrigin}${keystone.pathname.replace(/\/$/, "")}`,
    origins: () => new Map(proxyOrigins),
    stats: () => structuredClone(stats),
    setRates(partial) {
      rates = normaliseRates({ ...rates, ...partial });
    },
    script(fault) {
      scripts.push({ fault, left: fault.times ?? 1, given: 0 });
    },
    scripted: () => scripts.map((f) => f.given),
    async stop() {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
    },
  };
}
