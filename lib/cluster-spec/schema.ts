import { z } from "zod";
import { cidrProblem, isIpv4 } from "./net";
import { MIN_OPENSHIFT_MINOR, NIC_ORDER_NAMES } from "@/lib/domain";
import { parseJsonText } from "./json";
import { resolveClusterSpec } from "./resolve";
import { isRecord } from "@/lib/util/records";

// The cluster spec as a tenant (or the wizard) writes it. Field rules live here; rules that span fields
// (addresses inside CIDRs, VIPs outside DHCP pools, no duplicates) and the IP allocation live in resolve.ts,
// which runs as the schema's final transform, so `ClusterSpecSchema.parse` gives the complete, resolved spec.

/** Ignition spec versions that RHCOS in every supported OpenShift (4.14+) accepts. */
export const ACCEPTED_IGNITION_VERSIONS = ["3.0.0", "3.1.0", "3.2.0", "3.3.0", "3.4.0"] as const;

const ipv4 = z.string().refine(isIpv4, "must be a dotted-quad IPv4 address such as 198.18.10.5");

const cidr = z.string().superRefine((value, ctx) => {
  const problem = cidrProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

// A route destination may be anything from a default route to a single host.
const routeDestination = z
  .string()
  .regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "must be an IPv4 CIDR such as 10.40.0.0/16")
  .refine((value) => isIpv4(value.split("/")[0]) && Number(value.split("/")[1]) <= 32, "must be an IPv4 CIDR");

// Linux IFNAMSIZ is 16 including the terminating NUL; "." and ".." are refused by the kernel.
const interfaceName = z
  .string()
  .regex(/^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,14}$/, "must be a Linux interface name (1-15 of A-Z a-z 0-9 _ . -)");

// Names land in comments of rendered files: a newline in one could inject configuration lines.
const openstackRef = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(255, "must be at most 255 characters")
  .regex(/^[^\u0000-\u001f\u007f]*$/, "must not contain control characters");

const nodeIps = z.strictObject({
  bootstrap: ipv4.optional(),
  master0: ipv4.optional(),
  master1: ipv4.optional(),
  master2: ipv4.optional(),
});

const allocationPool = z.strictObject({ start: ipv4, end: ipv4 });

// The interface name defaults to the NIC order preset's (resolve.ts), which depends on another field.
const networkFields = {
    network: openstackRef,
    subnet: openstackRef,
    cidr,
    gateway: ipv4,
    interface: interfaceName.optional(),
    // Neutron overlay networks (VXLAN/Geneve) usually offer 1450 or 1442; too large an MTU silently drops big
    // packets, too small only costs throughput. The wizard fills the network's real MTU.
    mtu: z.number().int().min(1280, "must be at least 1280").max(9000, "must be at most 9000").default(1450),
    ips: nodeIps.default({}),
    // The subnet's DHCP allocation pools: VIPs must stay outside them, allocated node IPs prefer outside.
    allocationPools: z.array(allocationPool).max(16).default([]),
};

const staticRoute = z.strictObject({ to: routeDestination, via: ipv4.optional() });

const networks = z.strictObject({
  outbound: z.strictObject(networkFields),
  cluster: z.strictObject({
    ...networkFields,
    gateway: ipv4.optional(),
    staticRoutes: z.array(staticRoute).max(64).default([]),
    // The internal API VIP (api-int), held by keepalived on the Cluster network: node-to-API traffic stays there.
    apiIntVip: ipv4.optional(),
  }),
  management: z.strictObject({
    ...networkFields,
    gateway: ipv4.optional(),
    staticRoutes: z.array(staticRoute).max(64).default([]),
  }),
  public: z.strictObject({
    ...networkFields,
    apiVip: ipv4,
    ingressVip: ipv4,
    // Kernel tables 253-255 are default/main/local, 0 is unspecified.
    routeTable: z.number().int().min(1, "must be 1-252").max(252, "must be 1-252").default(100),
  }),
});

export type IgnitionConfig = { ignition: { version: string } & Record<string, unknown> } & Record<string, unknown>;

/** An installer config (bootstrap.ign, master.ign) given as a JSON string or as an object. */
const installerConfig = z.union([z.string(), z.record(z.string(), z.unknown())]).transform((value, ctx) => {
  const problem = installerConfigProblem(value);
  if (problem) {
    ctx.issues.push({ code: "custom", input: value, message: problem });
    return z.NEVER;
  }
  return (typeof value === "string" ? JSON.parse(value) : value) as IgnitionConfig;
});

/**
 * Why an installer config (its text or its parsed JSON) cannot be used, or null. An `@file` reference (as an
 * exported spec holds it) is a file that was not read: the wizard fills it from the upload, ignition:generate
 * from beside the spec.
 */
export function installerConfigProblem(value: unknown): string | null {
  if (typeof value === "string" && value.startsWith("@")) return `refers to ${value.slice(1)}, which is not there yet: upload it`;
  let parsed = value;
  if (typeof value === "string") {
    const json = parseJsonText(value);
    if (!json.ok) return json.message;
    parsed = json.value;
  }
  return ignitionBaseProblem(parsed);
}

function ignitionBaseProblem(config: unknown): string | null {
  if (typeof config !== "object" || config === null || Array.isArray(config)) return "must be an Ignition config object";
  const ignition = (config as { ignition?: unknown }).ignition;
  const version = typeof ignition === "object" && ignition !== null ? (ignition as { version?: unknown }).version : undefined;
  if (typeof version !== "string") return "must have ignition.version";
  if (version.startsWith("2.")) return `Ignition spec ${version} is refused: RHCOS in OpenShift 4.6+ boots only spec 3.x`;
  if (!(ACCEPTED_IGNITION_VERSIONS as readonly string[]).includes(version)) {
    return `Ignition spec ${version} is not accepted: use one of ${ACCEPTED_IGNITION_VERSIONS.join(", ")}`;
  }
  return mergedSectionsProblem(config as Record<string, unknown>);
}

// The generator merges into storage.files/links/directories and passwd.users: those must have Ignition's shape
// (the rest passes through untouched and is left to Ignition itself).
function mergedSectionsProblem(config: Record<string, unknown>): string | null {
  const sections: [string, unknown, string][] = [];
  if (config.storage !== undefined) {
    if (!isRecord(config.storage)) return "storage must be an object";
    for (const key of ["files", "links", "directories"]) sections.push([`storage.${key}`, config.storage[key], "path"]);
  }
  if (config.passwd !== undefined) {
    if (!isRecord(config.passwd)) return "passwd must be an object";
    sections.push(["passwd.users", config.passwd.users, "name"]);
  }
  for (const [where, entries, key] of sections) {
    if (entries === undefined) continue;
    if (!Array.isArray(entries)) return `${where} must be a list`;
    const index = entries.findIndex((entry) => !isRecord(entry) || typeof entry[key] !== "string");
    if (index >= 0) return `${where}[${index}] must be an object with a string ${key}`;
  }
  return null;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----/g;

const caBundle = z
  .string()
  .refine((pem) => pem.match(PEM_CERTIFICATE) !== null, "must contain at least one PEM certificate")
  .refine(
    (pem) => pem.replace(PEM_CERTIFICATE, "").trim() === "",
    "must hold only PEM certificates (BEGIN/END CERTIFICATE blocks)",
  );

const containerImage = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._\-/:@]*$/, "must be a container image reference such as quay.io/org/name:tag")
  .max(512);

export const ClusterSpecInputSchema = z.strictObject({
  // Resource names are "<infraId>-master-port-2-public"-like; OpenShift's installer builds infraID from the first
  // 27 characters of the name, so longer names would be cut anyway.
  name: z
    .string()
    .min(1, "must not be empty")
    .max(27, "must be at most 27 characters")
    .regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS label: a-z, 0-9 and '-', starting with a letter"),
  baseDomain: z
    .string()
    .max(253, "must be at most 253 characters")
    .regex(
      /^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*$/,
      "must be a lower-case DNS name such as example.com",
    ),
  openshiftVersion: z
    .string()
    .regex(/^4\.(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,3}))?$/, "must look like 4.16 or 4.16.3")
    .refine((v) => Number(v.split(".")[1]) >= MIN_OPENSHIFT_MINOR, `must be 4.${MIN_OPENSHIFT_MINOR} or later`),
  flavor: openstackRef,
  image: openstackRef,
  sshKey: z
    .string()
    .trim()
    .regex(
      /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+={0,2}( [^\r\n]*)?$/,
      "must be one OpenSSH public key line (ssh-ed25519 AAAA… comment)",
    ),
  dnsUpstreams: z.array(ipv4).min(1, "needs at least one upstream resolver").max(3, "at most 3 upstream resolvers"),
  networks,
  installerConfigs: z.strictObject({ bootstrap: installerConfig, master: installerConfig }),
  caBundle: caBundle.optional(),
  // The order in which Nova attaches the four ports (constants.ts NIC_ORDERS); interface names must follow it.
  nicOrder: z.enum(NIC_ORDER_NAMES).default("tripod"),
  serverGroupPolicy: z.enum(["soft-anti-affinity", "anti-affinity"]).default("soft-anti-affinity"),
  // RHCOS 9 (OpenShift 4.13+) reads NetworkManager keyfiles natively; ifcfg files go through the deprecated
  // ifcfg-rh plugin and are kept for parity with the predecessor's fakeroot.
  networkConfigStyle: z.enum(["ifcfg", "nmkeyfile"]).default("nmkeyfile"),
  // mdns-publisher left OpenShift in 4.8 (CoreDNS answers from a static hosts block instead); legacy opt-in only.
  mdnsPublisher: z.boolean().default(false),
  images: z
    .strictObject({
      keepalived: containerImage.optional(),
      haproxy: containerImage.optional(),
      coredns: containerImage.optional(),
      mdnsPublisher: containerImage.optional(),
    })
    .default({}),
});

export type ClusterSpecInput = z.input<typeof ClusterSpecInputSchema>;
export type ParsedClusterSpecInput = z.output<typeof ClusterSpecInputSchema>;

export const ClusterSpecSchema = ClusterSpecInputSchema.transform((input, ctx) => {
  const resolved = resolveClusterSpec(input);
  if (resolved.ok) return resolved.spec;
  for (const issue of resolved.issues) ctx.issues.push({ code: "custom", input, path: issue.path, message: issue.message });
  return z.NEVER;
});
export type ClusterSpec = z.output<typeof ClusterSpecSchema>;
