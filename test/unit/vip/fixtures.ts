import type { NodeReport, TransitionObservation, VipDefinition } from "@/lib/vip/observations";
import type { VrrpState } from "@/lib/vip/protocol";

// Builders for lib/vip's input values: times are seconds after T0.
export const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);
export const at = (s: number) => new Date(T0 + s * 1000);

export const API: VipDefinition = { name: "api", instance: "c1_API", address: "198.51.100.5" };
export const INGRESS: VipDefinition = { name: "ingress", instance: "c1_INGRESS", address: "198.51.100.7" };
export const NODES = ["m0", "m1", "m2"];

export function transition(node: string, state: VrrpState, s: number, opts: { instance?: string; receivedS?: number; priority?: number } = {}): TransitionObservation {
  return { node, instance: opts.instance ?? API.instance, state, priority: opts.priority ?? 60, at: at(s), receivedAt: at(opts.receivedS ?? s + 0.1) };
}

export function report(
  node: string,
  s: number,
  opts: { states?: Record<string, VrrpState>; running?: boolean; vips?: string[]; version?: string; configMtimeS?: number; startedS?: number; receivedS?: number } = {},
): NodeReport {
  const states = opts.states ?? {};
  return {
    node,
    sentAt: at(s),
    receivedAt: at(opts.receivedS ?? s + 0.1),
    keepalivedRunning: opts.running ?? true,
    keepalivedVersion: opts.version ?? "Keepalived v2.2.7 (01/16,2022)",
    keepalivedStartedAt: opts.startedS === undefined ? at(-100) : at(opts.startedS),
    instances: Object.entries(states).map(([instance, state]) => ({ instance, state, basePriority: 40, effectivePriority: 60, vipSet: state === "MASTER", lastTransition: null })),
    addresses: [`10.0.0.${NODES.indexOf(node) + 10}/24`, ...(opts.vips ?? []).map((v) => `${v}/32`)],
    configMtime: opts.configMtimeS === undefined ? at(-200) : at(opts.configMtimeS),
  };
}

/** A settled cluster: m0 MASTER for both VIPs, m1 and m2 BACKUP, everyone reporting at second s. */
export function settled(s: number): { transitions: TransitionObservation[]; reports: NodeReport[] } {
  const transitions = NODES.flatMap((n) => [API, INGRESS].map((v) => transition(n, n === "m0" ? "MASTER" : "BACKUP", 1, { instance: v.instance })));
  const reports = NODES.map((n) =>
    report(n, s, { states: { [API.instance]: n === "m0" ? "MASTER" : "BACKUP", [INGRESS.instance]: n === "m0" ? "MASTER" : "BACKUP" }, vips: n === "m0" ? [API.address, INGRESS.address] : [] }),
  );
  return { transitions, reports };
}
