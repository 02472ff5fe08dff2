// Generates every node's Ignition config from a cluster spec file, for operators and tests:
//   npm run ignition:generate -- <spec.json> <outdir> [--bootstrap-url URL] [--infra-id ID]
//     [--vrrp-api-id N] [--vrrp-ingress-id N] [--vrrp-api-int-id N] [--auth-pass PASS] [--macs macs.json]
//     [--ingest-url URL] [--agent-secret SECRET] [--cluster-id ID] [--fakeroot DIR]
// Writes bootstrap.ign, master-0.ign … master-2.ign and bootstrap-pointer.ign (byte-stable JSON), then prints each
// file's size and its size as Nova user data. Each node's config is streamed to its file (writeNodeConfig: one
// fakeroot file in memory at a time) and renamed into place once complete. `--fakeroot` (default: the repository's
// fakeroot/) renders another tree. In the spec, `installerConfigs.bootstrap`/`.master` may also be
// "@path/to/file.ign" (relative to the spec file). Without the VRRP/agent flags the values are derived from the
// spec (deterministic, so two runs give the same bytes) — fine for a lab, not for production.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { BOOTSTRAP_OBJECT, ignitionContainerName, NODE_NAMES } from "@/lib/domain";
import {
  DEFAULT_FAKEROOT_DIR,
  derivedMacs,
  InvalidGeneratedConfigError,
  loadFakeroot,
  NOVA_USER_DATA_LIMIT,
  pointerConfig,
  serializeConfig,
  TemplateError,
  type TextSink,
  userDataBytesOf,
  writeConfigFile,
  writeNodeConfig,
} from "@/lib/ignition";
import { allocateVrrpIds, validateClusterSpec } from "@/lib/cluster-spec";

const USAGE = "usage: generate-ignition <spec.json> <outdir> [--bootstrap-url URL] [--infra-id ID] [--vrrp-api-id N] [--vrrp-ingress-id N] [--vrrp-api-int-id N] [--auth-pass PASS] [--macs macs.json] [--ingest-url URL] [--agent-secret SECRET] [--cluster-id ID] [--fakeroot DIR]";

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
      fakeroot: { type: "string" },
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

  const fakeroot = loadFakeroot(values.fakeroot ?? DEFAULT_FAKEROOT_DIR);
  mkdirSync(outDir, { recursive: true });
  const report: string[] = [];
  const write = (file: string, text: (sink: TextSink) => void, userData: boolean) => {
    const written = writeConfigFile(path.join(outDir, file), text);
    const asUserData = userDataBytesOf(written.bytes);
    const note = !userData ? "served from Swift" : `user data ${asUserData} B${asUserData > NOVA_USER_DATA_LIMIT ? " — OVER THE LIMIT" : ""}`;
    report.push(`${file}\t${written.bytes} B\t${note}`);
    return written;
  };
  const written = NODE_NAMES.map((node) => write(`${node}.ign`, (sink) => writeNodeConfig(input, node, sink, fakeroot), node !== "bootstrap"));
  const url = values["bootstrap-url"] ?? `https://swift.invalid/v1/AUTH_tripod/${ignitionContainerName(infraId)}/${BOOTSTRAP_OBJECT}`;
  const pointer = pointerConfig({ url, sha512: written[NODE_NAMES.indexOf("bootstrap")].sha512, caBundle: spec.caBundle });
  write("bootstrap-pointer.ign", (sink) => sink.write(serializeConfig(pointer)), true);
  process.stdout.write(`${report.join("\n")}\n`);
}

try {
  main();
} catch (error) {
  if (error instanceof TemplateError || error instanceof InvalidGeneratedConfigError) fail(error.message, 3);
  throw error;
}
