// The demo lab's state for lab.sh (test/vrrp/lab/demo.ts): a server's files from its Ignition config as Ignition
// assembles it, with the cluster's Public and Cluster addresses moved into the lab's 198.51.100.0/24, and the lab's
// topology, relay and PKI.
import { createHash } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import ipaddr from "ipaddr.js";
import type { ClusterSpec } from "@/lib/cluster-spec";
import { NODE_NAMES, type NodeName } from "@/lib/domain";
import { ensureStandinCerts } from "../../support/kube-api-standin";

/** The lab's own addresses that no node may take (lab.sh's client on both networks). */
const CLIENT_ADDRESSES = ["198.51.100.100", "198.51.100.200"];

export type IgnitionFile = { path: string; mode?: number; contents?: { source?: string; compression?: string } };
export type Ignition = { ignition?: { config?: { merge?: { source: string; verification?: { hash?: string } }[] } }; storage?: { files?: IgnitionFile[] } };

/**
 * The server's files as Ignition assembles them: the user data's, and those of the configs it merges with a hash —
 * Tripod's bootstrap pointer to Swift (checked). A merge without a hash is the installer's pointer to the
 * machine-config server (api-int:22623), which only a running cluster serves: not followed.
 */
export async function ignitionOf(userData: string): Promise<Ignition> {
  const config = JSON.parse(Buffer.from(userData, "base64").toString("utf8")) as Ignition;
  const merge = (config.ignition?.config?.merge ?? []).filter((m) => m.verification?.hash);
  const files = [...(config.storage?.files ?? [])];
  for (const { source, verification } of merge) {
    const res = await fetch(source);
    if (!res.ok) throw new Error(`${source.split("?")[0]}: ${res.status}`);
    const body = Buffer.from(await res.arrayBuffer());
    const want = verification?.hash?.replace(/^sha512-/, "");
    if (want && createHash("sha512").update(body).digest("hex") !== want) throw new Error(`${source.split("?")[0]}: hash mismatch`);
    files.push(...((JSON.parse(body.toString("utf8")) as Ignition).storage?.files ?? []));
  }
  return { storage: { files } };
}

export function fileBytes(file: IgnitionFile): Buffer {
  const source = file.contents?.source ?? "data:,";
  const comma = source.indexOf(",");
  const meta = source.slice(0, comma);
  const data = source.slice(comma + 1);
  const bytes = meta.endsWith(";base64") ? Buffer.from(data, "base64") : Buffer.from(decodeURIComponent(data), "utf8");
  return file.contents?.compression === "gzip" ? gunzipSync(bytes) : bytes;
}

/** Public addresses keep their host part in 198.51.100.0/25, Cluster addresses in 198.51.100.128/25. */
export function addressMap(spec: ClusterSpec): (address: string) => string {
  const toNumber = (a: ipaddr.IPv4) => a.octets.reduce((n, o) => n * 256 + o, 0);
  const nets = [
    { cidr: spec.networks.public.cidr, base: 0 },
    { cidr: spec.networks.cluster.cidr, base: 128 },
  ].map(({ cidr, base }) => ({ range: ipaddr.IPv4.parseCIDR(cidr), network: toNumber(ipaddr.IPv4.networkAddressFromCIDR(cidr)), base }));
  return (address) => {
    if (!ipaddr.IPv4.isValidFourPartDecimal(address)) return address;
    const a = ipaddr.IPv4.parse(address);
    const net = nets.find((n) => a.match(n.range));
    if (!net) return address;
    const host = toNumber(a) - net.network;
    const mapped = `198.51.100.${net.base + host}`;
    if (host < 1 || host > 126 || CLIENT_ADDRESSES.includes(mapped)) throw new Error(`${address} has no place in the lab (host part ${host}; 1–126, not the lab client's)`);
    return mapped;
  };
}

/**
 * Every address in the text that has a place in the lab, moved; the others (network and broadcast addresses of the
 * NIC configs, other networks) stay: the lab runs none of the files they are in. The nodes' addresses and the VIPs
 * are checked with `map` itself before a lab starts.
 */
export const mapText = (text: string, map: (a: string) => string) =>
  text.replace(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g, (address) => {
    try {
      return map(address);
    } catch {
      return address;
    }
  });

/** STATE/NODE/root: every file of the node's Ignition config (base64 user data), addresses mapped. */
export async function writeNodeTree(state: string, node: NodeName, userData: string, map: (a: string) => string): Promise<void> {
  const root = path.join(state, node, "root");
  rmSync(path.join(state, node), { recursive: true, force: true });
  for (const file of (await ignitionOf(userData)).storage?.files ?? []) {
    const target = path.join(root, file.path);
    mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
    writeFileSync(target, mapText(fileBytes(file).toString("utf8"), map), { mode: file.mode ?? 0o644 });
  }
}

/** Before lab.sh net-up: the topology (addresses, NIC names), lab.env (the relay to the dashboard), the API's PKI. */
export function prepareLab(state: string, spec: ClusterSpec, map: (a: string) => string, lab: { clusterId: string; ingestForward: string }): void {
  for (const vip of [spec.networks.public.apiVip, spec.networks.public.ingressVip, spec.networks.cluster.apiIntVip]) if (vip) map(vip);
  const ips = (role: "public" | "cluster") =>
    NODE_NAMES.map((n) => `[${n}]=${map(spec.networks[role].ips[n === "bootstrap" ? "bootstrap" : (`master${n.slice(-1)}` as "master0")])}`).join(" ");
  rmSync(state, { recursive: true, force: true });
  mkdirSync(state, { recursive: true, mode: 0o755 });
  writeFileSync(
    path.join(state, "topology.sh"),
    `IP=(${ips("public")})\nCIP=(${ips("cluster")})\nNIC=${spec.networks.public.interface}\nBOOTSTRAP_CNIC=${spec.networks.cluster.interface}\n`,
  );
  writeFileSync(path.join(state, "lab.env"), `CLUSTER_ID=${lab.clusterId}\nINGEST_FORWARD=${lab.ingestForward}\n`, { mode: 0o600 });
  const name = `${spec.name}.${spec.baseDomain}`;
  ensureStandinCerts(path.join(state, "pki"), [`DNS:api.${name}`, `DNS:api-int.${name}`, "DNS:localhost", "IP:127.0.0.1"]);
}
