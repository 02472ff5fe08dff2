import { stringify } from "yaml";
import type { ClusterSpec } from "@/lib/cluster-spec";
import { NETWORK_ROLES, type NetworkRole } from "@/lib/domain";
import type { ClusterPlan } from "@/lib/plan";
import type { ClusterCloud, PortCellView } from "./cluster-cloud";

// The cluster as an Ansible inventory (YAML, the `yaml` inventory plugin's format): the variables the UPI
// playbooks' inventory.yaml uses (os_infra_id, os_subnet_range, os_flavor_master, os_image_rhcos, os_apiVIP,
// os_ingressVIP, os_cp_nodes_number, …) and, per server, its four ports in NIC order with what Neutron reports —
// so that the seed's playbooks (or an operator's own) can act on exactly what Tripod created.

function portVars(cell: PortCellView | null) {
  if (!cell) return null;
  return {
    name: cell.name,
    nic: cell.nic,
    fixed_ip: cell.fixedIp,
    mac_address: cell.mac,
    status: cell.neutronStatus ?? cell.status,
    security_groups: cell.securityGroups,
    allowed_address_pairs: cell.vipPairs.expected.filter((ip) => !cell.vipPairs.missing.includes(ip)),
    missing_allowed_address_pairs: cell.vipPairs.missing,
  };
}

/** Pure: the inventory text from the spec, its plan and the cloud's view of the grid. */
export function ansibleInventory(cluster: { name: string; infraId: string }, spec: ClusterSpec, plan: ClusterPlan, cloud: Pick<ClusterCloud, "rows" | "servers">): string {
  const networks = Object.fromEntries(
    NETWORK_ROLES.map((role) => {
      const n = spec.networks[role];
      const sg = plan.securityGroups.find((g) => g.key === role)!;
      return [role, { network: n.network, subnet: n.subnet, cidr: n.cidr, gateway: n.gateway ?? null, interface: n.interface, mtu: n.mtu ?? null, security_group: sg.name }];
    }),
  );
  const hostsOf = (kind: "bootstrap" | "masters") =>
    Object.fromEntries(
      cloud.rows
        .filter((r) => r.kind === "node" && (kind === "bootstrap" ? r.key === "bootstrap" : r.key !== "bootstrap"))
        .map((row) => {
          const server = cloud.servers.find((s) => s.node === row.key)!;
          const ports = Object.fromEntries(NETWORK_ROLES.map((role) => [role, portVars(row.cells[role])])) as Record<NetworkRole, ReturnType<typeof portVars>>;
          return [
            server.name,
            {
              // SSH is allowed from the Management network (see the Management security group).
              ansible_host: ports.management?.fixed_ip ?? null,
              node: row.key,
              server_name: server.name,
              server_id: server.id,
              server_status: server.status,
              node_ip: ports.cluster?.fixed_ip ?? null,
              ports,
            },
          ];
        }),
    );
  const vipPorts = cloud.rows
    .filter((r) => r.kind === "vip")
    .map((r) => {
      const cell = NETWORK_ROLES.map((role) => r.cells[role]).find((c) => c !== null)!;
      return { vip: r.key.replace(/^vip-/, ""), label: r.label, network: NETWORK_ROLES.find((role) => r.cells[role] === cell), name: cell.name, address: cell.fixedIp, mac_address: cell.mac, status: cell.neutronStatus ?? cell.status };
    });
  const pub = spec.networks.public;
  const inventory = {
    all: {
      vars: {
        cluster_name: cluster.name,
        base_domain: spec.baseDomain,
        os_infra_id: cluster.infraId,
        os_subnet_range: spec.networks.cluster.cidr,
        os_flavor_master: spec.flavor,
        os_image_rhcos: spec.image,
        os_apiVIP: pub.apiVip,
        os_ingressVIP: pub.ingressVip,
        api_int_vip: spec.networks.cluster.apiIntVip ?? null,
        os_cp_nodes_number: plan.servers.filter((s) => s.serverGroup).length,
        os_compute_nodes_number: 0,
        os_cp_server_group_policy: plan.serverGroup.policy,
        os_cp_server_group_name: plan.serverGroup.name,
        os_tags: plan.tags,
        os_swift_container: plan.swift.container,
        os_networks: networks,
        vip_ports: vipPorts,
      },
      children: {
        bootstrap: { hosts: hostsOf("bootstrap") },
        masters: { hosts: hostsOf("masters") },
      },
    },
  };
  return `# Ansible inventory of OpenShift cluster ${cluster.name} (${cluster.infraId}), written by Tripod.\n# Check it with: ansible-inventory -i inventory.yaml --list\n${stringify(inventory, { lineWidth: 0 })}`;
}
