import { readFileSync } from "node:fs";
import { validateClusterSpec, type ClusterSpec } from "@/lib/spec";

/** The raw demo spec (matches the local cloud's seeds); callers may change it before validating. */
export function demoSpecInput(): Record<string, unknown> {
  return JSON.parse(readFileSync("test/fixtures/demo-spec.json", "utf8")) as Record<string, unknown>;
}

export function demoSpec(): ClusterSpec {
  const result = validateClusterSpec(demoSpecInput());
  if (!result.ok) throw new Error(`demo spec is invalid: ${JSON.stringify(result.errors)}`);
  return result.spec;
}
