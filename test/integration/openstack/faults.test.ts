// Through the fault proxy (test/cloud/fault-proxy.ts): every service of the catalog is reached through it, and it
// injects 503s, lost answers and expired tokens at the rates each test sets.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, type RequestEvent, type Session } from "@/lib/openstack/client";
import * as extensions from "@/lib/openstack/neutron/extensions/requests";
import * as networks from "@/lib/openstack/neutron/networks/requests";
import * as ports from "@/lib/openstack/neutron/ports/requests";
import * as rules from "@/lib/openstack/neutron/security-group-rules/requests";
import * as securityGroups from "@/lib/openstack/neutron/security-groups/requests";
import * as serverGroups from "@/lib/openstack/nova/server-groups/requests";
import * as servers from "@/lib/openstack/nova/servers/requests";
import { microversion } from "@/lib/openstack/nova/versions/requests";
import * as containers from "@/lib/openstack/swift/containers/requests";
import * as objects from "@/lib/openstack/swift/objects/requests";
import { startFaultProxy, type FaultProxy } from "@/test/cloud/fault-proxy";
import { cloudOptions, network, recordingSession, RUN, seed, sweep } from "./cloud";

const TAG = `${RUN}-faults`;
let proxy: FaultProxy;
const { session: direct } = recordingSession();

beforeAll(async () => {
  proxy = await startFaultProxy({ keystoneUrl: seed.authUrl, seed: 20261125 });
});

afterAll(async () => {
  await proxy?.stop();
  await sweep(direct, TAG);
  expect(await ports.list(direct, { tags: [TAG] })).toEqual([]);
}, 180_000);

function proxiedSession(onRequest?: (e: RequestEvent) => void): { session: Session; events: RequestEvent[] } {
  const events: RequestEvent[] = [];
  const session = createSession({
    ...cloudOptions(),
    authUrl: proxy.url,
    // The proxy drops an answer only once the cloud has sent it all: nothing is left in flight to wait for.
    retry: { settleMs: 200 },
    onRequest: (e) => {
      events.push(e);
      onRequest?.(e);
    },
  });
  return { session, events };
}

/** Arms one lost answer for the next POST: the proxy forwards it, the cloud acts, the client never hears back. */
function loseNextPost(): (e: RequestEvent) => void {
  proxy.setRates({ lostResponse: 0 });
  return (e) => {
    if (e.method === "POST" && e.status === undefined) proxy.setRates({ lostResponse: 0 });
  };
}

describe("through the fault proxy", { timeout: 240_000 }, () => {
  it("idempotent requests are retried through injected 503s", async () => {
    proxy.setRates({ status5xx: 0 });
    const { session, events } = proxiedSession();
    await session.currentToken();
    const before = proxy.stats().injected.status5xx;
    proxy.setRates({ status5xx: 0.5 });
    for (let i = 0; i < 8; i++) expect(await networks.list(session, { name: network("public").name })).toHaveLength(1);
    proxy.setRates({ status5xx: 0 });
    const injected = proxy.stats().injected.status5xx - before;
    expect(injected).toBeGreaterThan(0);
    expect(events.filter((e) => e.status === 503)).toHaveLength(injected);
    expect(events.filter((e) => e.service === "network" && e.status === 200)).toHaveLength(8);
  });

  it("an expired token is refreshed transparently", async () => {
    const { session, events } = proxiedSession((e) => {
      if (e.status === 401) proxy.setRates({ tokenExpiry: 0 });
    });
    await session.currentToken();
    events.length = 0;
    proxy.setRates({ tokenExpiry: 1 });
    expect(await networks.list(session, { name: network("cluster").name })).toHaveLength(1);
    expect(events.map((e) => `${e.method} ${e.path.split("?")[0]} ${e.status}`)).toEqual([
      "GET /v2.0/networks 401",
      "POST /v3/auth/tokens 201",
      "GET /v2.0/networks 200",
    ]);
  });

  it("a create whose answer was lost is adopted, not repeated: port, security group, server group, server", async () => {
    let arm = loseNextPost();
    const { session, events } = proxiedSession((e) => arm(e));
    // Token, compute microversion and Neutron's extensions first (each read once per session): only the creates'
    // POSTs are to be lost.
    await microversion(session);
    await extensions.capabilities(session);
    const lostBefore = proxy.stats().injected.lostResponse;

    const lose = () => {
      arm = loseNextPost();
      proxy.setRates({ lostResponse: 1 });
    };

    lose();
    const port = await ports.create(session, { networkId: network("public").id, name: `${TAG}-lost-port`, tags: [TAG] });
    expect(port.created).toBe(false);
    expect(port.resource.tags).toEqual([TAG]);
    expect(await ports.list(direct, { name: `${TAG}-lost-port` })).toHaveLength(1);

    lose();
    const sg = await securityGroups.create(session, { name: `${TAG}-lost-sg`, tags: [TAG] });
    expect(sg.created).toBe(false);
    expect(await securityGroups.list(direct, { name: `${TAG}-lost-sg` })).toHaveLength(1);
    await securityGroups.remove(direct, sg.resource.id); // the demo project has room for one more group only

    lose();
    const group = await serverGroups.create(session, { name: `${TAG}-lost-group`, policy: "soft-anti-affinity" });
    expect(group.created).toBe(false);
    expect((await serverGroups.list(direct)).filter((g) => g.name === `${TAG}-lost-group`)).toHaveLength(1);

    lose();
    const server = await servers.create(session, {
      name: `${TAG}-lost-server`,
      imageId: seed.image.id,
      flavorId: seed.flavor.id,
      portIds: [port.resource.id],
      metadata: { tripod_cluster: TAG },
      serverGroupId: group.resource.id,
    });
    expect(server.created).toBe(false);
    expect(await servers.list(direct, { name: `${TAG}-lost-server` })).toHaveLength(1);
    await servers.remove(direct, server.resource.id);

    expect(proxy.stats().injected.lostResponse - lostBefore).toBe(4);
    expect(events.filter((e) => e.method === "POST" && e.status === undefined)).toHaveLength(4);
  });

  it("bulk creates whose answer was lost, or answered 500 after the cloud acted, are settled by one listing: no duplicate", async () => {
    proxy.setRates({ lostResponse: 0, errorAfterEffect: 0 });
    let armed: "lostResponse" | "errorAfterEffect" | undefined;
    const { session, events } = proxiedSession((e) => {
      if (armed && e.method === "POST" && (e.status === undefined || e.status === 500)) {
        proxy.setRates({ [armed]: 0 });
        armed = undefined;
      }
    });
    const fault = (kind: "lostResponse" | "errorAfterEffect") => {
      armed = kind;
      proxy.setRates({ [kind]: 1 });
    };
    const caps = await extensions.capabilities(session); // token and extensions first: only the POSTs are faulted
    const before = proxy.stats().injected;

    for (const kind of ["lostResponse", "errorAfterEffect"] as const) {
      events.length = 0;
      const bodies = (["public", "cluster"] as const).map((role) => ({ networkId: network(role).id, name: `${TAG}-bulk-${kind}-${role}` }));
      fault(kind);
      const made = await ports.createAll(session, bodies, { tags: [TAG] });
      expect(made.map((m) => m.created)).toEqual([false, false]);
      expect(made.every((m) => m.resource.tags.includes(TAG))).toBe(true);
      for (const b of bodies) expect(await ports.list(direct, { name: b.name })).toHaveLength(1);
      const calls = events.map((e) => `${e.method} ${e.path.split("?")[0].replace(/[0-9a-f-]{36}/, "{id}")} ${e.status ?? "-"}`);
      expect(calls).toEqual([
        `POST /v2.0/ports ${kind === "lostResponse" ? "-" : 500}`,
        "GET /v2.0/ports 200",
        ...(caps.tagPortsDuringBulkCreation ? [] : bodies.map(() => "PUT /v2.0/ports/{id}/tags 200")),
      ]);
      for (const m of made) await ports.remove(direct, m.resource.id);
    }

    const sg = (await securityGroups.create(direct, { name: `${TAG}-bulk-rules`, tags: [TAG] })).resource;
    const wanted = [
      { securityGroupId: sg.id, direction: "ingress" as const, protocol: "tcp", portRangeMin: 22623, portRangeMax: 22623 },
      { securityGroupId: sg.id, direction: "ingress" as const, protocol: "tcp", portRangeMin: 6443, portRangeMax: 6443 },
    ];
    fault("errorAfterEffect");
    const made = await rules.createAll(session, wanted);
    expect(made.map((r) => r.created)).toEqual([false, false]);
    expect((await rules.list(direct, { securityGroupId: sg.id })).filter((r) => r.protocol === "tcp")).toHaveLength(2);
    await securityGroups.remove(direct, sg.id);
    const after = proxy.stats().injected;
    expect([after.lostResponse - before.lostResponse, after.errorAfterEffect - before.errorAfterEffect]).toEqual([1, 2]);
  });

  it("with 30 % of requests answered 503, a client with retries completes a smoke cycle", async () => {
    const { session, events } = proxiedSession();
    proxy.setRates({ status5xx: 0.3, lostResponse: 0, tokenExpiry: 0 });
    const before = proxy.stats().injected.status5xx;
    try {
      const { resource: port } = await ports.create(session, { networkId: network("management").id, name: `${TAG}-smoke-port` });
      await ports.update(session, port.id, { description: "smoke" });
      const tagged = await ports.create(session, { networkId: network("management").id, name: `${TAG}-smoke-port`, tags: [TAG], adoptExisting: true });
      expect(tagged.resource.id).toBe(port.id);
      expect(tagged.resource.tags).toEqual([TAG]);
      const { resource: sg } = await securityGroups.create(session, { name: `${TAG}-smoke-sg`, tags: [TAG] });
      const rule = await rules.create(session, { securityGroupId: sg.id, direction: "ingress", protocol: "tcp", portRangeMin: 22, portRangeMax: 22 });
      expect(rule.resource.portRangeMin).toBe(22);
      await containers.create(session, TAG);
      await objects.put(session, TAG, "smoke.txt", "smoke through 503s");
      expect((await objects.get(session, TAG, "smoke.txt")).toString()).toBe("smoke through 503s");

      expect(await ports.list(session, { name: `${TAG}-smoke-port` })).toHaveLength(1);
      expect(await securityGroups.list(session, { name: `${TAG}-smoke-sg` })).toHaveLength(1);

      await objects.remove(session, TAG, "smoke.txt");
      await containers.remove(session, TAG);
      await ports.remove(session, port.id);
      await securityGroups.remove(session, sg.id);
    } finally {
      proxy.setRates({ status5xx: 0 });
    }
    const injected = proxy.stats().injected.status5xx - before;
    expect(injected).toBeGreaterThan(0);
    expect(events.filter((e) => e.status === 503)).toHaveLength(injected);
    expect(await ports.list(direct, { name: `${TAG}-smoke-port` })).toEqual([]);
    expect(await securityGroups.list(direct, { name: `${TAG}-smoke-sg` })).toEqual([]);
  });
});
