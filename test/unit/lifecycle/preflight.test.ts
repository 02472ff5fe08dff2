import { describe, expect, it } from "vitest";
import { planCluster } from "@/lib/plan";
import { checkPreflight, type PreflightFacts } from "@/lib/lifecycle/preflight";
import { NETWORK_ROLES } from "@/lib/domain";
import { demoSpec } from "../../support/demo-spec";

const spec = demoSpec();
const plan = planCluster(spec, { clusterId: "c1", infraId: "demo-abcde" });

function healthyFacts(): PreflightFacts {
  const q = (limit: number, used = 0) => ({ limit, used });
  return {
    flavor: { name: spec.flavor, vcpus: 1, ram: 512 },
    image: { name: spec.image, status: "active" },
    networks: Object.fromEntries(NETWORK_ROLES.map((r) => [r, { id: `net-${r}`, name: spec.networks[r].network }])) as PreflightFacts["networks"],
    subnets: Object.fromEntries(NETWORK_ROLES.map((r) => [r, { id: `sub-${r}`, name: spec.networks[r].subnet, networkId: `net-${r}`, cidr: spec.networks[r].cidr }])) as PreflightFacts["subnets"],
    extensions: ["port-security", "allowed-address-pairs", "standard-attr-tag"],
    foreignPorts: [],
    quotas: { instances: q(6), cores: q(-1), ram: q(-1), serverGroups: q(10), ports: q(30), securityGroups: q(10), securityGroupRules: q(100) },
    swiftTempUrl: true,
    vrrpIdsOfOthers: [1, 2],
    vrrpIdsOfOthersOnCluster: [1],
    vrrpIds: { api: 3, ingress: 4, apiInt: spec.networks.cluster.apiIntVip ? 2 : undefined },
  };
}

describe("preflight", () => {
  it("passes a cloud that has everything", () => {
    expect(checkPreflight(spec, plan, healthyFacts())).toEqual([]);
  });

  it("names the quota that a second cluster does not fit in", () => {
    const facts = healthyFacts();
    facts.quotas.instances = { limit: 6, used: 4 };
    facts.quotas.ports = { limit: 30, used: 18 }; // 16 node ports + 3 VIP ports needed
    expect(checkPreflight(spec, plan, facts)).toEqual([
      { path: "quota.instances", message: "the cluster needs 4 of quota instances (Nova), only 2 of 6 are free" },
      { path: "quota.ports", message: "the cluster needs 19 of quota port (Neutron), only 12 of 30 are free" },
    ]);
  });

  it("names each missing or mismatched resource by its spec field", () => {
    const facts = healthyFacts();
    facts.flavor = null;
    facts.image = { name: spec.image, status: "queued" };
    facts.networks.management = null;
    facts.subnets.public = { ...facts.subnets.public!, cidr: "203.0.113.0/24" };
    facts.extensions = ["port-security"];
    facts.swiftTempUrl = false;
    const paths = checkPreflight(spec, plan, facts).map((p) => p.path);
    expect(paths).toEqual(["flavor", "image", "networks.management.network", "networks.public.cidr", "cloud", "cloud", "cloud"]);
  });

  it("refuses node IPs and VIPs that another port holds or announces", () => {
    const facts = healthyFacts();
    facts.foreignPorts = [
      { id: "p1", name: "someone-else", fixedIps: [spec.networks.cluster.ips.master1], allowedAddressPairs: [] },
      { id: "p2", name: "other-cluster-master", fixedIps: ["198.18.40.250"], allowedAddressPairs: [spec.networks.public.ingressVip] },
    ];
    expect(checkPreflight(spec, plan, facts)).toEqual([
      { path: "networks.cluster.ips.master1", message: `${spec.networks.cluster.ips.master1} is already used by port "someone-else"` },
      { path: "networks.public.ingressVip", message: `${spec.networks.public.ingressVip} is already used by an allowed address pair of port "other-cluster-master"` },
    ]);
  });

  it("refuses a VRRP router id another cluster on the Public network holds", () => {
    const facts = { ...healthyFacts(), vrrpIdsOfOthers: [4] };
    expect(checkPreflight(spec, plan, facts)).toEqual([{ path: "vrrp", message: "VRRP router id 4 (ingress) is already used by another cluster on this Public network" }]);
  });

  it("checks the internal API VIP: held by another port, its router id taken on the Cluster network, or never allocated", () => {
    const vip = spec.networks.cluster.apiIntVip!;
    const held = healthyFacts();
    held.foreignPorts = [{ id: "p3", name: "squatter", fixedIps: [vip], allowedAddressPairs: [] }];
    expect(checkPreflight(spec, plan, held)).toEqual([{ path: "networks.cluster.apiIntVip", message: `${vip} is already used by port "squatter"` }]);
    const clash = { ...healthyFacts(), vrrpIdsOfOthersOnCluster: [2] };
    expect(checkPreflight(spec, plan, clash)).toEqual([{ path: "vrrp", message: "VRRP router id 2 (api-int) is already used by another cluster on this Cluster network" }]);
    // the same id on the Public network is no clash: VRRP ids are per network
    expect(checkPreflight(spec, plan, { ...healthyFacts(), vrrpIdsOfOthers: [2] })).toEqual([]);
    const unallocated = healthyFacts();
    unallocated.vrrpIds = { api: 3, ingress: 4 };
    expect(checkPreflight(spec, plan, unallocated).map((p) => p.path)).toEqual(["networks.cluster.apiIntVip"]);
  });
});
