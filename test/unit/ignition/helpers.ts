import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { derivedMacs, type IgnitionConfig, type RenderInput, stableStringify } from "@/lib/ignition";
import { validateClusterSpec } from "@/lib/cluster-spec";
import { demoSpecInput } from "../cluster-spec/demo";

/** The demo spec (optionally changed) with fixed render settings, as the golden files were made. */
export function demoRenderInput(change: (spec: Record<string, any>) => void = () => {}): RenderInput {
  const input = demoSpecInput();
  change(input);
  const result = validateClusterSpec(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return {
    spec: result.spec,
    vrrp: { apiId: 51, ingressId: 52, authPass: "tr1pod", apiIntId: result.spec.networks.cluster.apiIntVip ? 53 : undefined },
    vipAgent: { ingestUrl: "http://127.0.0.1:3000/api/vrrp/ingest", secret: "demo-agent-secret-0123456789abcdef", clusterId: "clu_demo" },
    infraId: "demo-4x7kq",
    macs: derivedMacs("demo-4x7kq"),
  };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `tripod-${prefix}-`));
}

/** Runs Debian's `ignition-validate` (the real Ignition parser and validator) on a config. */
export function ignitionValidate(config: IgnitionConfig | string): { ok: boolean; output: string } {
  const file = path.join(tempDir("ign"), "config.ign");
  writeFileSync(file, typeof config === "string" ? config : stableStringify(config));
  const run = spawnSync("ignition-validate", [file], { encoding: "utf8" });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}`.trim() };
}

export function fileContent(config: IgnitionConfig, filePath: string): string {
  const file = config.storage?.files?.find((f) => f.path === filePath);
  const source = file?.contents?.source;
  if (typeof source !== "string") throw new Error(`no ${filePath} in the config`);
  return Buffer.from(source.slice(source.indexOf(",") + 1), "base64").toString("utf8");
}

export function run(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** The error `run` throws (fails the test when it throws nothing), for asserting on typed error fields. */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}
