import { describe, expect, it } from "vitest";
import { neutronVipInventory, probeFromHere } from "@/lib/vip/checks";
import { ProbeError, type Prober } from "@/lib/vip/probe";
import type { ProjectInventory } from "@/lib/openstack/inventory";

const vips = [
  { name: "api" as const, instance: "c_API", address: "198.51.100.5" },
  { name: "ingress" as const, instance: "c_INGRESS", address: "198.51.100.6" },
];
const failing = (code: string): Prober => ({
  tcp: async () => Promise.reject(new ProbeError("network", code)),
  httpsStatus: async () => Promise.reject(new ProbeError("network", code)),
});

describe("the scheduled VIP checks", () => {
  it("says why the dashboard host cannot probe the VIPs instead of calling them down", async () => {
    const result = await probeFromHere(vips, { prober: failing("ENETUNREACH") });
    expect(result.probes).toBeNull();
    expect(result.unreachableReason).toBe("The dashboard host has no route to 198.51.100.5 and 198.51.100.6 (ENETUNREACH): reachability cannot be checked from here.");
  });

  it("keeps the probes when the VIPs are reachable from here, whatever they answer", async () => {
    const refused: Prober = { tcp: async () => Promise.reject(new ProbeError("refused", "ECONNREFUSED")), httpsStatus: async () => 200 };
    const result = await probeFromHere(vips, { prober: refused });
    expect(result.unreachableReason).toBeNull();
    expect(result.probes?.map((p) => [p.check, p.ok])).toEqual([["tcp:6443", false], ["https:6443/readyz", true], ["tcp:80", false], ["tcp:443", false]]);
  });

  it("reads Neutron's side of the VIPs from the project inventory", () => {
    const inv = {
      ports: [
        { id: "r1", name: "c-api-vip", fixedIps: [{ ipAddress: "198.51.100.5" }], deviceId: "", deviceOwner: "", allowedAddressPairs: [], portSecurityEnabled: true },
        { id: "m0", name: "c-master-0-public", fixedIps: [], deviceId: "srv", deviceOwner: "compute:nova", allowedAddressPairs: [{ ipAddress: "198.51.100.5" }], portSecurityEnabled: true },
      ],
      securityGroups: [],
      servers: [],
      serverGroups: [],
    } as unknown as ProjectInventory;
    expect(neutronVipInventory(inv, { reservation: ["c-api-vip", "c-ingress-vip"], masterPublic: [{ node: "master-0", name: "c-master-0-public" }] })).toEqual({
      reservationPorts: [{ portId: "r1", fixedIps: ["198.51.100.5"], bound: false }],
      masterPublicPorts: [{ node: "master-0", portId: "m0", portSecurityEnabled: true, allowedAddressPairs: ["198.51.100.5"] }],
    });
  });
});
