"use client";

import { NETWORK_LABELS, NETWORK_ROLES } from "@/lib/domain";
import type { ClusterView } from "@/lib/data";
import { DataTable } from "../data-table";
import { StatusLabel } from "../status-label";

/** Ports per node and network in NIC order, then the VIP reservation ports. */
export function PortsGrid({ view }: { view: ClusterView }) {
  return (
    <DataTable
      label="Ports per network"
      testId="ports"
      columns={["Node", ...NETWORK_ROLES.map((r) => NETWORK_LABELS[r])]}
      rows={[
        ...view.ports.map((row) => ({
          key: row.node,
          cells: [row.node, ...NETWORK_ROLES.map((r) => (row.cells[r] ? <StatusLabel key={r} status={row.cells[r]!.status} /> : "—"))],
        })),
        ...view.vipPorts.map((p) => ({
          key: p.name,
          cells: [p.label, <span key="r" className="empty">reservation port {p.name}</span>, "", "", <StatusLabel key="s" status={p.status} />],
        })),
      ]}
    />
  );
}

/** Everything else the cluster has in the cloud: security groups, server group, Swift, servers. */
export function OtherResources({ view }: { view: ClusterView }) {
  return (
    <DataTable
      label="Other resources"
      testId="resources"
      columns={["Kind", "Name", "Status"]}
      rows={view.otherResources.map((r) => ({ key: `${r.kind}/${r.name}`, cells: [r.kindLabel, r.name, <StatusLabel key="s" status={r.status} />] }))}
    />
  );
}
