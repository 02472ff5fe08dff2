import { describe, expect, it } from "vitest";
import { clusterTags } from "@/lib/domain";
import { clusterMarks, newInfraId, ownedBy, planCluster, planFootprint, securityGroupRules } from "@/lib/plan";
import { demoSpec } from "../../support/demo-spec";

const identity = { clusterId: "c1", infraId: "demo-abcde" };

describe("plan", () => {
  const spec = demoSpec();
  const plan = planCluster(spec, identity);

  it("gives every node 4 ports in NIC order with fixed IPs, plus 3 VIP reservation ports", () => {
    expect(plan.ports).toHaveLength(19);
    const master1 = plan.servers.find((s) => s.node === "master-1")!;
    expect(master1.ports).toEqual(["demo-abcde-master-1-outbound", "demo-abcde-master-1-cluster", "demo-abcde-master-1-management", "demo-abcde-master-1-public"]);
    for (const port of plan.ports.filter((p) => p.node)) {
      const key = port.node === "bootstrap" ? "bootstrap" : (port.node!.replace("-", "") as "master0");
      expect(port.fixedIp).toBe(spec.networks[port.role].ips[key]);
    }
    const vips = plan.ports.filter((p) => !p.node).map((p) => [p.name, p.fixedIp]);
    expect(vips).toEqual([
      ["demo-abcde-api-vip", spec.networks.public.apiVip],
      ["demo-abcde-ingress-vip", spec.networks.public.ingressVip],
      ["demo-abcde-api-int-vip", spec.networks.cluster.apiIntVip],
    ]);
    expect(plan.ports.find((p) => p.name === "demo-abcde-api-int-vip")).toMatchObject({ role: "cluster", network: spec.networks.cluster.network });
  });

  it("plans no internal VIP port, pair or Cluster VRRP rule for a spec without apiIntVip", () => {
    const { apiIntVip: _none, ...cluster } = spec.networks.cluster;
    const without = { ...spec, networks: { ...spec.networks, cluster } };
    const p = planCluster(without, identity);
    expect(p.ports).toHaveLength(18);
    expect(p.ports.flatMap((x) => x.allowedAddressPairs).map((a) => a.ipAddress)).not.toContain(spec.networks.cluster.apiIntVip);
    expect(securityGroupRules(without).cluster.filter((r) => r.protocol === "112")).toEqual([]);
  });

  it("pairs both VIPs with every master Public port, only the API VIP with the bootstrap's, the internal VIP with every Cluster port", () => {
    const pub = spec.networks.public;
    for (const port of plan.ports) {
      const pairs = port.allowedAddressPairs.map((p) => p.ipAddress);
      if (!port.node || port.role === "outbound" || port.role === "management") expect(pairs).toEqual([]);
      else if (port.role === "cluster") expect(pairs).toEqual([spec.networks.cluster.apiIntVip]);
      else if (port.node === "bootstrap") expect(pairs).toEqual([pub.apiVip]);
      else expect(pairs).toEqual([pub.apiVip, pub.ingressVip]);
    }
  });

  it("allows VRRP only from the Public CIDR (and the Cluster CIDR for the internal VIP), intra-cluster rules from the Cluster CIDR", () => {
    const rules = securityGroupRules(spec);
    expect(rules.public).toContainEqual(expect.objectContaining({ protocol: "112", remoteIpPrefix: spec.networks.public.cidr }));
    expect(rules.cluster).toContainEqual(expect.objectContaining({ protocol: "112", remoteIpPrefix: spec.networks.cluster.cidr }));
    expect(Object.values(rules).flat().filter((r) => r.protocol === "112")).toHaveLength(2);
    expect(Object.values(rules).flat().filter((r) => r.portMin === 5353)).toEqual([]);
    expect(securityGroupRules({ ...spec, mdnsPublisher: true }).cluster).toContainEqual(
      expect.objectContaining({ protocol: "udp", portMin: 5353, portMax: 5353, remoteIpPrefix: spec.networks.cluster.cidr }),
    );
    for (const port of [2379, 22623, 10250]) {
      expect(rules.cluster).toContainEqual(expect.objectContaining({ protocol: "tcp", portMin: port, remoteIpPrefix: spec.networks.cluster.cidr }));
    }
    const open = Object.values(rules).flat().filter((r) => r.remoteIpPrefix === "0.0.0.0/0").map((r) => r.portMin);
    expect(open.sort()).toEqual([443, 6443, 80].sort());
  });

  it("tags with the cluster id and infra id, and puts masters (not the bootstrap) in the server group", () => {
    expect(plan.tags).toEqual(clusterTags(identity));
    expect(plan.tags).toEqual(["tripod-cluster=c1", "openshiftClusterID=demo-abcde"]);
    expect(plan.servers.map((s) => [s.name, s.userData, s.serverGroup])).toEqual([
      ["demo-abcde-bootstrap", "pointer", false],
      ["demo-abcde-master-0", "full", true],
      ["demo-abcde-master-1", "full", true],
      ["demo-abcde-master-2", "full", true],
    ]);
    expect(plan.serverGroup).toEqual({ name: "demo-abcde-masters", policy: spec.serverGroupPolicy });
    expect(plan.servers[0].metadata).toEqual({ tripod_cluster: "tripod-cluster=c1", openshiftClusterID: "demo-abcde" });
  });

  it("is deterministic and counts its quota footprint", () => {
    expect(planCluster(spec, identity)).toEqual(plan);
    expect(planFootprint(plan, { vcpus: 1, ram: 512 })).toMatchObject({ instances: 4, cores: 4, ram: 2048, ports: 19, securityGroups: 4, serverGroups: 1 });
  });

  it("makes infra ids like openshift-install", () => {
    expect(newInfraId("demo", () => 0)).toBe("demo-bbbbb");
    expect(newInfraId("demo")).toMatch(/^demo-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});

describe("ownership: exact names and the cluster's marks, never a name prefix", () => {
  const spec = demoSpec();
  const first = planCluster(spec, { clusterId: "c1", infraId: "web-b2c4d" });
  // A second cluster named after the first's infra id: all its names start with "web-b2c4d-".
  const second = planCluster({ ...spec, name: "web-b2c4d" }, { clusterId: "c2", infraId: "web-b2c4d-x7k9q" });

  it("never takes the other cluster's resources, tagged or not", () => {
    for (const r of [...second.ports.map((p) => p.name), ...second.servers.map((s) => s.name), second.serverGroup.name, second.swift.container]) {
      expect(ownedBy(first, { name: r })).toBe(false);
      expect(ownedBy(first, { name: r, tags: second.tags })).toBe(false);
    }
    expect(ownedBy(first, { name: "web-b2c4d-something-else" })).toBe(false);
  });

  it("takes its tagged resources and its exact names without another cluster's mark", () => {
    expect(ownedBy(first, { name: "renamed-by-someone", tags: first.tags })).toBe(true);
    expect(ownedBy(first, { name: "web-b2c4d-master-0", metadata: { tripod_cluster: "tripod-cluster=c1" } })).toBe(true);
    expect(ownedBy(first, { name: "web-b2c4d-master-0-public" })).toBe(true); // a create that died before its tag
  });

  it("refuses its own exact name when another cluster's tag or metadata is on it", () => {
    expect(ownedBy(first, { name: "web-b2c4d-master-0-public", tags: ["tripod-cluster=c9"] })).toBe(false);
    expect(ownedBy(first, { name: "web-b2c4d-master-0", metadata: { tripod_cluster: "tripod-cluster=c9" } })).toBe(false);
    expect(ownedBy(first, { name: "web-b2c4d-master-0", tags: [...first.tags, "openshiftClusterID=other-abcde"] })).toBe(false);
    expect(clusterMarks({ name: "x", tags: ["tripod-cluster=c1", "openshiftClusterID=web-b2c4d", "other"] })).toEqual({ clusterIds: ["c1"], infraIds: ["web-b2c4d"] });
  });
});
