// Tripod's vocabulary: the words every layer uses (spec, plan, ignition, lifecycle, vip, data, UI), defined once.
// Names are stable ids: they key database rows, OpenStack names and tags, and keepalived instances, so renaming
// one is a migration.

// ---- Nodes ----------------------------------------------------------------------------------------------------

/** Keys of the nodes in the cluster spec (`networks.<role>.ips.master0`). */
export const NODE_KEYS = ["bootstrap", "master0", "master1", "master2"] as const;
export type NodeKey = (typeof NODE_KEYS)[number];

/** Node names as they appear in resource names, Ignition output, agent reports and the UI. */
export const NODE_NAMES = ["bootstrap", "master-0", "master-1", "master-2"] as const;
export type NodeName = (typeof NODE_NAMES)[number];
export const MASTER_NAMES = ["master-0", "master-1", "master-2"] as const satisfies readonly NodeName[];

export const NODE_NAME_OF: Record<NodeKey, NodeName> = { bootstrap: "bootstrap", master0: "master-0", master1: "master-1", master2: "master-2" };
export const NODE_KEY_OF: Record<NodeName, NodeKey> = { bootstrap: "bootstrap", "master-0": "master0", "master-1": "master1", "master-2": "master2" };

/** Every node is a master and a worker (hyperconverged); the bootstrap runs only until the control plane is up. */
export type NodeRole = "bootstrap" | "master";
export const roleOfNode = (node: NodeName): NodeRole => (node === "bootstrap" ? "bootstrap" : "master");

// ---- Networks -------------------------------------------------------------------------------------------------

/** The four networks of a node, in Tripod's NIC order (the `tripod` preset of NIC_ORDERS). */
export const NETWORK_ROLES = ["outbound", "cluster", "management", "public"] as const;
export type NetworkRole = (typeof NETWORK_ROLES)[number];

/**
 * NIC order presets (spec `nicOrder`): the order in which the Nova server gets its ports. The guest's kernel names
 * the NICs in that order (virtio PCI slots 3, 4, 5, 6 → ens3..ens6), so the spec's interface names must follow it.
 * `predecessor` is the layout of the seed's predecessor (Cluster ens3, Public ens4, Management ens5, Outbound ens6).
 */
export const NIC_ORDERS = {
  tripod: NETWORK_ROLES,
  predecessor: ["cluster", "public", "management", "outbound"],
} as const satisfies Record<string, readonly NetworkRole[]>;
export type NicOrder = keyof typeof NIC_ORDERS;
export const NIC_ORDER_NAMES = Object.keys(NIC_ORDERS) as [NicOrder, ...NicOrder[]];

/** The first NIC's number in a guest's predictable interface names (ens3 on KVM's PCI layout). */
export const FIRST_NIC_NUMBER = 3;

/** Interface names of a preset: ens3, ens4, … in attachment order. */
export function defaultInterfaces(order: NicOrder): Record<NetworkRole, string> {
  return Object.fromEntries(NIC_ORDERS[order].map((role, index) => [role, `ens${FIRST_NIC_NUMBER + index}`])) as Record<NetworkRole, string>;
}

export const NETWORK_LABELS: Record<NetworkRole, string> = { outbound: "Outbound", cluster: "Cluster", management: "Management", public: "Public" };

// ---- VIPs -----------------------------------------------------------------------------------------------------

/** The virtual IPs keepalived moves between the nodes. */
export const VIP_NAMES = ["api", "ingress"] as const;
export type VipName = (typeof VIP_NAMES)[number];

export const VIP_LABELS: Record<VipName, string> = { api: "API VIP", ingress: "Ingress VIP" };

/** A VIP's health, least severe first (a status's index is its severity). */
export const VIP_STATUSES = ["ok", "degraded", "down"] as const;
export type VipStatus = (typeof VIP_STATUSES)[number];

/** The most severe of `statuses`; "ok" of none. */
export function worstVipStatus(statuses: readonly VipStatus[]): VipStatus {
  return statuses.reduce<VipStatus>((w, s) => (VIP_STATUSES.indexOf(s) > VIP_STATUSES.indexOf(w) ? s : w), "ok");
}

/** VIPs with a reservation port: the two above on Public, and the internal API VIP (`api-int`) on Cluster. */
export const RESERVED_VIPS = [...VIP_NAMES, "api-int"] as const;
export type ReservedVip = (typeof RESERVED_VIPS)[number];
export const RESERVED_VIP_LABELS: Record<ReservedVip, string> = { ...VIP_LABELS, "api-int": "Internal API VIP" };

/** keepalived `vrrp_instance` names: `<cluster>_API`, `<cluster>_INGRESS`, `<cluster>_API_INT` (as the templates write). */
export function vipInstanceName(clusterName: string, vip: ReservedVip): string {
  return `${clusterName}_${vip.toUpperCase().replace("-", "_")}`;
}

/**
 * Which VIP an instance name serves, by its suffix (optionally followed by `_<n>`); null for anything else. The
 * agents report the internal API VIP's instance too: it is stored, the panels show the API and Ingress VIPs.
 */
export function vipOfInstance(instance: string): ReservedVip | null {
  for (const vip of RESERVED_VIPS) if (new RegExp(`_${vip.toUpperCase().replace("-", "_")}(_\\d+)?$`).test(instance)) return vip;
  return null;
}

// ---- OpenStack resources: kinds, names, tags ------------------------------------------------------------------

export const RESOURCE_KINDS = ["port", "vip-port", "security-group", "server-group", "server", "swift-container", "swift-object"] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export const RESOURCE_KIND_LABELS: Record<ResourceKind, string> = {
  port: "Port",
  "vip-port": "VIP reservation port",
  "security-group": "Security group",
  "server-group": "Server group",
  server: "Server",
  "swift-container": "Swift container",
  "swift-object": "Swift object",
};

/** The kinds inside a sentence, one of each ("3 security groups" adds an s). */
export const RESOURCE_KIND_NOUNS: Record<ResourceKind, string> = {
  port: "port",
  "vip-port": "VIP reservation port",
  "security-group": "security group",
  "server-group": "server group",
  server: "server",
  "swift-container": "Swift container",
  "swift-object": "Swift object",
};

/** What Tripod's ledger knows of a resource: planned (intent recorded), present (created or adopted), deleted. */
export type ResourceStatus = "planned" | "present" | "deleted";

/**
 * What the page shows of a resource the cloud's listing does not name, recorded as `status`: one recorded present is
 * gone from the cloud, which a teardown wants ("deleted") and nothing else does ("missing").
 */
export function unlistedStatus(status: string, tearingDown: boolean): string {
  return status === "present" ? (tearingDown ? "deleted" : "missing") : status;
}

export const TAG_CLUSTER = "tripod-cluster";
export const TAG_INFRA = "openshiftClusterID";
/** Nova metadata key carrying the cluster tag (servers are also tagged; metadata works on every microversion). */
export const SERVER_METADATA_KEY = "tripod_cluster";

export function clusterTags(identity: { clusterId: string; infraId: string }): string[] {
  return [`${TAG_CLUSTER}=${identity.clusterId}`, `${TAG_INFRA}=${identity.infraId}`];
}

export const portName = (infraId: string, node: NodeName, role: NetworkRole) => `${infraId}-${node}-${role}`;
export const vipPortName = (infraId: string, vip: ReservedVip) => `${infraId}-${vip}-vip`;
export const serverName = (infraId: string, node: NodeName) => `${infraId}-${node}`;
export const securityGroupName = (infraId: string, role: NetworkRole) => `${infraId}-${role}`;
export const serverGroupName = (infraId: string) => `${infraId}-masters`;
export const ignitionContainerName = (infraId: string) => `${infraId}-ignition`;
export const BOOTSTRAP_OBJECT = "bootstrap.ign";

// ---- Operations and clusters ----------------------------------------------------------------------------------

export const OPERATION_KINDS = ["create", "teardown", "bootstrap-teardown"] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

/**
 * The steps of each operation; they key the Step rows a crashed run resumes from. Unlike the seed, security groups
 * come before ports on create (ports are created with their groups, no PUT per port to attach them) and after them
 * on teardown (a group is deleted once no port uses it, no PUT per port to detach it).
 */
export const STEP_NAMES = {
  create: [
    "preflight",
    "security-groups",
    "ports",
    "ignition-upload",
    "bootstrap",
    "control-plane",
    "wait-bootstrap-complete",
    "bootstrap-teardown",
  ],
  teardown: ["control-plane", "bootstrap", "ports", "security-groups", "ignition-config", "verify-empty"],
  "bootstrap-teardown": ["bootstrap-teardown"],
} as const satisfies Record<OperationKind, readonly string[]>;

export const OPERATION_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];
/** An operation in one of these holds its cluster (the database allows one per cluster). */
export const ACTIVE_OPERATION_STATUSES: OperationStatus[] = ["queued", "running"];
export const isActiveOperation = (status: string) => (ACTIVE_OPERATION_STATUSES as string[]).includes(status);

export const STEP_STATUSES = ["pending", "running", "succeeded", "failed", "cancelled"] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const CLUSTER_STATUSES = ["draft", "creating", "ready", "tearing-down", "deleted", "failed"] as const;
export type ClusterStatus = (typeof CLUSTER_STATUSES)[number];
/** Clusters whose servers may exist in the cloud (and whose nodes report VIP state). */
export const LIVE_CLUSTER_STATUSES: ClusterStatus[] = ["creating", "ready", "failed"];
export const isLiveCluster = (status: string) => (LIVE_CLUSTER_STATUSES as string[]).includes(status);

/** The cluster's status while an operation of this kind runs, and once it ended. */
export function clusterStatusFor(kind: OperationKind, phase: OperationStatus): ClusterStatus {
  if (phase === "running" || phase === "queued") return kind === "teardown" ? "tearing-down" : "creating";
  if (phase === "succeeded") return kind === "teardown" ? "deleted" : "ready";
  // A failed or cancelled create leaves resources behind: the cluster is "failed" until a retry or a teardown.
  return "failed";
}

/** The statuses a cluster is shown with: the stored ones and "cancelled" (see shownClusterStatus). */
export const SHOWN_CLUSTER_STATUSES = [...CLUSTER_STATUSES, "cancelled"] as const;
export type ShownClusterStatus = (typeof SHOWN_CLUSTER_STATUSES)[number];

/** What a cluster's status reads as: a create that was cancelled leaves a "failed" cluster that is shown "cancelled". */
export function shownClusterStatus(status: string, lastOperationStatus: string | null | undefined): string {
  return status === "failed" && lastOperationStatus === "cancelled" ? "cancelled" : status;
}

/** How a status reads on a badge: the colour family every page uses for it. */
export type StatusTone = "success" | "danger" | "warning" | "info" | "grey";

const TONES: Record<string, StatusTone> = {
  succeeded: "success",
  present: "success",
  ready: "success",
  ok: "success",
  failed: "danger",
  down: "danger",
  error: "danger",
  cancelled: "warning",
  degraded: "warning",
  warning: "warning",
  running: "info",
  ACTIVE: "success",
  DOWN: "danger",
  BUILD: "info",
  ERROR: "danger",
  missing: "danger",
  deleting: "warning",
  queued: "info",
  creating: "info",
  "tearing-down": "info",
};

export function statusTone(status: string): StatusTone {
  return TONES[status] ?? "grey";
}

// ---- Installer files ------------------------------------------------------------------------------------------

/** The openshift-install outputs a cluster needs, by key; uploaded in the wizard and stored sealed. */
export const INSTALLER_FILES = ["bootstrap", "master", "kubeconfig", "kubeadminPassword"] as const;
export type InstallerFileKey = (typeof INSTALLER_FILES)[number];

/** Their names in the installer's directory (and in an exported spec's `@file` references). */
export const INSTALLER_FILE_NAMES: Record<InstallerFileKey, string> = {
  bootstrap: "bootstrap.ign",
  master: "master.ign",
  kubeconfig: "auth/kubeconfig",
  kubeadminPassword: "auth/kubeadmin-password",
};

/**
 * A file's name in the cluster's files route (`/api/clusters/<id>/files/<name>`, PUT uploads, GET downloads): its
 * installer name without folder or `.ign` — `kubeadmin-password` both ways.
 */
export const installerFileRouteName = (key: InstallerFileKey) => INSTALLER_FILE_NAMES[key].replace(/^.*\//, "").replace(/\.ign$/, "");

/** The oldest OpenShift minor a cluster spec may name (4.14). */
export const MIN_OPENSHIFT_MINOR = 14;

/**
 * The largest installer file accepted, by kind: an Ignition config 16 MiB (a bootstrap.ign with certificates and pull
 * secret is 0.3–2 MiB), a kubeconfig 256 KiB (the installer's is about 10 KiB), the kubeadmin password 256 bytes.
 */
export const INSTALLER_FILE_LIMITS: Record<InstallerFileKey, number> = {
  bootstrap: 16 * 1024 * 1024,
  master: 16 * 1024 * 1024,
  kubeconfig: 256 * 1024,
  kubeadminPassword: 256,
};

/** A draft's largest spec text without its installer configs (stored apart; a whole spec is a few KiB): anything larger is not a spec. */
export const MAX_SPEC_BYTES = 2 * 1024 * 1024;

/** The largest request body a server action or the automation API reads (a spec with its configs inline, a kubeconfig). */
export const REQUEST_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

/** A size as the pages say it: "256 bytes", "12.5 KiB", "16.0 MiB". */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

// ---- The create wizard ----------------------------------------------------------------------------------------

/** The wizard's pages, in order; each is a view of some fields of the cluster spec (lib/cluster-spec/draft.ts). */
export const WIZARD_STEPS = ["cluster", "networks", "addresses", "machines", "files", "review", "create"] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

export const WIZARD_STEP_LABELS: Record<WizardStep, string> = {
  cluster: "Project and cloud",
  networks: "Networks",
  addresses: "Nodes and addresses",
  machines: "Flavor and image",
  files: "Installer files",
  review: "Review",
  create: "Create",
};
