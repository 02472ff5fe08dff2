import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { createDb, type Db } from "@/lib/db";
import { clusterVipHealth, type ProbeResult, type VipHealth } from "@/lib/vip/health";
import type { VipDefinition } from "@/lib/vip/observations";
import { loadVipObservations } from "@/lib/vip/queries";
import { LAB, NODE_NAMES, labDbUrl } from "./lab/topology";

// Drives test/vrrp/lab/lab.sh and looks at the lab the way Tripod does: from the database the ingest fills.

const LAB_SH = path.resolve(import.meta.dirname, "lab/lab.sh");

export function lab(...args: string[]): string {
  return execFileSync("bash", [LAB_SH, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: args[0] === "up" ? 180_000 : 60_000 });
}

export function labEnv(): Record<string, string> {
  const lines = readFileSync(path.join(LAB.state, "lab.env"), "utf8").trim().split("\n");
  return Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
}

export function labDb(): Db {
  return createDb(labDbUrl());
}

export const VIPS: VipDefinition[] = [
  { name: "api", instance: `${LAB.clusterName}_API`, address: LAB.apiVip },
  { name: "ingress", instance: `${LAB.clusterName}_INGRESS`, address: LAB.ingressVip },
];

/** The agents snapshot every 2 s in the lab: a node is silent after 8 s without a message (the box is shared). */
export const LAB_SETTINGS = { silentAfterMs: 8000 };

/** What Tripod shows now; `windowMs` bounds the history read (2 minutes hold any lab scenario; 20 s the current state). */
export async function view(db: Db, clusterId: string, probes?: ProbeResult[], windowMs = 2 * 60_000): Promise<Record<"api" | "ingress", VipHealth>> {
  const now = new Date();
  const since = new Date(now.getTime() - windowMs);
  const obs = await loadVipObservations(db, clusterId, since);
  const health = clusterVipHealth({ vips: VIPS, nodes: NODE_NAMES, ...obs, probes, now, settings: LAB_SETTINGS });
  return { api: health[0], ingress: health[1] };
}

/** Tripod's probe of both VIPs, run by the lab's ingest server inside the client namespace. */
export function probe(): ProbeResult[] {
  const out = lab("client", "curl", "-s", "-m", "10", `http://${LAB.clientIp}:${LAB.ingestPort}/probe`);
  return (JSON.parse(out) as (Omit<ProbeResult, "at"> & { at: string })[]).map((p) => ({ ...p, at: new Date(p.at) }));
}

/** Nodes that have the VIP configured, according to the kernel (ground truth, not Tripod's view). */
export function kernelHolders(address: string): string[] {
  return lab("holders", address).trim().split(/\s+/).filter(Boolean);
}

/** Polls until fn returns a value (not null/undefined/false); returns it and when it was first seen. */
export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs: number, intervalMs = 100): Promise<{ value: T; at: number }> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const value = await fn();
    if (value !== null && value !== undefined && value !== false) return { value, at: Date.now() };
    last = value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** One fresh holder per VIP, every node reporting MASTER or BACKUP, nothing stale or split. */
export function isHealthy(v: Record<"api" | "ingress", VipHealth>): boolean {
  return Object.values(v).every(
    (h) =>
      h.holders.length === 1 &&
      h.holders[0].fresh &&
      !h.splitBrain &&
      h.staleVips.length === 0 &&
      h.nodes.filter((n) => NODE_NAMES.includes(n.node)).every((n) => n.state === "MASTER" || n.state === "BACKUP"),
  );
}

/** How long the lab must stay healthy before a test or a bench round starts from it. */
const SETTLED_MS = 2000;

/**
 * A healthy view that has stayed healthy for SETTLED_MS, and when it first was. A lab just healed flaps for a moment
 * while the nodes' late journals arrive: a test that started at the first healthy instant saw it unhealthy a second
 * later.
 */
export async function settledHealthyView(db: Db, clusterId: string, timeoutMs: number) {
  let since = 0; // when the current healthy run began; 0 while unhealthy
  const settled = await waitFor(`one fresh holder per VIP, all nodes MASTER/BACKUP, for ${SETTLED_MS} ms`, async () => {
    const v = await view(db, clusterId);
    if (!isHealthy(v)) {
      since = 0;
      return null;
    }
    since ||= Date.now();
    return Date.now() - since >= SETTLED_MS && v;
  }, timeoutMs);
  return { value: settled.value, at: since };
}

/** What isHealthy looks at, for a failure's message. */
export function healthSummary(h: VipHealth) {
  return {
    holders: h.holders.map((x) => `${x.node}${x.fresh ? "" : " (not fresh)"}`),
    splitBrain: h.splitBrain,
    staleVips: h.staleVips.map((x) => x.node),
    nodes: h.nodes.map((n) => `${n.node}: ${n.state}`),
  };
}

export function soleHolder(h: VipHealth): string | null {
  return h.holders.length === 1 && h.holders[0].fresh ? h.holders[0].node : null;
}

/**
 * After the API MASTER `victim` lost its keepalived: the node left alone holding the API VIP, when Tripod first
 * showed it as a holder (polled every 50 ms, on a view of the last 20 s: enough for the current state) and when
 * alone. Two BACKUPs of equal priority may both become MASTER for a moment and keepalived keeps the one with the
 * higher address: the first holder shown is not always the one that stays.
 */
export async function newApiHolder(db: Db, clusterId: string, victim: string, timeoutMs: number): Promise<{ holder: string; shownAt: number; aloneAt: number }> {
  const shownAt = new Map<string, number>();
  const alone = await waitFor("a new API holder alone", async () => {
    for (const h of (await view(db, clusterId, undefined, 20_000)).api.holders) {
      if (h.fresh && h.node !== victim && !shownAt.has(h.node)) shownAt.set(h.node, Date.now());
    }
    const sole = soleHolder((await view(db, clusterId)).api);
    return sole !== victim && sole;
  }, timeoutMs, 50);
  return { holder: alone.value, shownAt: shownAt.get(alone.value) ?? alone.at, aloneAt: alone.at };
}
