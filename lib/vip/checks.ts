import { readRows, type Db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { dateOf } from "@/lib/db-values";
import type { ProjectInventory } from "@/lib/openstack/inventory";
import type { ProbeResult } from "./health";
import type { NeutronVipInventory } from "./neutron";
import type { VipDefinition } from "./observations";
import { probeVips, type Prober } from "./probe";

// The scheduled VIP checks (run by the worker's monitor beside the reconciler): the reachability probe from the
// dashboard host and Neutron's side of each VIP from the reconciler's project inventory, stored per cluster in
// VipCheck for the VIP panel. When the dashboard host has no route to the VIPs, the panel says so instead of
// showing them as down.

/** The errors that mean "no way from here", not "the VIP does not answer". */
const NO_ROUTE = /^network: (ENETUNREACH|EHOSTUNREACH|EADDRNOTAVAIL)$/;

export interface VipCheckResult {
  probes: ProbeResult[] | null;
  unreachableReason: string | null;
}

/** Probes the VIPs; when every check failed for lack of a route, reports why instead of a verdict. */
export async function probeFromHere(vips: VipDefinition[], opts: { prober?: Prober; timeoutMs?: number } = {}): Promise<VipCheckResult> {
  const probes = await probeVips(vips, opts);
  const noRoute = probes.length > 0 && probes.every((p) => !p.ok && p.error && NO_ROUTE.test(p.error));
  if (!noRoute) return { probes, unreachableReason: null };
  const codes = [...new Set(probes.map((p) => p.error!.replace("network: ", "")))].join(", ");
  return { probes: null, unreachableReason: `The dashboard host has no route to ${vips.map((v) => v.address).join(" and ")} (${codes}): reachability cannot be checked from here.` };
}

/** Neutron's side of the cluster's VIPs, from the project inventory: the reservation ports and the masters' Public ports. */
export function neutronVipInventory(inv: ProjectInventory, names: { reservation: string[]; masterPublic: { node: string; name: string }[] }): NeutronVipInventory {
  return {
    reservationPorts: inv.ports
      .filter((p) => names.reservation.includes(p.name))
      .map((p) => ({ portId: p.id, fixedIps: p.fixedIps.map((f) => f.ipAddress), bound: p.deviceOwner !== "" || p.deviceId !== "" })),
    masterPublicPorts: names.masterPublic.flatMap(({ node, name }) => {
      const port = inv.ports.find((p) => p.name === name);
      return port ? [{ node, portId: port.id, portSecurityEnabled: port.portSecurityEnabled !== false, allowedAddressPairs: port.allowedAddressPairs.map((a) => a.ipAddress) }] : [];
    }),
  };
}

export async function storeVipCheck(db: Db, clusterId: string, result: VipCheckResult, neutron: NeutronVipInventory | null, at: Date): Promise<void> {
  const data = {
    probesJson: result.probes ? JSON.stringify(result.probes) : null,
    unreachableReason: result.unreachableReason,
    neutronJson: neutron ? JSON.stringify(neutron) : null,
    checkedAt: at,
  };
  await db.vipCheck.upsert({ where: { clusterId }, update: data, create: { clusterId, ...data } });
}

export interface StoredVipCheck {
  probes?: ProbeResult[];
  neutron?: NeutronVipInventory;
  unreachableReason: string | null;
  checkedAt: Date;
}

/** Read past Prisma's query compiler (lib/db.ts readRows): the cluster page's full answer reads it. */
export async function loadVipCheck(db: Db, clusterId: string): Promise<StoredVipCheck | null> {
  const [row] = await readRows<{ probesJson: string | null; unreachableReason: string | null; neutronJson: string | null; checkedAt: string | Date }>(
    db,
    Prisma.sql`SELECT v."probesJson", v."unreachableReason", v."neutronJson", v."checkedAt" FROM "VipCheck" v WHERE v."clusterId" = ${clusterId}`,
  );
  if (!row) return null;
  const probes = row.probesJson ? (JSON.parse(row.probesJson) as (Omit<ProbeResult, "at"> & { at: string })[]).map((p) => ({ ...p, at: new Date(p.at) })) : undefined;
  return { probes, neutron: row.neutronJson ? (JSON.parse(row.neutronJson) as NeutronVipInventory) : undefined, unreachableReason: row.unreachableReason, checkedAt: dateOf(row.checkedAt) };
}
