import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, type RequestEvent } from "@/lib/openstack/client";
import * as ports from "@/lib/openstack/neutron/ports/requests";

// The request shapes of the bulk port path on clouds unlike the local one (which has neither case): a Neutron that
// takes tags in the POST (tag-ports-during-bulk-creation), and one that refuses bulk requests. A small stand-in on
// 127.0.0.1 answers Keystone and Neutron; the real-cloud path is in test/integration/openstack.

interface Cloud {
  extensions: string[];
  bulk: boolean;
  posts: unknown[];
}

const cloud: Cloud = { extensions: [], bulk: true, posts: [] };
let server: http.Server;
let url = "";
let serial = 0;

function portOf(body: Record<string, unknown>) {
  return { id: `port-${++serial}`, network_id: body.network_id, name: body.name, tags: cloud.extensions.includes("tag-ports-during-bulk-creation") ? (body.tags ?? []) : [] };
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let text = "";
    req.on("data", (c) => (text += c));
    req.on("end", () => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "Content-Type": "application/json", ...headers });
        res.end(JSON.stringify(body));
      };
      const body = text ? JSON.parse(text) : undefined;
      if (req.url === "/v3/auth/tokens") {
        return send(201, { token: { catalog: [{ type: "network", endpoints: [{ interface: "public", url }] }], project: { id: "p" }, user: { id: "u" } } }, { "X-Subject-Token": "t" });
      }
      if (req.url === "/v2.0/extensions") return send(200, { extensions: cloud.extensions.map((alias) => ({ alias, name: alias })) });
      if (req.method === "POST" && req.url === "/v2.0/ports") {
        cloud.posts.push(body);
        if (body.ports && !cloud.bulk) return send(400, { NeutronError: { type: "BadRequest", message: "Bulk operation not supported" } });
        return body.ports ? send(201, { ports: body.ports.map(portOf) }) : send(201, { port: portOf(body.port) });
      }
      const tags = /^\/v2\.0\/ports\/([^/]+)\/tags$/.exec(req.url ?? "");
      if (req.method === "PUT" && tags) return send(200, { tags: body.tags });
      send(404, { NeutronError: { type: "NotFound", message: req.url } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function session() {
  const events: RequestEvent[] = [];
  return { s: createSession({ authUrl: `${url}/v3`, auth: { type: "password", username: "u", password: "p" }, onRequest: (e) => events.push(e) }), events };
}
const calls = (events: RequestEvent[]) => events.map((e) => `${e.method} ${e.path.replace(/port-\d+/, "{id}")}`);
const bodies = [
  { networkId: "n1", name: "a" },
  { networkId: "n2", name: "b" },
];

describe("bulk ports against clouds unlike the local one", () => {
  it("with tag-ports-during-bulk-creation: tags in the one bulk POST, no PUT", async () => {
    Object.assign(cloud, { extensions: ["standard-attr-tag", "tag-ports-during-bulk-creation"], bulk: true, posts: [] });
    const { s, events } = session();
    const made = await ports.createAll(s, bodies, { tags: ["c"] });
    expect(made.map((m) => [m.resource.name, m.resource.tags])).toEqual([["a", ["c"]], ["b", ["c"]]]);
    expect(cloud.posts).toEqual([{ ports: [{ network_id: "n1", name: "a", tags: ["c"] }, { network_id: "n2", name: "b", tags: ["c"] }] }]);
    expect(calls(events)).toEqual(["POST /v3/auth/tokens", "GET /v2.0/extensions", "POST /v2.0/ports"]);
  });

  it("without it: no tags in the POST, one PUT per port; a cloud that refuses bulk requests gets one POST per port", async () => {
    Object.assign(cloud, { extensions: ["standard-attr-tag"], bulk: false, posts: [] });
    const { s, events } = session();
    const made = await ports.createAll(s, bodies, { tags: ["c"] });
    expect(made.map((m) => [m.resource.name, m.resource.tags])).toEqual([["a", ["c"]], ["b", ["c"]]]);
    expect(cloud.posts).toEqual([
      { ports: [{ network_id: "n1", name: "a" }, { network_id: "n2", name: "b" }] },
      { port: { network_id: "n1", name: "a" } },
      { port: { network_id: "n2", name: "b" } },
    ]);
    expect(calls(events).slice(2)).toEqual(["POST /v2.0/ports", "POST /v2.0/ports", "POST /v2.0/ports", "PUT /v2.0/ports/{id}/tags", "PUT /v2.0/ports/{id}/tags"]);
    // The refusal is remembered for the session: the next bulk goes item by item at once.
    cloud.posts = [];
    await ports.createAll(s, [{ networkId: "n1", name: "c" }, { networkId: "n1", name: "d" }]);
    expect(cloud.posts).toHaveLength(2);
  });
});
