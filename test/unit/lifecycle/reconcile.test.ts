import { describe, expect, it } from "vitest";
import { findDrift, isTripodName, type KnownCluster } from "@/lib/lifecycle/reconcile";
import type { ProjectInventory } from "@/lib/openstack/inventory";
import type { Port } from "@/lib/openstack/neutron/ports/results";
import { planCluster } from "@/lib/plan";
import { demoSpec } from "../../support/demo-spec";

// The reconciler's comparison on a hand-made inventory: what it reports, and what it leaves alone.

const plan = planCluster(demoSpec(), { clusterId: "c1", infraId: "demo-b2c4d" });
// Named after the first's infra id.
const neighbour = planCluster({ ...demoSpec(), name: "demo-b2c4d" }, { clusterId: "c2", infraId: "demo-b2c4d-x7k9q" });

const port = (name: string, id: string, over: Partial<Port> = {}): Port =>
  ({ id, name, networkId: "n", fixedIps: [], allowedAddressPairs: [], securityGroups: [], tags: [], status: "ACTIVE", deviceId: "", deviceOwner: "", portSecurityEnabled: true, ...over }) as Port;

function inventoryWithEveryPort(): ProjectInventory {
  return {
    ports: plan.ports.map((p, i) => port(p.name, `p${i}`, { tags: plan.tags, allowedAddressPairs: p.allowedAddressPairs.map((a) => ({ ipAddress: a.ipAddress })) })),
    securityGroups: [],
    servers: [],
    serverGroups: [],
  };
}

const cluster = (present: KnownCluster["present"]): KnownCluster => ({ id: "c1", status: "ready", plan, present });
const ledger = () => plan.ports.map((p, i) => ({ kind: p.node ? "port" : "vip-port", name: p.name, openstackId: `p${i}` }));

describe("findDrift", () => {
  it("finds nothing when the cloud is as recorded", () => {
    expect(findDrift(inventoryWithEveryPort(), [cluster(ledger())])).toEqual([]);
  });

  it("reports a port deleted behind Tripod's back, an extra tagged port, changed pairs and a server not ACTIVE", () => {
    const inv = inventoryWithEveryPort();
    inv.ports = inv.ports.filter((p) => p.id !== "p3");
    inv.ports.push(port("demo-b2c4d-stray", "x1", { tags: plan.tags }));
    const pub = inv.ports.find((p) => p.name === "demo-b2c4d-master-0-public")!;
    pub.allowedAddressPairs = [];
    inv.servers.push({ id: "s1", name: "demo-b2c4d-master-0", status: "ERROR", metadata: { tripod_cluster: plan.tags[0] }, tags: [], taskState: null, addresses: {}, created: "" });
    const found = findDrift(inv, [cluster([...ledger(), { kind: "server", name: "demo-b2c4d-master-0", openstackId: "s1" }])]);
    expect(found.map((f) => [f.kind, f.name])).toEqual(
      expect.arrayContaining([
        ["missing", plan.ports[3].name],
        ["extra", "demo-b2c4d-stray"],
        ["changed", "demo-b2c4d-master-0-public"],
        ["not-active", "demo-b2c4d-master-0"],
      ]),
    );
    expect(found).toHaveLength(4);
  });

  it("reports orphans of unknown and deleted clusters and unowned Tripod names; never a live neighbour's resources", () => {
    const inv = inventoryWithEveryPort();
    inv.ports.push(port("whatever", "o1", { tags: ["tripod-cluster=unknown-id"] }));
    inv.ports.push(port("gone-b2c4d-master-0-public", "o2", { tags: ["tripod-cluster=c3"] }));
    inv.ports.push(port("lost-zzzzz-api-vip", "o3"));
    inv.ports.push(port("someone-elses-port", "n1"));
    for (const [i, p] of neighbour.ports.slice(0, 4).entries()) inv.ports.push(port(p.name, `nb${i}`, { tags: i === 0 ? [] : neighbour.tags }));
    const found = findDrift(inv, [
      cluster(ledger()),
      { id: "c2", status: "ready", plan: neighbour, present: [] },
      { id: "c3", status: "deleted", plan: null, present: [] },
    ]);
    const orphans = found.filter((f) => f.kind === "orphan");
    expect(orphans.map((f) => [f.openstackId, f.clusterId])).toEqual([
      ["o1", null],
      ["o2", "c3"],
      ["o3", null],
    ]);
    // The neighbour's ports (one untagged: a create that died before its tag) are its own extras at worst, never c1's.
    expect(found.filter((f) => f.clusterId === "c1")).toEqual([]);
  });

  it("recognises Tripod's names", () => {
    expect(["demo-b2c4d-master-0-public", "demo-b2c4d-api-vip", "demo-b2c4d-masters", "demo-b2c4d-bootstrap", "demo-b2c4d-cluster"].every(isTripodName)).toBe(true);
    expect(["demo-b2c4d-stray", "default", "demo-master-0-public", "demo-aeiou-master-0"].some(isTripodName)).toBe(false);
  });
});
