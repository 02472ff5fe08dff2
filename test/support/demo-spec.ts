import { readFileSync } from "node:fs";
import { validateClusterSpec, type ClusterSpec, type ClusterSpecInput } from "@/lib/cluster-spec";

/** The raw demo spec (matches the local cloud's seeds); callers may change it before validating. */
export function demoSpecInput(): ClusterSpecInput {
  return JSON.parse(readFileSync("test/fixtures/demo-spec.json", "utf8")) as ClusterSpecInput;
}

export function demoSpec(): ClusterSpec {
  const result = validateClusterSpec(demoSpecInput());
  if (!result.ok) throw new Error(`demo spec is invalid: ${JSON.stringify(result.errors)}`);
  return result.spec;
}
