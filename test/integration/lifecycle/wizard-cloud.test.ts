import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importSpec } from "@/lib/data/wizard";
import { getAddressFacts, getMachineChoices, getReview, listNetworkChoices } from "@/lib/data/wizard-cloud";
import { ipv4ToInt } from "@/lib/cluster-spec";
import { NETWORK_ROLES } from "@/lib/domain";
import * as networks from "@/lib/openstack/neutron/networks/requests";
import * as ports from "@/lib/openstack/neutron/ports/requests";
import { demoSpecInput } from "../../support/demo-spec";
import { testDb, uniq } from "../../support/db";
import { setupTenant, tenantSession, type Tenant } from "./harness";

// The wizard's reads against the local cloud: pickers, addresses in use, flavors against the minimums, and the
// review's real preflight. Nothing is created in the cloud.

const db = testDb();
let tenant: Tenant;
let clusterId: string;

beforeAll(async () => {
  tenant = await setupTenant(db, { cloudName: uniq("wizard") });
  const imported = await importSpec(db, tenant.member, { projectId: tenant.projectId, cloudId: tenant.cloudId, text: JSON.stringify({ ...demoSpecInput(), name: uniq("wz").slice(0, 12) }) });
  clusterId = imported.clusterId!;
}, 120_000);
afterAll(() => db.$disconnect());

describe("the wizard's cloud reads", () => {
  it("lists the networks with their subnets' CIDR, gateway, pools and MTU, and says when the cloud has no routers", async () => {
    const read = await listNetworkChoices(db, tenant.member, clusterId);
    if (!read.ok) throw new Error(read.message);
    const cloud = await networks.list(tenantSession());
    for (const role of NETWORK_ROLES) {
      const choice = read.value.networks.find((n) => n.name === `tripod-${role}`)!;
      expect(choice.mtu).toBe(cloud.find((n) => n.name === `tripod-${role}`)!.mtu);
      expect(choice.subnets[0].cidr).toBe(demoSpecInput().networks[role].cidr);
      expect(choice.subnets[0].gateway).toBe(demoSpecInput().networks[role].gateway);
    }
    expect(read.value.networks.find((n) => n.name === "tripod-public")!.subnets[0].allocationPools).toEqual([{ start: "198.18.40.10", end: "198.18.40.199" }]);
    // The local cloud runs Neutron without the L3 extension: no routers, and the step says so.
    expect(read.value.routers).toBe(false);
    expect(read.value.networks.every((n) => n.subnets.every((s) => s.router === null))).toBe(true);
  });

  it("suggests VIPs outside the DHCP pool and node IPs that no port holds", async () => {
    const read = await getAddressFacts(db, tenant.member, clusterId);
    if (!read.ok) throw new Error(read.message);
    const held = new Set<string>();
    const cloud = await networks.list(tenantSession());
    for (const net of cloud.filter((n) => n.name.startsWith("tripod-"))) {
      for (const p of await ports.list(tenantSession(), { networkId: net.id })) p.fixedIps.forEach((f) => held.add(f.ipAddress));
    }
    const { vips, ips } = read.value.suggested;
    expect(vips).toHaveLength(2);
    // The internal API VIP: the first free address of the Cluster network outside the draft's pools (the imported
    // demo spec names none there; the wizard's networks step would copy the subnet's), never a node's.
    const apiIntVip = read.value.suggested.apiIntVip!;
    expect(apiIntVip).toMatch(/^198\.18\.20\.\d+$/);
    expect(held.has(apiIntVip)).toBe(false);
    expect(Object.values(ips.cluster)).not.toContain(apiIntVip);
    for (const vip of vips) expect(ipv4ToInt(vip) < ipv4ToInt("198.18.40.10") || ipv4ToInt(vip) > ipv4ToInt("198.18.40.199")).toBe(true);
    for (const role of NETWORK_ROLES) for (const ip of Object.values(ips[role])) expect(held.has(ip!)).toBe(false);
    // Every address another port holds is listed with its holder.
    expect(read.value.inUse.public.every((u) => held.has(u.ip) || u.holder.includes("allowed address pair"))).toBe(true);
  });

  it("reads a draft whose networks say anything: an unusable CIDR gets no suggestions, pools that are not pools are left out", async () => {
    const spec = { ...demoSpecInput(), name: uniq("wb").slice(0, 12) } as { networks: Record<string, Record<string, unknown>> };
    spec.networks.cluster.cidr = "999.0.0.0/24";
    spec.networks.public.allocationPools = [null, { start: 7 }, "x", { start: "198.18.40.10", end: "198.18.40.199" }];
    const imported = await importSpec(db, tenant.member, { projectId: tenant.projectId, cloudId: tenant.cloudId, text: JSON.stringify(spec) });
    const read = await getAddressFacts(db, tenant.member, imported.clusterId!);
    if (!read.ok) throw new Error(read.message);
    expect(read.value.suggested.ips.cluster).toEqual({});
    expect(read.value.suggested.apiIntVip).toBeNull();
    for (const vip of read.value.suggested.vips) expect(ipv4ToInt(vip) < ipv4ToInt("198.18.40.10") || ipv4ToInt(vip) > ipv4ToInt("198.18.40.199")).toBe(true);
  });

  it("shows each flavor against the control-plane minimums, and the images", async () => {
    const read = await getMachineChoices(db, tenant.member, clusterId);
    if (!read.ok) throw new Error(read.message);
    expect(read.value.flavors.find((f) => f.name === "tripod.master")).toMatchObject({ vcpus: 4, ramMiB: 16384, diskGiB: 100, shortfalls: [] });
    expect(read.value.images.map((i) => i.name)).toContain("rhcos-standin");
  });

  it("reviews the plan with a real preflight run, grouped by step, and the quota against what is free", async () => {
    const read = await getReview(db, tenant.member, clusterId);
    if (!read || !read.ok) throw new Error(read ? read.message : "the draft is incomplete");
    expect(read.value.ports).toHaveLength(16);
    // The demo spec's internal API VIP (its own pools leave .5 free) has its reservation port on the Cluster network.
    expect(read.value.vipPorts.map((p) => `${p.vip} ${p.fixedIp}`).sort()).toEqual(["API VIP 198.18.40.5", "Ingress VIP 198.18.40.6", "Internal API VIP 198.18.20.5"]);
    expect(read.value.vrrp?.apiInt).toEqual(expect.any(Number));
    expect(read.value.ports.filter((p) => p.allowedAddressPairs.includes("198.18.40.5")).length).toBeGreaterThanOrEqual(3);
    expect(read.value.preflight.map((g) => g.step)).toEqual(["networks", "addresses", "machines", "review"]);
    const instances = read.value.quotas.find((q) => q.key === "instances")!;
    expect(instances.need).toBe(4);
    expect(instances.limit).toBeGreaterThan(0);
    // Whatever preflight found names its field (another cluster in the project may hold the demo addresses).
    for (const group of read.value.preflight) for (const p of group.problems) expect(p.path).toMatch(/^(networks|flavor|image|quota|cloud|vrrp)/);
  });
});
