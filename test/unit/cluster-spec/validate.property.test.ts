import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ROOT_PATH, validateClusterSpec } from "@/lib/cluster-spec";
import { demoSpecInput } from "./demo";

// 10,000 random specs: mutations of the demo spec (random values, deletions, wrong types at random fields) and
// arbitrary values. The validator never throws, and every rejection names a field of the spec.

const NETWORK_FIELDS = ["network", "subnet", "cidr", "gateway", "interface", "mtu", "ips", "allocationPools", "staticRoutes", "apiVip", "ingressVip", "routeTable"];
const SHAPE: Record<string, string[] | "list" | "any"> = {
  "": ["name", "baseDomain", "openshiftVersion", "flavor", "image", "sshKey", "dnsUpstreams", "networks", "installerConfigs", "caBundle", "serverGroupPolicy", "networkConfigStyle", "mdnsPublisher", "images"],
  networks: ["outbound", "cluster", "management", "public"],
  "networks.*": NETWORK_FIELDS,
  "networks.*.ips": ["bootstrap", "master0", "master1", "master2"],
  "networks.*.allocationPools": "list",
  "networks.*.allocationPools.#": ["start", "end"],
  "networks.*.staticRoutes": "list",
  "networks.*.staticRoutes.#": ["to", "via"],
  dnsUpstreams: "list",
  installerConfigs: ["bootstrap", "master"],
  images: ["keepalived", "haproxy", "coredns", "mdnsPublisher"],
};

/** True when `path` walks the spec's shape (an unknown key counts when it is really present in the input). */
function namesAField(path: string, input: unknown): boolean {
  const segments = path.split(".");
  let pattern = "";
  let value: unknown = input;
  for (const segment of segments) {
    const allowed = SHAPE[pattern];
    const present = typeof value === "object" && value !== null && segment in value;
    if (allowed === "list") {
      if (!/^\d+$/.test(segment)) return false;
      pattern = `${pattern}.#`;
    } else if (Array.isArray(allowed) && (allowed.includes(segment) || present)) {
      pattern = pattern === "networks" ? "networks.*" : pattern ? `${pattern}.${segment}` : segment;
    } else return false;
    value = present ? (value as Record<string, unknown>)[segment] : undefined;
  }
  return true;
}

const LEAVES = [
  "name", "baseDomain", "openshiftVersion", "flavor", "image", "sshKey", "dnsUpstreams", "dnsUpstreams.0", "caBundle",
  "serverGroupPolicy", "networkConfigStyle", "mdnsPublisher", "images", "installerConfigs.master", "installerConfigs.bootstrap",
  ...["outbound", "cluster", "management", "public"].flatMap((role) =>
    ["network", "subnet", "cidr", "gateway", "interface", "mtu", "ips", "ips.master0", "ips.bootstrap", "allocationPools"].map((f) => `networks.${role}.${f}`),
  ),
  "networks.public.apiVip", "networks.public.ingressVip", "networks.public.routeTable", "networks.public.allocationPools.0.start",
  "networks.management.staticRoutes.0.to", "networks.management.staticRoutes.0.via", "networks", "networks.public",
];

const addressLike = fc.oneof(
  fc.tuple(fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(300)).map((p) => p.join(".")),
  fc.constantFrom("198.18.40.5", "198.18.40.21", "198.18.40.1", "198.18.40.255", "198.18.20.0/24", "198.18.40.0/29", "10.0.0.0/8", "0.0.0.0"),
  fc.tuple(fc.constantFrom(10, 20, 30, 40), fc.nat(256)).map(([net, host]) => `198.18.${net}.${host}`),
);
const randomValue = fc.oneof(
  addressLike,
  fc.string(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant("__delete__"),
  fc.constantFrom("ens3", "ens6", "4.13", "4.99", "2.3.0", "demo", "-bad-", "{}", '{"ignition":{"version":"2.2.0"}}'),
  fc.anything({ maxDepth: 2 }),
);

function setPath(target: Record<string, any>, path: string, value: unknown): void {
  const segments = path.split(".");
  let node: any = target;
  for (const segment of segments.slice(0, -1)) {
    if (typeof node[segment] !== "object" || node[segment] === null) return;
    node = node[segment];
  }
  const last = segments[segments.length - 1];
  if (value === "__delete__") delete node[last];
  else node[last] = value;
}

const mutation = fc.tuple(fc.constantFrom(...LEAVES), randomValue);
const demo = demoSpecInput();

describe("validateClusterSpec on random specs", () => {
  it("never throws and names the field of every rejection (10,000 specs)", () => {
    let rejected = 0;
    fc.assert(
      fc.property(fc.oneof({ weight: 9, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 4 }) }, { weight: 1, arbitrary: fc.anything() }), (change) => {
        const input: unknown = Array.isArray(change) && change.every((m) => Array.isArray(m) && typeof m[0] === "string" && LEAVES.includes(m[0]))
          ? (() => {
              const spec = structuredClone(demo);
              for (const [path, value] of change as [string, unknown][]) setPath(spec, path, value);
              return spec;
            })()
          : change;
        const result = validateClusterSpec(input);
        if (result.ok) return;
        rejected++;
        expect(result.errors.length).toBeGreaterThan(0);
        const isObject = typeof input === "object" && input !== null && !Array.isArray(input);
        for (const error of result.errors) {
          expect(error.message.length).toBeGreaterThan(0);
          const parentOfOddKey = /^has an unknown field /.test(error.message) && (error.path === ROOT_PATH || namesAField(error.path, input));
          if (isObject) expect(parentOfOddKey || namesAField(error.path, input), `${error.path}: ${error.message}`).toBe(true);
          else expect(error.path).toBe(ROOT_PATH);
        }
        // A single change outside the networks is reported at that very field.
        if (Array.isArray(change) && change.length === 1 && isObject && !String(change[0][0]).startsWith("networks")) {
          const top = String(change[0][0]).split(".")[0];
          for (const error of result.errors) expect(error.path.split(".")[0]).toBe(top);
        }
      }),
      { numRuns: 10_000, seed: 20261125 },
    );
    expect(rejected).toBeGreaterThan(5_000);
  }, 120_000);
});
