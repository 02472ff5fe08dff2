import { INSTALLER_FILE_NAMES, NETWORK_LABELS, NODE_NAME_OF, type InstallerFileKey, type NetworkRole, type NodeKey } from "@/lib/domain";

const FIELD_LABELS: Record<string, string> = {
  projectId: "Project",
  cloudId: "Cloud",
  specText: "Spec JSON",
  name: "Cluster name",
  baseDomain: "Base domain",
  openshiftVersion: "OpenShift version",
  sshKey: "SSH public key",
  dnsUpstreams: "DNS upstream resolvers",
  flavor: "Flavor",
  image: "Image",
  network: "network",
  subnet: "subnet",
  cidr: "CIDR",
  gateway: "gateway",
  mtu: "MTU",
  interface: "interface",
  allocationPools: "DHCP allocation pools",
  apiVip: "API VIP",
  ingressVip: "Ingress VIP",
  apiIntVip: "internal API VIP",
  routeTable: "route table",
  ips: "node IPs",
};

/** A person's name for a spec field path ("networks.public.apiVip" → "Public API VIP"). */
export function fieldLabel(path: string): string {
  const parts = path.split(".");
  if (parts[0] === "networks" && parts[1] in NETWORK_LABELS) {
    const role = NETWORK_LABELS[parts[1] as NetworkRole];
    if (parts[2] === "ips" && parts[3]) return `${role} IP of ${NODE_NAME_OF[parts[3] as NodeKey] ?? parts[3]}`;
    return `${role} ${parts.slice(2).map((p) => FIELD_LABELS[p] ?? p).join(" ")}`;
  }
  if (parts[0] === "installerConfigs" || parts[0] === "files") return INSTALLER_FILE_NAMES[parts[1] as InstallerFileKey] ?? path;
  return FIELD_LABELS[path] ?? path;
}
