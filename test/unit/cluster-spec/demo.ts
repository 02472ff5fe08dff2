import { readFileSync } from "node:fs";

/** A fresh, mutable copy of the demo spec fixture (JSON input, before validation). */
export function demoSpecInput(): Record<string, any> {
  return JSON.parse(readFileSync("test/fixtures/demo-spec.json", "utf8"));
}
