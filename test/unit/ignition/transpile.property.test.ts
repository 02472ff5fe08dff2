import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type IgnitionConfig, InvalidGeneratedConfigError, mergeTree, stableStringify, type TreeEntry } from "@/lib/ignition";
import { ignitionValidate } from "./helpers";

// Random trees merged into random bases: the merge either refuses with a typed error naming paths, or gives a
// config that the real `ignition-validate` accepts; and the result never depends on the tree's order.

const segment = fc.stringMatching(/^[a-z0-9._-]{1,8}$/).filter((s) => s !== "." && s !== "..");
const hostPath = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join("/")}`);
const entry: fc.Arbitrary<TreeEntry> = fc.oneof(
  fc.record({
    kind: fc.constant("file" as const),
    path: hostPath,
    content: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
    mode: fc.constantFrom(0o644, 0o755, 0o600),
    template: fc.constant("all/random"),
  }),
  fc.record({ kind: fc.constant("link" as const), path: hostPath, target: hostPath, template: fc.constant("all/random") }),
);
const tree = fc.uniqueArray(entry, { selector: (e) => e.path, maxLength: 12 });
const base = fc.record({
  files: fc.uniqueArray(hostPath, { maxLength: 4 }),
  links: fc.uniqueArray(hostPath, { maxLength: 2 }),
}).map(({ files, links }): IgnitionConfig => ({
  ignition: { version: "3.2.0" },
  storage: {
    files: files.filter((p) => !links.includes(p)).map((path) => ({ path, mode: 420, contents: { source: "data:,base" } })),
    links: links.map((path) => ({ path, target: "/base" })),
  },
}));

describe("mergeTree on random trees", () => {
  it("refuses with a typed error or yields a config ignition-validate accepts (80 cases)", () => {
    let accepted = 0;
    fc.assert(
      fc.property(base, tree, (baseConfig, entries) => {
        let merged: IgnitionConfig;
        try {
          merged = mergeTree(baseConfig, entries).config;
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidGeneratedConfigError);
          expect((error as InvalidGeneratedConfigError).problems.every((p) => p.path.startsWith("/"))).toBe(true);
          return;
        }
        accepted++;
        const check = ignitionValidate(merged);
        expect(check, `${check.output}\n${stableStringify(merged)}`).toEqual({ ok: true, output: "" });
        expect(stableStringify(mergeTree(baseConfig, [...entries].reverse()).config)).toBe(stableStringify(merged));
      }),
      { numRuns: 80, seed: 7 },
    );
    expect(accepted).toBeGreaterThan(20);
  }, 60_000);
});
