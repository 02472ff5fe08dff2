import ipaddr from "ipaddr.js";
import type { VipDefinition } from "./observations";

// Neutron's side of a keepalived VIP (facts §6.1): an unbound reservation port holds the VIP's fixed IP (with
// ML2/OVN this is what makes the VIP a "virtual" port), and every master's Public port lists the VIP as an
// allowed-address-pair — as a single address, or OVN will not treat it as virtual — unless port security is off.
export interface NeutronVipInventory {
  reservationPorts: { portId: string; fixedIps: string[]; bound: boolean }[];
  masterPublicPorts: { node: string; portId: string; portSecurityEnabled: boolean; allowedAddressPairs: string[] }[];
}

export type NeutronFindingCode = "reservation-port-missing" | "reservation-port-bound" | "aap-missing" | "aap-not-single-address";

export interface NeutronFinding {
  code: NeutronFindingCode;
  node?: string;
  portId?: string;
}

function isSingleAddress(pair: string, address: string): boolean {
  const [ip, prefix] = pair.split("/");
  return ip === address && (prefix === undefined || prefix === "32" || prefix === "128");
}

function covers(pair: string, address: string): boolean {
  try {
    const ip = ipaddr.parse(address);
    if (!pair.includes("/")) return ipaddr.parse(pair).toString() === ip.toString();
    const [net, prefix] = ipaddr.parseCIDR(pair);
    return net.kind() === ip.kind() && ip.match([net, prefix]);
  } catch {
    return false; // a malformed pair covers nothing
  }
}

export function neutronFindings(vip: VipDefinition, inventory: NeutronVipInventory): NeutronFinding[] {
  const findings: NeutronFinding[] = [];
  const reservation = inventory.reservationPorts.find((p) => p.fixedIps.includes(vip.address));
  if (!reservation) findings.push({ code: "reservation-port-missing" });
  else if (reservation.bound) findings.push({ code: "reservation-port-bound", portId: reservation.portId });
  for (const port of inventory.masterPublicPorts) {
    if (!port.portSecurityEnabled) continue;
    const covering = port.allowedAddressPairs.filter((pair) => covers(pair, vip.address));
    if (covering.length === 0) findings.push({ code: "aap-missing", node: port.node, portId: port.portId });
    else if (!covering.some((pair) => isSingleAddress(pair, vip.address))) {
      findings.push({ code: "aap-not-single-address", node: port.node, portId: port.portId });
    }
  }
  return findings;
}
