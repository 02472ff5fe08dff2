// Through the fault proxy, with 30 % of all requests answered 503, a client that retries still completes
// the smoke cycle against the real local cloud — and every call of it went through the proxy.
import { createHmac, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaultProxy, type FaultProxy } from "@/test/cloud/fault-proxy";
import { readCloud, readCloudSeed } from "@/test/cloud/seed";

const seed = readCloudSeed();
const smoke = readCloud(seed.clouds.smoke);
const RUN = `fault-${randomBytes(3).toString("hex")}`;

let proxy: FaultProxy;
let token = "";
const endpoints = new Map<string, string>();
let attempts = 0;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The test's own minimal client: retries 503 and 429 for every method. That is safe here only because the
// proxy answers them without forwarding; the project's client (lib/openstack) has its own, stricter rules.
// `anonymous` sends no token (logins, temp URLs).
async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}, anonymous = false) {
  for (let attempt = 0; ; attempt++) {
    attempts += 1;
    const answer = await fetch(url, {
      method,
      headers: {
        accept: "application/json",
        "x-openstack-nova-api-version": "2.74",
        ...(token && !anonymous ? { "x-auth-token": token } : {}),
        ...(body === undefined || body instanceof Blob ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      body: body === undefined ? undefined : body instanceof Blob ? body : JSON.stringify(body),
    });
    if ((answer.status === 503 || answer.status === 429) && attempt < 10) {
      await answer.arrayBuffer();
      await sleep(Math.min(50 * 2 ** attempt, 800));
      continue;
    }
    if (answer.status >= 400) throw new Error(`${method} ${url}: HTTP ${answer.status} ${await answer.text()}`);
    return answer;
  }
}
const json = async <T>(method: string, url: string, body?: unknown) =>
  (await (await call(method, url, body)).json()) as T;
const service = (type: string) => endpoints.get(type) as string;

async function until(what: string, check: () => Promise<boolean>) {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await sleep(500);
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  proxy = await startFaultProxy({ keystoneUrl: seed.authUrl, rates: { status5xx: 0.3 }, seed: 20261125 });
});
afterAll(async () => {
  await proxy.stop();
});

describe("the smoke cycle through the fault proxy at 30 % injected 503s", () => {
  it("completes with retries, and every endpoint goes through the proxy", { timeout: 10 * 60_000 }, async () => {
    // Keystone: token + catalog through the proxy.
    const login = await call("POST", `${proxy.url}/auth/tokens`, {
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: smoke.auth.username, domain: { name: smoke.auth.user_domain_name }, password: smoke.auth.password } },
        },
        scope: { project: { name: smoke.auth.project_name, domain: { name: smoke.auth.project_domain_name } } },
      },
    });
    token = login.headers.get("x-subject-token") ?? "";
    const { token: body } = (await login.json()) as {
      token: { user: { id: string }; catalog: { type: string; endpoints: { interface: string; url: string }[] }[] };
    };
    for (const entry of body.catalog) {
      endpoints.set(entry.type, entry.endpoints.find((e) => e.interface === "public")!.url);
    }
    const proxyOrigins = new Set(proxy.origins().values());
    expect([...endpoints.keys()].sort()).toEqual(["compute", "identity", "image", "network", "object-store", "placement"]);
    for (const url of endpoints.values()) expect(proxyOrigins).toContain(new URL(url).origin);

    // Application credential: create, authenticate with it, delete.
    const identity = service("identity").replace(/\/$/, "");
    const credential = await json<{ application_credential: { id: string; secret: string } }>(
      "POST",
      `${identity}/users/${body.user.id}/application_credentials`,
      { application_credential: { name: RUN } },
    );
    const { id, secret } = credential.application_credential;
    const withCredential = await call(
      "POST",
      `${identity}/auth/tokens`,
      { auth: { identity: { methods: ["application_credential"], application_credential: { id, secret } } } },
      {},
      true,
    );
    expect(withCredential.status).toBe(201);
    await call("DELETE", `${identity}/users/${body.user.id}/application_credentials/${id}`);

    // Neutron: network, subnet, security group with a VRRP rule, ports with address pairs, tags after create.
    const net = `${service("network")}/v2.0`;
    const network = (await json<{ network: { id: string } }>("POST", `${net}/networks`, { network: { name: RUN } })).network;
    await call("PUT", `${net}/networks/${network.id}/tags`, { tags: [RUN] });
    const subnet = (
      await json<{ subnet: { id: string } }>("POST", `${net}/subnets`, {
        subnet: { name: RUN, network_id: network.id, ip_version: 4, cidr: "10.78.0.0/24" },
      })
    ).subnet;
    const group = (await json<{ security_group: { id: string } }>("POST", `${net}/security-groups`, { security_group: { name: RUN } }))
      .security_group;
    await call("PUT", `${net}/security-groups/${group.id}/tags`, { tags: [RUN] });
    await call("POST", `${net}/security-group-rules`, {
      security_group_rule: { security_group_id: group.id, direction: "ingress", ethertype: "IPv4", protocol: "112" },
    });
    const ports: string[] = [];
    for (let k = 0; k < 4; k++) {
      const port = (
        await json<{ port: { id: string } }>("POST", `${net}/ports`, {
          port: {
            name: `${RUN}-${k}`,
            network_id: network.id,
            fixed_ips: [{ subnet_id: subnet.id, ip_address: `10.78.0.${20 + k}` }],
            security_groups: [group.id],
            allowed_address_pairs: [{ ip_address: "10.78.0.5" }, { ip_address: "10.78.0.6" }],
          },
        })
      ).port;
      await call("PUT", `${net}/ports/${port.id}/tags`, { tags: [RUN, `node${k}`] });
      ports.push(port.id);
    }
    expect((await json<{ ports: unknown[] }>("GET", `${net}/ports?tags=${RUN}`)).ports).toHaveLength(4);

    // Swift: object + temp URL fetched without a token, through the proxy.
    const account = service("object-store");
    const bytes = randomBytes(64 * 1024);
    await call("PUT", `${account}/${RUN}`);
    await call("PUT", `${account}/${RUN}/blob`, new Blob([bytes]), { "content-type": "application/octet-stream" });
    const key = randomBytes(16).toString("hex");
    await call("POST", account, undefined, { "x-account-meta-temp-url-key-2": key });
    const path = `${new URL(account).pathname}/${RUN}/blob`;
    const expires = Math.floor(Date.now() / 1000) + 300;
    const signature = createHmac("sha256", key).update(`GET\n${expires}\n${path}`).digest("hex");
    const tempUrl = `${new URL(account).origin}${path}?temp_url_sig=${signature}&temp_url_expires=${expires}`;
    const fetched = Buffer.from(await (await call("GET", tempUrl, undefined, {}, true)).arrayBuffer());
    expect(fetched.equals(bytes)).toBe(true);

    // Glance: an image that becomes active.
    const glance = service("image");
    const image = await json<{ id: string }>("POST", `${glance}/v2/images`, { name: RUN, disk_format: "raw", container_format: "bare" });
    await call("PUT", `${glance}/v2/images/${image.id}/file`, new Blob([new Uint8Array(4096)]), { "content-type": "application/octet-stream" });
    expect((await json<{ status: string }>("GET", `${glance}/v2/images/${image.id}`)).status).toBe("active");

    // Nova: 4 servers on the pre-created ports → ACTIVE.
    const nova = service("compute");
    const servers: string[] = [];
    for (let k = 0; k < 4; k++) {
      const server = await json<{ server: { id: string } }>("POST", `${nova}/servers`, {
        server: { name: `${RUN}-${k}`, imageRef: seed.image.id, flavorRef: seed.flavor.id, networks: [{ port: ports[k] }] },
      });
      servers.push(server.server.id);
    }
    await until("4 ACTIVE servers", async () => {
      const { servers: listed } = await json<{ servers: { status: string }[] }>("GET", `${nova}/servers/detail?name=%5E${RUN}`);
      if (listed.some((s) => s.status === "ERROR")) throw new Error("a server went to ERROR");
      return listed.length === 4 && listed.every((s) => s.status === "ACTIVE");
    });

    // Delete everything, and check that it is gone.
    for (const server of servers) await call("DELETE", `${nova}/servers/${server}`);
    await until("servers deleted", async () => (await json<{ servers: unknown[] }>("GET", `${nova}/servers?name=%5E${RUN}`)).servers.length === 0);
    for (const port of ports) await call("DELETE", `${net}/ports/${port}`);
    await call("DELETE", `${net}/security-groups/${group.id}`);
    await call("DELETE", `${net}/networks/${network.id}`);
    await call("DELETE", `${glance}/v2/images/${image.id}`);
    await call("DELETE", `${account}/${RUN}/blob`);
    await call("DELETE", `${account}/${RUN}`);
    await call("POST", account, undefined, { "x-remove-account-meta-temp-url-key-2": "x" });
    expect((await json<{ ports: unknown[] }>("GET", `${net}/ports?tags=${RUN}`)).ports).toHaveLength(0);
    expect((await json<{ networks: unknown[] }>("GET", `${net}/networks?tags=${RUN}`)).networks).toHaveLength(0);

    const stats = proxy.stats();
    expect(stats.upstreamErrors).toBe(0);
    expect(stats.requests).toBe(attempts);
    expect(stats.injected.status5xx / stats.requests).toBeGreaterThan(0.15);
    expect(stats.injected.status5xx / stats.requests).toBeLessThan(0.45);
    console.log(`fault proxy: ${stats.requests} requests, ${stats.injected.status5xx} injected 503s, all retried`);
  });
});
