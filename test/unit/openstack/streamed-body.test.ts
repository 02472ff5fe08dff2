import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, type RequestEvent } from "@/lib/openstack/client";
import * as objects from "@/lib/openstack/swift/objects/requests";

// A streamed body (the bootstrap Ignition config, spooled to a file) is opened anew for every attempt: a PUT that the
// object store answers 503 is sent again whole, with its length. A stand-in on 127.0.0.1 answers Keystone and Swift.

const received: { length: string | undefined; chunked: boolean; sha256: string; bytes: number }[] = [];
let refuseNext = 0;
let tokenValid = true;
let server: http.Server;
let url = "";

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const hash = createHash("sha256");
    let bytes = 0;
    req.on("data", (c: Buffer) => {
      hash.update(c);
      bytes += c.length;
    });
    req.on("end", () => {
      if (req.url === "/v3/auth/tokens") {
        tokenValid = true;
        res.writeHead(201, { "Content-Type": "application/json", "X-Subject-Token": "t" });
        return res.end(JSON.stringify({ token: { catalog: [{ type: "object-store", endpoints: [{ interface: "public", url: `${url}/v1/AUTH_p` }] }], project: { id: "p" }, user: { id: "u" } } }));
      }
      if (req.method !== "PUT") return res.writeHead(404).end();
      received.push({ length: req.headers["content-length"], chunked: req.headers["transfer-encoding"] === "chunked", sha256: hash.digest("hex"), bytes });
      if (!tokenValid) return res.writeHead(401).end();
      if (refuseNext > 0) {
        refuseNext -= 1;
        return res.writeHead(503).end();
      }
      res.writeHead(201, { Etag: "e" }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("a streamed request body", () => {
  const content = randomBytes(3 * 1024 * 1024 + 17);
  const sha256 = createHash("sha256").update(content).digest("hex");
  const streamed = () => {
    let opened = 0;
    const body = {
      length: content.length,
      // in pieces, as a file's read stream gives them
      open: () => {
        opened += 1;
        return Readable.from((function* () {
          for (let at = 0; at < content.length; at += 64 * 1024) yield content.subarray(at, at + 64 * 1024);
        })());
      },
    };
    return { body, opened: () => opened };
  };

  it("is opened again for a retried PUT and sent whole each time, with its length", async () => {
    received.length = 0;
    refuseNext = 2;
    const events: RequestEvent[] = [];
    const s = createSession({ authUrl: `${url}/v3`, auth: { type: "password", username: "u", password: "p" }, retry: { maxElapsedMs: 10_000, baseDelayMs: 1, maxDelayMs: 5 }, onRequest: (e) => events.push(e) });
    const { body, opened } = streamed();
    expect(await objects.put(s, "c", "bootstrap.ign", body)).toEqual({ etag: "e" });
    expect(opened()).toBe(3);
    expect(received).toEqual(Array(3).fill({ length: String(content.length), chunked: false, sha256, bytes: content.length }));
    expect(events.filter((e) => e.method === "PUT").map((e) => e.status)).toEqual([503, 503, 201]);
  });

  it("is opened again when the request is sent once more after a re-authentication", async () => {
    const s = createSession({ authUrl: `${url}/v3`, auth: { type: "password", username: "u", password: "p" } });
    await objects.put(s, "c", "warm-up", "x"); // the session now holds a token
    received.length = 0;
    tokenValid = false; // the cloud revoked it: the next PUT is answered 401, then re-authenticated
    const { body, opened } = streamed();
    await objects.put(s, "c", "bootstrap.ign", body);
    expect(opened()).toBe(2);
    expect(received.map((r) => [r.bytes, r.sha256])).toEqual([
      [content.length, sha256],
      [content.length, sha256],
    ]);
  });
});
