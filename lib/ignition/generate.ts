import path from "node:path";
import type { ClusterSpec } from "@/lib/cluster-spec";
import { buildNodeContext, parseRenderSettings, type RenderInput } from "./context";
import { InvalidGeneratedConfigError } from "./errors";
import { type Fakeroot, loadFakeroot } from "./fakeroot";
import { type OverlayName, planTree, renderTree } from "./render";
import { collectText, stableStringify, type TextSink, writeStableJson } from "./stable-json";
import { dataUrl, mergeEntries, StreamedDataUrl } from "./transpile";
import { NODE_NAMES, roleOfNode, type NodeName } from "@/lib/domain";
import type { IgnitionConfig, PlannedEntry, TreeEntry } from "./types";
import { validateGeneratedConfig } from "./validate";

export const DEFAULT_FAKEROOT_DIR = path.join(process.cwd(), "fakeroot");

let defaultFakeroot: Fakeroot | undefined;
/** The repository's fakeroot, read once per process. */
export function repoFakeroot(): Fakeroot {
  return (defaultFakeroot ??= loadFakeroot(DEFAULT_FAKEROOT_DIR));
}

export function overlaysFor(spec: ClusterSpec, node: NodeName): OverlayName[] {
  return [
    "all",
    roleOfNode(node),
    spec.networkConfigStyle === "ifcfg" ? "net-ifcfg" : "net-nmkeyfile",
    ...(spec.mdnsPublisher ? (["legacy-mdns"] as const) : []),
  ];
}

function nodeOverlaysAndContext(input: RenderInput, node: NodeName) {
  return { overlays: overlaysFor(input.spec, node), context: buildNodeContext(input.spec, parseRenderSettings(input), node) };
}

/** The rendered root tree of one node (before it is merged into the installer config). */
export function renderNodeTree(input: RenderInput, node: NodeName, fakeroot: Fakeroot = repoFakeroot()): TreeEntry[] {
  const { overlays, context } = nodeOverlaysAndContext(input, node);
  return renderTree(fakeroot, overlays, context);
}

// The spec's SSH key is added to `core` (the installer configs usually carry it already; then nothing changes).
function withSshKey<Source>(config: IgnitionConfig<Source>, sshKey: string): IgnitionConfig<Source> {
  const passwd = (config.passwd ?? {}) as { users?: { name: string; sshAuthorizedKeys?: string[] }[] };
  const users = passwd.users ?? [];
  const core = users.find((user) => user.name === "core");
  if (core?.sshAuthorizedKeys?.includes(sshKey)) return config;
  const updatedUsers = core
    ? users.map((user) => (user === core ? { ...user, sshAuthorizedKeys: [...(user.sshAuthorizedKeys ?? []), sshKey] } : user))
    : [...users, { name: "core", sshAuthorizedKeys: [sshKey] }];
  return { ...config, passwd: { ...passwd, users: updatedUsers } };
}

/** One node's merged and validated config; `sourceOf` makes the `contents.source` of each of the tree's files. */
function nodeConfig<Source>(
  input: RenderInput,
  node: NodeName,
  fakeroot: Fakeroot,
  sourceOf: (file: Extract<PlannedEntry, { kind: "file" }>) => Source,
): IgnitionConfig<Source | string> {
  const { overlays, context } = nodeOverlaysAndContext(input, node);
  const base = roleOfNode(node) === "bootstrap" ? input.spec.installerConfigs.bootstrap : input.spec.installerConfigs.master;
  const { config, translations } = mergeEntries(base, planTree(fakeroot, overlays, context), node, sourceOf);
  const merged = withSshKey(config, input.spec.sshKey);
  const problems = validateGeneratedConfig(merged, translations);
  if (problems.length > 0) throw new InvalidGeneratedConfigError(node, problems);
  return merged;
}

/** One node's config as a value, every file's content inline (for the masters' user data, inspection, tests). */
export function renderNodeConfig(input: RenderInput, node: NodeName, fakeroot: Fakeroot = repoFakeroot()): IgnitionConfig {
  return nodeConfig(input, node, fakeroot, (file) => dataUrl(file.read()));
}

/**
 * Writes one node's config to `sink`: byte for byte serializeConfig(renderNodeConfig(…)), but each file is made
 * (read or rendered) and base64-encoded in pieces only as its turn comes, so at most one file's content is in
 * memory. The settings, the tree's paths, the merge and Ignition's rules are checked before the first byte; a
 * template that fails to render throws its TemplateError midway, leaving part of the config in the sink.
 */
export function writeNodeConfig(input: RenderInput, node: NodeName, sink: TextSink, fakeroot: Fakeroot = repoFakeroot()): void {
  writeStableJson(nodeConfig(input, node, fakeroot, (file) => new StreamedDataUrl(file.read)), sink);
}

/** writeNodeConfig into a string: the bytes to upload, without first building the config of base64 strings. */
export function serializeNodeConfig(input: RenderInput, node: NodeName, fakeroot: Fakeroot = repoFakeroot()): string {
  return collectText((sink) => writeNodeConfig(input, node, sink, fakeroot));
}

/** The full Ignition config of every node: bootstrap (to be served from Swift) and the masters (user data). */
export function renderNodeConfigs(input: RenderInput, fakeroot: Fakeroot = repoFakeroot()): Record<NodeName, IgnitionConfig> {
  const configs = {} as Record<NodeName, IgnitionConfig>;
  for (const node of NODE_NAMES) configs[node] = renderNodeConfig(input, node, fakeroot);
  return configs;
}

/** Bytes as uploaded / passed as user data: the pointer's hash is over exactly these. */
export function serializeConfig(config: IgnitionConfig): string {
  return stableStringify(config);
}
