// Generates every node's Ignition config from a cluster spec file, for operators and tests:
//   npx tsx lib/cli/generate-ignition.ts <spec.json> <outdir> [--bootstrap-url URL] [--infra-id ID]
//     [--vrrp-api-id N] [--vrrp-ingress-id N] [--vrrp-api-int-id N] [--auth-pass PASS] [--macs macs.json]
//     [--ingest-url URL] [--agent-secret SECRET] [--cluster-id ID]
// Writes bootstrap.ign, master-0.ign … master-2.ign and bootstrap-pointer.ign (byte-stable JSON), then prints each
// file's size and its size as Nova user data. In the spec, `installerConfigs.bootstrap`/`.master` may also be
// "@path/to/file.ign" (relative to the spec file). Without the VRRP/agent flags the values are derived from the
// spec (deterministic, so two runs give the same bytes) — fine for a lab, not for production.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { BOOTSTRAP_OBJECT, ignitionContainerName, MASTER_NAMES } from "@/lib/domain";
import {
  bootstrapPointerConfig,
  derivedMacs,
  InvalidGeneratedConfigError,
  NOVA_USER_DATA_LIMIT,
  renderNodeConfigs,
  serializeConfig,
  TemplateError,
  userDataBytes,
} from "@/lib/ignition";
import { allocateVrrpIds, validateClusterSpec } from "@/lib/cluster-spec";

const USAGE = "usage: generate-ignition <spec.json> <outdir> [--bootstrap-url URL] [--infra-id ID] [--vrrp-api-id N] [--vrrp-ingress-id N] [--vrrp-api-int-id N] [--auth-pass PASS] [--macs macs.json] [--ingest-url URL] [--agent-secret SECRET] [--cluster-id ID]";

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function readSpec(specPath: string): unknown {
  const spec = JSON.parse(readFileSync(specPath, "utf8")) as { installerConfigs?: Record<string, unknown> };
  for (const [role, value] of Object.entries(spec.installerConfigs ?? {})) {
    if (typeof value === "string" && value.startsWith("@")) {
      spec.installerConfigs![role] = readFileSync(path.resolve(path.dirname(specPath), value.slice(1)), "utf8");
    }
  }
  return spec;
}

function derived(label: string, name: string, length: number): string {
  return createHash("sha256").update(`tripod:${label}:${name}`).digest("hex").slice(0, length);
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      "bootstrap-url": { type: "string" },
      "infra-id": { type: "string" },
      "vrrp-api-id": { type: "string" },
      "vrrp-ingress-id": { type: "string" },
      "vrrp-api-int-id": { type: "string" },
      macs: { type: "string" },
      "auth-pass": { type: "string" },
      "ingest-url": { type: "string" },
      "agent-secret": { type: "string" },
      "cluster-id": { type: "string" },
    },
  });
  const [specPath, outDir] = positionals;
  if (!specPath || !outDir || positionals.length !== 2) fail(USAGE, 64);

  const validation = validateClusterSpec(readSpec(specPath));
  if (!validation.ok) fail(validation.errors.map((e) => `${e.path}: ${e.message}`).join("\n"), 2);
  const spec = validation.spec;
  const vrrpIds = allocateVrrpIds([]);
  const infraId = values["infra-id"] ?? spec.name;
  const input = {
    spec,
    infraId,
    vrrp: {
      apiId: Number(values["vrrp-api-id"] ?? vrrpIds.api),
      ingressId: Number(values["vrrp-ingress-id"] ?? vrrpIds.ingress),
      apiIntId: spec.networks.cluster.apiIntVip ? Number(values["vrrp-api-int-id"] ?? vrrpIds.api) : undefined,
      authPass: values["auth-pass"] ?? derived("vrrp", spec.name, 8),
    },
    vipAgent: {
      ingestUrl: values["ingest-url"] ?? "http://127.0.0.1:3000/api/vrrp/ingest",
      secret: values["agent-secret"] ?? derived("agent", spec.name, 32),
      clusterId: values["cluster-id"] ?? infraId,
    },
    // {"master-0": {"outbound": "fa:16:3e:…", …}, …}: the ports' MACs (openstack port show -c mac_address)
    macs: values.macs ? JSON.parse(readFileSync(values.macs, "utf8")) : derivedMacs(infraId),
  };

  const configs = renderNodeConfigs(input);
  mkdirSync(outDir, { recursive: true });
  const report: string[] = [];
  const write = (file: string, text: string, userData: number | null) => {
    writeFileSync(path.join(outDir, file), text);
    const note = userData === null ? "served from Swift" : `user data ${userData} B${userData > NOVA_USER_DATA_LIMIT ? " — OVER THE LIMIT" : ""}`;
    report.push(`${file}\t${Buffer.byteLength(text)} B\t${note}`);
  };
  const bootstrapText = serializeConfig(configs.bootstrap);
  write("bootstrap.ign", bootstrapText, null);
  for (const node of MASTER_NAMES) {
    write(`${node}.ign`, serializeConfig(configs[node]), userDataBytes(configs[node]));
  }
  const url = values["bootstrap-url"] ?? `https://swift.invalid/v1/AUTH_tripod/${ignitionContainerName(infraId)}/${BOOTSTRAP_OBJECT}`;
  const pointer = bootstrapPointerConfig(bootstrapText, url, spec.caBundle);
  write("bootstrap-pointer.ign", serializeConfig(pointer), userDataBytes(pointer));
  process.stdout.write(`${report.join("\n")}\n`);
}

try {
  main();
} catch (error) {
  if (error instanceof TemplateError || error instanceof InvalidGeneratedConfigError) fail(error.message, 3);
  throw error;
}
