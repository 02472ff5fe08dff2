// seed.json keeps the contract other tests are written against, and the demo quotas the cloud enforces hold one
// Tripod cluster but not two.
import { describe, expect, it } from "vitest";
import { readCloud, readCloudSeed } from "@/test/cloud/seed";

const seed = readCloudSeed();

async function demoToken(): Promise<{ token: string; catalog: Map<string, string> }> {
  const demo = readCloud(seed.clouds.demo);
  const answer = await fetch(`${seed.authUrl}/auth/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: demo.auth.username, domain: { name: demo.auth.user_domain_name }, password: demo.auth.password } },
        },
        scope: { project: { name: demo.auth.project_name, domain: { name: demo.auth.project_domain_name } } },
      },
    }),
  });
  expect(answer.status).toBe(201);
  const body = (await answer.json()) as { token: { catalog: { type: string; endpoints: { interface: string; url: string }[] }[] } };
  const catalog = new Map(
    body.token.catalog.map((s) => [s.type, s.endpoints.find((e) => e.interface === "public")!.url] as const),
  );
  return { token: answer.headers.get("x-subject-token")!, catalog };
}

describe("local cloud seeds", () => {
  it("name the domain, project, networks, flavor and image other tests rely on", () => {
    expect(seed.domain.name).toBe("tripod");
    expect(seed.project.name).toBe("demo");
    expect(seed.clouds).toMatchObject({ demo: "tripod-demo", admin: "tripod-admin" });
    expect(
      seed.networks.map((n) => [n.role, n.name, n.subnet.name, n.subnet.cidr, n.subnet.gatewayIp]),
    ).toEqual([
      ["outbound", "tripod-outbound", "tripod-outbound-subnet", "198.18.10.0/24", "198.18.10.1"],
      ["cluster", "tripod-cluster", "tripod-cluster-subnet", "198.18.20.0/24", "198.18.20.1"],
      ["management", "tripod-management", "tripod-management-subnet", "198.18.30.0/24", "198.18.30.1"],
      ["public", "tripod-public", "tripod-public-subnet", "198.18.40.0/24", "198.18.40.1"],
    ]);
    // The API and Ingress VIPs lie outside the public pool, so Neutron never hands them to a port.
    expect(seed.networks[3].subnet.allocationPools).toEqual([{ start: "198.18.40.10", end: "198.18.40.199" }]);
    expect(seed.vips).toEqual({ api: "198.18.40.5", ingress: "198.18.40.6" });
    expect(seed.flavor.name).toBe("tripod.master");
    expect(seed.image).toMatchObject({ name: "rhcos-standin", visibility: "public" });
    expect(seed.computeHosts).toHaveLength(2);
    expect(seed.swift.tempUrlKeySet).toBe(true);
  });

  it("set demo quotas that hold one cluster in every dimension, and not two", () => {
    const { compute, network } = seed.quotas;
    const one = seed.oneCluster;
    // What one and two clusters need against each quota; every project also has its `default` security group.
    const dimensions = [
      { quota: "instances", limit: compute.instances, one: one.servers, two: 2 * one.servers },
      { quota: "cores", limit: compute.cores, one: one.cores, two: 2 * one.cores },
      { quota: "ram", limit: compute.ram, one: one.ramMiB, two: 2 * one.ramMiB },
      { quota: "server_groups", limit: compute.server_groups, one: one.serverGroups, two: 2 * one.serverGroups },
      { quota: "port", limit: network.port, one: one.ports, two: 2 * one.ports },
      { quota: "security_group", limit: network.security_group, one: one.securityGroups + 1, two: 2 * one.securityGroups + 1 },
    ];
    expect(dimensions.filter((d) => d.one > d.limit)).toEqual([]);
    expect(dimensions.filter((d) => d.two > d.limit).map((d) => d.quota)).toEqual(
      expect.arrayContaining(["instances", "port"]),
    );
  });

  it("are what the cloud enforces on the demo project", async () => {
    const { token, catalog } = await demoToken();
    const headers = { "x-auth-token": token, accept: "application/json" };
    const computeQuota = (await (await fetch(`${catalog.get("compute")}/os-quota-sets/${seed.project.id}`, { headers })).json()) as {
      quota_set: Record<string, number>;
    };
    const networkQuota = (await (await fetch(`${catalog.get("network")}/v2.0/quotas/${seed.project.id}`, { headers })).json()) as {
      quota: Record<string, number>;
    };
    expect(computeQuota.quota_set).toMatchObject(seed.quotas.compute);
    expect(networkQuota.quota).toMatchObject(seed.quotas.network);
    const account = await fetch(catalog.get("object-store")!, { method: "HEAD", headers });
    expect(account.headers.get("x-account-meta-temp-url-key")).toMatch(/^[0-9a-f]{32}$/);
  });
});
