import { describe, expect, it } from "vitest";
import { NODE_NAMES } from "@/lib/domain";
import { renderNodeTree } from "@/lib/ignition/generate";
import { nodeAgentKey } from "@/lib/vip/protocol";
import { demoRenderInput } from "../ignition/helpers";

// One agent key per node: each node's Ignition carries its own key (derived from the cluster's secret, which no
// node gets), so a node can sign reports only as itself (the ingest checks the key of the node the body names).
describe("per-node VIP agent keys", () => {
  const input = demoRenderInput();
  const settingsOf = (node: (typeof NODE_NAMES)[number]) => {
    const file = renderNodeTree(input, node).find((e) => e.kind === "file" && e.path === "/etc/sysconfig/tripod-vrrp-agent");
    if (!file || file.kind !== "file") throw new Error(`no agent settings for ${node}`);
    return Object.fromEntries(String(file.content).split("\n").filter((l) => l.includes("=")).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
  };

  it("delivers each node its own key and never the cluster's secret", () => {
    const keys = NODE_NAMES.map((node) => {
      const env = settingsOf(node);
      expect(env.TRIPOD_VRRP_NODE).toBe(node);
      expect(env.TRIPOD_VRRP_SECRET).toBe(nodeAgentKey(input.vipAgent.secret, node));
      expect(env.TRIPOD_VRRP_SECRET).not.toContain(input.vipAgent.secret);
      return env.TRIPOD_VRRP_SECRET;
    });
    expect(new Set(keys).size).toBe(NODE_NAMES.length);
  });
});
