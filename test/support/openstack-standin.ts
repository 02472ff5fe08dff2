import http from "node:http";
import type { AddressInfo } from "node:net";
import { sealSecret } from "@/lib/crypto/seal";

/**
 * An OpenStack stand-in for code that calls the cloud where the test is not about the cloud (the authorization
 * matrix: a draft looks its networks up, reconcile and sweep list the project's ports, security groups, servers and
 * server groups; the dashboard bench: the cluster page lists each cluster's ports, security groups and servers;
 * registering a cloud: its connection test reads Nova's limits, Neutron's quota details and extensions): Keystone
 * issues a token whose catalog points here, Neutron knows the demo spec's networks, and every other list is empty. How a real cloud answers is tested against the local cloud (test/integration). One per process, on `port`
 * (0: any free one) of 127.0.0.1; the answer is its Keystone URL.
 */
let openstack: Promise<{ server: http.Server; url: string }> | undefined;
export function openstackStandIn(port = 0) {
  return (openstack ??= new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify(body));
      };
      const path = new URL(req.url ?? "/", base).pathname;
      req.resume();
      if (req.method === "POST" && path === "/identity/v3/auth/tokens") {
        const endpoint = (type: string, url: string) => ({ type, endpoints: [{ interface: "public", region_id: "RegionOne", region: "RegionOne", url }] });
        const catalog = [
          endpoint("identity", `${base}/identity/v3`),
          endpoint("network", `${base}/network`),
          endpoint("compute", `${base}/compute/v2.1`),
          endpoint("image", `${base}/image`),
          endpoint("object-store", `${base}/object-store/v1/AUTH_p`),
        ];
        return send(201, { token: { expires_at: new Date(Date.now() + 3600_000).toISOString(), catalog, project: { id: "p", name: "demo" }, user: { id: "u" } } }, { "x-subject-token": "t" });
      }
      if (req.method !== "GET") return send(404, { NeutronError: { message: "not in the stand-in" } });
      const networks = ["tripod-outbound", "tripod-cluster", "tripod-management", "tripod-public"].map((name) => ({ id: `id-of-${name}`, name }));
      const lists: Record<string, unknown> = {
        "/network/v2.0/networks": { networks },
        "/network/v2.0/ports": { ports: [] },
        "/network/v2.0/security-groups": { security_groups: [] },
        "/compute/v2.1/": { version: { id: "v2.1", status: "CURRENT", version: "2.90", min_version: "2.1" } },
        "/compute/v2.1/servers/detail": { servers: [] },
        "/compute/v2.1/os-server-groups": { server_groups: [] },
        "/compute/v2.1/limits": {
          limits: {
            absolute: { maxTotalInstances: 10, totalInstancesUsed: 0, maxTotalCores: 40, totalCoresUsed: 0, maxTotalRAMSize: 102400, totalRAMUsed: 0, maxServerGroups: 10, totalServerGroupsUsed: 0, maxServerGroupMembers: 10, maxServerMeta: 128 },
            rate: [],
          },
        },
        "/network/v2.0/quotas/p/details": { quota: { port: { used: 0, limit: 500, reserved: 0 }, security_group: { used: 0, limit: 10, reserved: 0 } } },
        "/network/v2.0/extensions": {
          extensions: ["port-security", "allowed-address-pairs", "standard-attr-tag", "quota_details"].map((alias) => ({ alias, name: alias, description: "", links: [], updated: "" })),
        },
      };
      return path in lists ? send(200, lists[path]) : send(404, { itemNotFound: { message: `${path} is not in the stand-in` } });
    });
    server.listen(port, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/identity/v3` }));
  }));
}

/** Stops the stand-in, if one was started. */
export async function closeOpenstackStandIn(): Promise<void> {
  const started = openstack;
  openstack = undefined;
  if (started) (await started).server.close();
}

/** Sealed password credentials, as a registered cloud stores them (the stand-in takes any). */
export function standInCredentials(): string {
  return sealSecret(JSON.stringify({ type: "password", username: "authz", password: "authz-secret", projectName: "demo", userDomainName: "Default", projectDomainName: "Default" }));
}
