import ipaddr from "ipaddr.js";

// IPv4 arithmetic for the spec. Addresses are handled as unsigned 32-bit integers so that ranges, pools and
// allocation are plain number comparisons; parsing and formatting go through ipaddr.js.

export type Ipv4Cidr = { network: number; prefix: number; size: number };

/** Dotted-quad IPv4 only: ipaddr.js alone would also accept "10.1" or octal/hex forms. */
export function isIpv4(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text) && !/(^|\.)0\d/.test(text);
}

export function ipv4ToInt(text: string): number {
  const bytes = ipaddr.IPv4.parse(text).octets;
  return ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
}

export function intToIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join(".");
}

/** Why a CIDR text is unusable, or null when it is a canonical IPv4 network (host bits zero). */
export function cidrProblem(text: string): string | null {
  const match = /^([^/]+)\/(\d{1,2})$/.exec(text);
  if (!match || !isIpv4(match[1])) return "must be an IPv4 CIDR such as 198.18.10.0/24";
  const prefix = Number(match[2]);
  if (prefix > 29) return "prefix must be /29 or shorter: 4 nodes, 2 VIPs and a gateway need room";
  if (prefix < 8) return "prefix must be /8 or longer";
  const network = ipv4ToInt(ipaddr.IPv4.networkAddressFromCIDR(text).toString());
  if (network !== ipv4ToInt(match[1])) return `host bits are set: the network is ${intToIpv4(network)}/${prefix}`;
  return null;
}

export function parseCidr(text: string): Ipv4Cidr {
  const [address, prefixText] = text.split("/");
  const prefix = Number(prefixText);
  return { network: ipv4ToInt(address), prefix, size: 2 ** (32 - prefix) };
}

/** True when the address is a usable host of the CIDR (not the network or broadcast address). */
export function isUsableHost(cidr: Ipv4Cidr, address: number): boolean {
  return address > cidr.network && address < cidr.network + cidr.size - 1;
}

export function netmask(prefix: number): string {
  return intToIpv4(prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);
}
