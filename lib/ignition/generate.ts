import path from "node:path";
import type { ClusterSpec } from "@/lib/cluster-spec";
import { buildNodeContext, parseRenderSettings, type RenderInput } from "./context";
import { InvalidGeneratedConfigError } from "./errors";
import { type Fakeroot, loadFakeroot } from "./fakeroot";
import { pointerConfig, sha512Hex } from "./pointer";
import { type OverlayName, renderTree } from "./render";
import { stableStringify } from "./stable-json";
import { mergeTree } from "./transpile";
import { NODE_NAMES, roleOfNode, type NodeName } from "@/lib/domain";
import type { IgnitionConfig, TreeEntry } from "./types";
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

/** The rendered root tree of one node (before it is merged into the installer config). */
export function renderNodeTree(input: RenderInput, node: NodeName, fakeroot: Fakeroot = repoFakeroot()): TreeEntry[] {
  const context = buildNodeContext(input.spec, parseRenderSettings(input), node);
  return renderTree(fakeroot, overlaysFor(input.spec, node), context);
}

// The spec's SSH key is added to `core` (the installer configs usually carry it already; then nothing changes).
function withSshKey(config: IgnitionConfig, sshKey: string): IgnitionConfig {
  const passwd = (config.passwd ?? {}) as { users?: { name: string; sshAuthorizedKeys?: string[] }[] };
  const users = passwd.users ?? [];
  const core = users.find((user) => user.name === "core");
  if (core?.sshAuthorizedKeys?.includes(sshKey)) return config;
  const updatedUsers = core
    ? users.map((user) => (user === core ? { ...user, sshAuthorizedKeys: [...(user.sshAuthorizedKeys ?? []), sshKey] } : user))
    : [...users, { name: "core", sshAuthorizedKeys: [sshKey] }];
  return { ...config, passwd: { ...passwd, users: updatedUsers } };
}

export function renderNodeConfig(input: RenderInput, node: NodeName, fakeroot: Fakeroot = repoFakeroot()): IgnitionConfig {
  const tree = renderNodeTree(input, node, fakeroot);
  const base = roleOfNode(node) === "bootstrap" ? input.spec.installerConfigs.bootstrap : input.spec.installerConfigs.master;
  const { config, translations } = mergeTree(base, tree, node);
  const merged = withSshKey(config, input.spec.sshKey);
  const problems = validateGeneratedConfig(merged, translations);
  if (problems.length > 0) throw new InvalidGeneratedConfigError(node, problems);
  return merged;
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

/** The bootstrap's user data: fetch `url`, check it against the serialized bootstrap config, trust the cloud CA. */
export function bootstrapPointerConfig(serializedBootstrap: string, url: string, caBundle?: string): IgnitionConfig {
  return pointerConfig({ url, sha512: sha512Hex(serializedBootstrap), caBundle });
}
