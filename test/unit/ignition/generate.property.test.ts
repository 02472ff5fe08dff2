import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NIC_ORDERS, NODE_NAMES } from "@/lib/domain";
import { buildNodeContext, renderNodeConfigs, serializeConfig } from "@/lib/ignition";
import { demoRenderInput } from "./helpers";

// Random valid specs (NIC names, allocated or given IPs, network style, legacy mdns, VRRP ids) always generate,
// deterministically, and every node's unicast peers are the other nodes, never itself.

const change = fc.record({
  // NIC names follow the attachment order: one prefix, ascending numbers
  nicPrefix: fc.stringMatching(/^[a-z]{1,5}$/),
  nicNumbers: fc.uniqueArray(fc.integer({ min: 0, max: 99 }), { minLength: 4, maxLength: 4 }).map((n) => [...n].sort((a, b) => a - b)),
  nicOrder: fc.constantFrom("tripod", "predecessor"),
  dropIps: fc.subarray(["outbound", "cluster", "management", "public"]),
  style: fc.constantFrom("ifcfg", "nmkeyfile"),
  mdns: fc.boolean(),
  ids: fc.uniqueArray(fc.integer({ min: 1, max: 255 }), { minLength: 2, maxLength: 2 }),
});

describe("renderNodeConfigs on random valid specs", () => {
  it("generates deterministic configs with correct unicast peers (100 specs)", () => {
    fc.assert(
      fc.property(change, ({ nicPrefix, nicNumbers, nicOrder, dropIps, style, mdns, ids }) => {
        const base = demoRenderInput((s) => {
          s.nicOrder = nicOrder;
          NIC_ORDERS[nicOrder].forEach((role, i) => (s.networks[role].interface = `${nicPrefix}${nicNumbers[i]}`));
          ["outbound", "cluster", "management", "public"].forEach((role) => {
            if (dropIps.includes(role)) delete s.networks[role].ips;
          });
          s.networkConfigStyle = style;
          s.mdnsPublisher = mdns;
        });
        const input = { ...base, vrrp: { ...base.vrrp, apiId: ids[0], ingressId: ids[1] } };
        const first = renderNodeConfigs(input);
        const second = renderNodeConfigs(input);
        for (const node of NODE_NAMES) {
          expect(serializeConfig(second[node])).toBe(serializeConfig(first[node]));
          const context = buildNodeContext(input.spec, input, node);
          expect(context.peers.api).not.toContain(context.node.ips.public);
          expect(context.peers.api).toHaveLength(3);
          expect(context.peers.ingress).toHaveLength(node === "bootstrap" ? 0 : 2);
        }
      }),
      { numRuns: 100, seed: 5 },
    );
  }, 120_000);
});
