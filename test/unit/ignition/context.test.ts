import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildNodeContext } from "@/lib/ignition";
import { demoRenderInput } from "./helpers";

describe("render context", () => {
  const input = demoRenderInput();
  const context = buildNodeContext(input.spec, input, "master-1");

  it("is documented key by key in fakeroot/README.md", () => {
    const readme = readFileSync("fakeroot/README.md", "utf8");
    // Backticked names, with `a.{b,c}` expanded to a.b and a.c; `x` alone documents a field named in a row's text.
    const names = new Set(
      [...readme.matchAll(/`([^`]+)`/g)].flatMap(([, span]) => {
        const brace = /^(.*)\{([^}]+)\}$/.exec(span);
        const expanded = brace ? brace[2].split(",").map((part) => `${brace[1]}${part}`) : [span];
        // `node.ips.outbound` documents `node.ips` too.
        return expanded.flatMap((name) => name.split(".").map((_, i, parts) => parts.slice(0, i + 1).join(".")));
      }),
    );
    const documented = (top: string, key: string) => names.has(`${top}.${key}`) || names.has(key);
    for (const [top, value] of Object.entries(context)) {
      expect(readme, top).toContain(top);
      if (value && typeof value === "object" && !Array.isArray(value)) {
        for (const key of Object.keys(value)) expect(documented(top, key), `${top}.${key}`).toBe(true);
      }
    }
  });

  it("gives each node its own addresses and the others' Public IPs as peers", () => {
    expect(context.node).toMatchObject({ name: "master-1", key: "master1", index: 1, isMaster: true, fqdn: "master-1.demo.tripod.test" });
    expect(context.node.ips).toEqual({ outbound: "198.18.10.22", cluster: "198.18.20.22", management: "198.18.30.22", public: "198.18.40.22" });
    expect(context.peers).toEqual({
      api: ["198.18.40.20", "198.18.40.21", "198.18.40.23"],
      ingress: ["198.18.40.21", "198.18.40.23"],
      apiInt: ["198.18.20.20", "198.18.20.21", "198.18.20.23"],
    });
    const bootstrap = buildNodeContext(input.spec, input, "bootstrap");
    expect(bootstrap.peers).toEqual({ api: ["198.18.40.21", "198.18.40.22", "198.18.40.23"], ingress: [], apiInt: ["198.18.20.21", "198.18.20.22", "198.18.20.23"] });
    expect([context.vrrp.clusterInterface, bootstrap.vrrp.clusterInterface]).toEqual(["br-ex", "ens4"]);
    expect(context.node.macs).toEqual(input.macs["master-1"]);
    expect(bootstrap.vrrp.apiPriority).toBeGreaterThan(context.vrrp.apiPriority);
  });
});
