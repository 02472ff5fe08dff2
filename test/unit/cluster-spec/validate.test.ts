import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { allocateNodeIps, allocateVrrpIds, validateClusterSpec, VrrpIdsExhaustedError } from "@/lib/cluster-spec";
import { defaultInterfaces } from "@/lib/domain";
import { parseCidr } from "@/lib/cluster-spec/net";
import { planCluster } from "@/lib/plan";
import { demoSpecInput } from "./demo";

function errorsOf(input: unknown) {
  const result = validateClusterSpec(input);
  if (result.ok) throw new Error("expected the spec to be rejected");
  return result.errors;
}

describe("validateClusterSpec", () => {
  it("accepts the demo spec and fills the defaults", () => {
    const result = validateClusterSpec(demoSpecInput());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { spec } = result;
    expect(spec.networks.public.ips).toEqual({
      bootstrap: "198.18.40.20",
      master0: "198.18.40.21",
      master1: "198.18.40.22",
      master2: "198.18.40.23",
    });
    expect(Object.fromEntries(Object.entries(spec.networks).map(([role, n]) => [role, n.interface]))).toEqual(defaultInterfaces("tripod"));
    expect(spec.installerConfigs.master.ignition.version).toBe("3.2.0");
    expect(spec.images.keepalived).toBe("quay.io/openshift/origin-keepalived-ipfailover:4.16");
    expect(spec.serverGroupPolicy).toBe("soft-anti-affinity");
  });

  it("names the NICs by the preset's attachment order; the predecessor's preset attaches Cluster, Public, Management, Outbound", () => {
    const result = validateClusterSpec({ ...demoSpecInput(), nicOrder: "predecessor" });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(Object.fromEntries(Object.entries(result.spec.networks).map(([role, n]) => [role, n.interface]))).toEqual({
      cluster: "ens3", public: "ens4", management: "ens5", outbound: "ens6",
    });
    expect(planCluster(result.spec, { clusterId: "c", infraId: "demo-x" }).servers[0].ports).toEqual(
      ["cluster", "public", "management", "outbound"].map((role) => `demo-x-bootstrap-${role}`),
    );
  });

  it("embeds exactly the fixture installer configs", () => {
    const input = demoSpecInput();
    expect(input.installerConfigs.bootstrap).toEqual(JSON.parse(readFileSync("test/fixtures/bootstrap.ign", "utf8")));
    expect(input.installerConfigs.master).toEqual(JSON.parse(readFileSync("test/fixtures/master.ign", "utf8")));
  });

  it("accepts installer configs given as JSON strings", () => {
    const input = demoSpecInput();
    input.installerConfigs.master = JSON.stringify(input.installerConfigs.master);
    const result = validateClusterSpec(input);
    expect(result.ok && result.spec.installerConfigs.master).toEqual(demoSpecInput().installerConfigs.master);
  });

  it("allocates omitted node IPs outside the DHCP pool, skipping gateway and VIPs", () => {
    const input = demoSpecInput();
    delete input.networks.public.ips;
    input.networks.outbound.ips = { master1: "198.18.10.2" };
    const result = validateClusterSpec(input);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    // Public pool is .10-.199; .1 gateway, .5/.6 VIPs.
    expect(result.spec.networks.public.ips).toEqual({
      bootstrap: "198.18.40.2",
      master0: "198.18.40.3",
      master1: "198.18.40.4",
      master2: "198.18.40.7",
    });
    expect(result.spec.networks.outbound.ips).toEqual({
      bootstrap: "198.18.10.3",
      master0: "198.18.10.4",
      master1: "198.18.10.2",
      master2: "198.18.10.5",
    });
  });

  const cases: [string, (s: Record<string, any>) => void, string, RegExp][] = [
    ["newline in a network name", (s) => (s.networks.public.network = "pub\n[ipv4]\nmethod=disabled"), "networks.public.network", /control characters/],
    ["bad name", (s) => (s.name = "Demo_1"), "name", /DNS label/],
    ["long name", (s) => (s.name = "a".repeat(28)), "name", /27/],
    ["old OpenShift", (s) => (s.openshiftVersion = "4.13"), "openshiftVersion", /4\.14/],
    ["bad ssh key", (s) => (s.sshKey = "not a key"), "sshKey", /OpenSSH/],
    ["no upstreams", (s) => (s.dnsUpstreams = []), "dnsUpstreams", /at least one/],
    ["unknown field", (s) => (s.colour = "blue"), "colour", /not a known field/],
    ["unknown network", (s) => (s.networks.storage = {}), "networks.storage", /not a known field/],
    ["missing field", (s) => delete s.flavor, "flavor", /required/],
    ["host bits", (s) => (s.networks.cluster.cidr = "198.18.20.5/24"), "networks.cluster.cidr", /host bits/],
    ["gateway outside", (s) => (s.networks.outbound.gateway = "198.18.11.1"), "networks.outbound.gateway", /inside 198\.18\.10\.0\/24/],
    ["overlap", (s) => (s.networks.management.cidr = "198.18.0.0/16"), "networks.management.cidr", /overlaps the Outbound network \(198\.18\.10\.0\/24\)/],
    ["same NIC", (s) => (s.networks.public.interface = "ens3"), "networks.public.interface", /^ens3 is already the Outbound network's interface$/],
    ["bad NIC name", (s) => (s.networks.public.interface = "this-is-too-long0"), "networks.public.interface", /interface name/],
    ["VIP in pool", (s) => (s.networks.public.apiVip = "198.18.40.50"), "networks.public.apiVip", /DHCP/],
    ["VIP is node", (s) => (s.networks.public.ingressVip = "198.18.40.21"), "networks.public.ingressVip", /node IP/],
    ["VIP is gateway", (s) => (s.networks.public.apiVip = "198.18.40.1"), "networks.public.apiVip", /gateway/],
    ["VIP outside", (s) => (s.networks.public.apiVip = "198.18.41.5"), "networks.public.apiVip", /inside/],
    ["same VIPs", (s) => (s.networks.public.ingressVip = "198.18.40.5"), "networks.public.ingressVip", /differ/],
    ["VIP not IPv4", (s) => (s.networks.public.apiVip = "198.18.40.05"), "networks.public.apiVip", /IPv4/],
    ["duplicate node IP", (s) => (s.networks.cluster.ips.master2 = "198.18.20.21"), "networks.cluster.ips.master2", /^is already master-0's address on this network$/],
    ["node IP is broadcast", (s) => (s.networks.cluster.ips.master2 = "198.18.20.255"), "networks.cluster.ips.master2", /host address/],
    ["route table", (s) => (s.networks.public.routeTable = 254), "networks.public.routeTable", /1-252/],
    ["NICs out of attachment order", (s) => ((s.networks.cluster.interface = "ens5"), (s.networks.management.interface = "ens4")), "networks.management.interface", /must come after the Cluster network's interface \(ens5\): Nova attaches the Outbound, Cluster, Management, Public ports in this order \(nicOrder "tripod"\)/],
    ["NIC without number", (s) => (s.networks.public.interface = "public"), "networks.public.interface", /must end in its NIC number/],
    ["predecessor order with today's names", (s) => {
      s.nicOrder = "predecessor";
      Object.assign(s.networks.outbound, { interface: "ens3" }), Object.assign(s.networks.cluster, { interface: "ens4" });
      Object.assign(s.networks.management, { interface: "ens5" }), Object.assign(s.networks.public, { interface: "ens6" });
    }, "networks.management.interface", /must come after the Public network's interface \(ens6\): Nova attaches the Cluster, Public, Management, Outbound ports in this order \(nicOrder "predecessor"\)/],
    ["internal VIP in pool", (s) => ((s.networks.cluster.allocationPools = [{ start: "198.18.20.2", end: "198.18.20.19" }]), (s.networks.cluster.apiIntVip = "198.18.20.10")), "networks.cluster.apiIntVip", /DHCP/],
    ["internal VIP is node", (s) => (s.networks.cluster.apiIntVip = "198.18.20.21"), "networks.cluster.apiIntVip", /node IP/],
    ["internal VIP outside", (s) => (s.networks.cluster.apiIntVip = "198.18.40.9"), "networks.cluster.apiIntVip", /inside 198\.18\.20\.0\/24/],
    ["route via outside", (s) => (s.networks.management.staticRoutes[0].via = "10.0.0.1"), "networks.management.staticRoutes.0.via", /inside/],
    ["route needs via", (s) => { delete s.networks.management.gateway; delete s.networks.management.staticRoutes[0].via; }, "networks.management.staticRoutes.0.via", /^is required because the Management network has no gateway$/],
    ["pool reversed", (s) => (s.networks.public.allocationPools[0] = { start: "198.18.40.199", end: "198.18.40.10" }), "networks.public.allocationPools.0.end", /below start/],
    ["no room", (s) => Object.assign(s.networks.public, { cidr: "198.18.40.0/29", gateway: "198.18.40.1", apiVip: "198.18.40.2", ingressVip: "198.18.40.3", ips: {}, allocationPools: [] }), "networks.public.ips", /no free address/],
    ["ignition 2.x", (s) => (s.installerConfigs.master = { ignition: { version: "2.3.0" } }), "installerConfigs.master", /3\.x/],
    ["ignition 3.5", (s) => (s.installerConfigs.master.ignition.version = "3.5.0"), "installerConfigs.master", /not accepted/],
    ["ignition bad storage", (s) => (s.installerConfigs.master.storage = { files: [{ mode: 420 }] }), "installerConfigs.master", /storage\.files\[0\] must be an object with a string path/],
    ["ignition bad users", (s) => (s.installerConfigs.bootstrap.passwd = { users: "core" }), "installerConfigs.bootstrap", /passwd\.users must be a list/],
    ["ignition not JSON", (s) => (s.installerConfigs.bootstrap = "{nope"), "installerConfigs.bootstrap", /not valid JSON/],
    ["CA junk", (s) => (s.caBundle = "hello"), "caBundle", /PEM/],
    ["long domain", (s) => (s.baseDomain = Array(4).fill("a".repeat(60)).join(".")), "baseDomain", /253/],
    ["bad policy", (s) => (s.serverGroupPolicy = "affinity"), "serverGroupPolicy", /anti-affinity/],
    ["MTU", (s) => (s.networks.cluster.mtu = 9001), "networks.cluster.mtu", /9000/],
  ];
  it.each(cases)("rejects %s at its field", (_label, mutate, path, message) => {
    const input = demoSpecInput();
    mutate(input);
    const errors = errorsOf(input);
    const error = errors.find((e) => e.path === path);
    expect(error, JSON.stringify(errors)).toBeDefined();
    expect(error!.message).toMatch(message);
  });

  it("reports a non-object input at the spec root", () => {
    expect(errorsOf("spec")).toEqual([{ path: "(spec)", message: expect.any(String) }]);
  });
});

describe("allocateNodeIps", () => {
  it("takes pool addresses last and only when the rest is used", () => {
    const ips = allocateNodeIps(parseCidr("10.0.0.0/29"), [{ start: "10.0.0.2", end: "10.0.0.6" }], ["10.0.0.1"], {});
    expect(ips).toEqual({ bootstrap: "10.0.0.2", master0: "10.0.0.3", master1: "10.0.0.4", master2: "10.0.0.5" });
  });
  it("jumps over a huge pool", () => {
    const ips = allocateNodeIps(parseCidr("10.0.0.0/8"), [{ start: "10.0.0.1", end: "10.255.255.200" }], [], {});
    expect(ips?.bootstrap).toBe("10.255.255.201");
  });
  it("returns null without room", () => {
    expect(allocateNodeIps(parseCidr("10.0.0.0/29"), [], ["10.0.0.1", "10.0.0.2", "10.0.0.3"], {})).toBeNull();
  });
});

describe("allocateVrrpIds", () => {
  it("picks the two lowest free ids", () => {
    expect(allocateVrrpIds([])).toEqual({ api: 1, ingress: 2 });
    expect(allocateVrrpIds([1, 3, 4, 2, 6])).toEqual({ api: 5, ingress: 7 });
  });
  it("throws a typed error when fewer than two are free", () => {
    const taken = Array.from({ length: 254 }, (_, i) => i + 1);
    expect(() => allocateVrrpIds(taken)).toThrow(VrrpIdsExhaustedError);
    expect(allocateVrrpIds(taken.slice(0, 253))).toEqual({ api: 254, ingress: 255 });
  });
});
