"use client";

import { NETWORK_LABELS, NETWORK_ROLES } from "@/lib/domain";
import type { ClusterCloud, ClusterView, PortCellView } from "@/lib/data";
import { DataTable } from "../data-table";
import { listedNames, shownStatus } from "./listing";
import { StatusLabel } from "../status-label";
import { clockTime } from "../time-text";

function PortCell({ cell }: { cell: PortCellView | null }) {
  if (!cell) return <span className="empty">—</span>;
  return (
    <div className="port-cell" data-testid={`port-${cell.name}`}>
      <StatusLabel status={cell.status} testId="port-status" />
      <div>
        <code>{cell.name}</code>
      </div>
      <div>
        {cell.nic && <>{cell.nic} · </>}
        <span data-testid="port-ip">{cell.fixedIp ?? "—"}</span>
        {cell.mac && (
          <>
            {" "}
            · <span data-testid="port-mac">{cell.mac}</span>
          </>
        )}
      </div>
      {cell.neutronStatus !== null && (
        <div className="empty">
          host{" "}
          <span data-testid="port-host">{cell.bindingHostHidden ? "hidden by the cloud's policy" : (cell.bindingHost ?? "not bound")}</span>
          {cell.securityGroups.length > 0 && <> · SG {cell.securityGroups.join(", ")}</>}
        </div>
      )}
      {cell.vipPairs.expected.length > 0 &&
        (cell.neutronStatus === null ? (
          <div className="empty">VIP pairs {cell.vipPairs.expected.join(", ")} (planned)</div>
        ) : cell.vipPairs.missing.length ? (
          <div className="error" data-testid="pairs-missing">
            VIP pair missing: {cell.vipPairs.missing.join(", ")}
          </div>
        ) : (
          <div className="empty">VIP pairs {cell.vipPairs.expected.join(", ")} present</div>
        ))}
    </div>
  );
}

/** Ports per node and network in NIC order, then the VIP reservation ports: planned, or as Neutron lists them. */
export function PortsGrid({ cloud }: { cloud: ClusterCloud }) {
  return (
    <>
      <p className="empty" data-testid="ports-source">
        {cloud.source === "cloud" && cloud.fetchedAt
          ? `As the cloud listed them at ${clockTime(cloud.fetchedAt)} UTC (${cloud.apiCalls} OpenStack calls, shared by every viewer for a few seconds).`
          : cloud.source === "pending"
            ? cloud.fetchedAt
              ? `As the cloud listed them at ${clockTime(cloud.fetchedAt)} UTC; asking it again.`
              : "Asking the cloud; until it answers, from the plan and Tripod's records."
            : "From the plan and Tripod's records; nothing is asked of the cloud."}
      </p>
      {cloud.error && <p className="error">{cloud.error}</p>}
      <DataTable
        label="Ports per network"
        testId="ports"
        columns={["Node", ...NETWORK_ROLES.map((r) => NETWORK_LABELS[r])]}
        rows={cloud.rows.map((row) => {
          const server = cloud.servers.find((s) => s.node === row.key);
          return {
            key: row.key,
            testId: `ports-${row.key}`,
            cells: [
              <div key="n">
                <b>{row.label}</b>
                {server && (
                  <div className="empty">
                    server <StatusLabel status={server.status} />
                  </div>
                )}
              </div>,
              ...NETWORK_ROLES.map((r) => <PortCell key={r} cell={row.cells[r]} />),
            ],
          };
        })}
      />
    </>
  );
}

/**
 * Everything else the cluster has in the cloud, by kind: security groups, server group, servers, Swift. Servers and
 * security groups as the grid's listing has them, the rest as Tripod recorded them.
 */
export function OtherResources({ view, cloud }: { view: ClusterView; cloud: ClusterCloud | undefined }) {
  const listed = listedNames(cloud);
  return (
    <DataTable
      label="Other resources"
      testId="resources"
      columns={["Kind", "Name", "Status"]}
      rows={view.otherResources.map((r) => ({
        key: `${r.kind}/${r.name}`,
        testId: `resource-${r.name}`,
        cells: [r.kindLabel, r.name, <StatusLabel key="s" status={shownStatus(r, view.status, listed)} />],
      }))}
    />
  );
}
