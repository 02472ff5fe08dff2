import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stableStringify } from "@/lib/ignition";

// The reference: JSON.stringify of a copy with every object's keys sorted (what stableStringify wrote before it
// joined pieces itself).
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const sorted: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) sorted[key] = sortKeys(member);
  }
  return sorted;
}

describe("stableStringify", () => {
  it("writes the bytes JSON.stringify writes for the key-sorted value, whatever the value", () => {
    const anyString = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.constantFrom('"', "\\", "\u0000", "\u2028", "\ud800", "\udc00x", "é😀"));
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        anyString,
        fc.double(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie("value")),
        fc.dictionary(anyString, fc.oneof(tie("value"), fc.constant(undefined))),
      ),
    })).value;
    fc.assert(fc.property(json, (v) => stableStringify(v) === JSON.stringify(sortKeys(v))), { numRuns: 500, seed: 16 });
  });

  it("keeps a __proto__ member read from JSON as an ordinary member, and undefined in an array as null", () => {
    const parsed = JSON.parse('{"b":1,"__proto__":{"x":[2,"y"]},"a":"\\u0001"}');
    expect(stableStringify(parsed)).toBe('{"__proto__":{"x":[2,"y"]},"a":"\\u0001","b":1}');
    expect(stableStringify([undefined, 1])).toBe("[null,1]");
  });
});
