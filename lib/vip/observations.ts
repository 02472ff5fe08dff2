import { z } from "zod";
import type { VipName } from "@/lib/domain";
import { snapshotSchema, type AgentMessage, type AgentSnapshot, type VrrpState } from "./protocol";

// What lib/vip reasons about: keepalived transitions and agent reports, in Tripod's terms, independent of the
// database rows they are stored in. Node times (`at`, `sentAt`) come from the node's clock (NTP-synchronised);
// `receivedAt` from Tripod's.

export interface VipDefinition {
  name: VipName;
  /** keepalived vrrp_instance name, e.g. "<cluster>_API" */
  instance: string;
  address: string;
}

export interface TransitionObservation {
  node: string;
  instance: string;
  state: VrrpState;
  priority: number | null;
  at: Date;
  receivedAt: Date;
}

export interface InstanceReport {
  instance: string;
  /** null while keepalived is in INIT or reports a state Tripod does not track */
  state: VrrpState | null;
  basePriority: number;
  effectivePriority: number;
  vipSet: boolean;
  lastTransition: Date | null;
}

export interface NodeReport {
  node: string;
  sentAt: Date;
  receivedAt: Date;
  keepalivedRunning: boolean;
  keepalivedVersion: string | null;
  keepalivedStartedAt: Date | null;
  instances: InstanceReport[];
  /** null when the report carried no snapshot (a transitions-only message) */
  addresses: string[] | null;
  configMtime: Date | null;
}

// keepalived's numeric states (vrrp.h): 0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT, 97 DELETED, 98 STOP.
const KEEPALIVED_STATES: Record<number, VrrpState> = { 1: "BACKUP", 2: "MASTER", 3: "FAULT", 98: "STOP" };

export function fromEpochSeconds(s: number): Date {
  return new Date(Math.round(s * 1000));
}


function instancesOf(snapshot: AgentSnapshot | null): InstanceReport[] {
  return (snapshot?.instances ?? []).map(({ data }) => ({
    instance: data.iname,
    state: KEEPALIVED_STATES[data.state] ?? null,
    basePriority: data.base_priority,
    effectivePriority: data.effective_priority,
    vipSet: data.vipset,
    lastTransition: data.last_transition ? fromEpochSeconds(data.last_transition) : null,
  }));
}

/** What a VrrpReport row keeps of a message: the whitelisted snapshot (no password) and keepalived's liveness. */
export const storedReportSchema = z.object({
  keepalived: z.object({ running: z.boolean(), startedAt: z.number().nullable() }),
  snapshot: snapshotSchema.nullable(),
});
export type StoredReport = z.infer<typeof storedReportSchema>;

export function storedReportOf(message: AgentMessage): StoredReport {
  return { keepalived: { running: message.keepalived.running, startedAt: message.keepalived.startedAt }, snapshot: message.snapshot };
}

export interface ReportRow {
  node: string;
  keepalivedVersion: string | null;
  snapshotJson: string;
  sentAt: Date;
  receivedAt: Date;
}

export function nodeReportOf(row: ReportRow): NodeReport {
  const stored = storedReportSchema.parse(JSON.parse(row.snapshotJson));
  return {
    node: row.node,
    sentAt: row.sentAt,
    receivedAt: row.receivedAt,
    keepalivedRunning: stored.keepalived.running,
    keepalivedVersion: row.keepalivedVersion,
    keepalivedStartedAt: stored.keepalived.startedAt ? fromEpochSeconds(stored.keepalived.startedAt) : null,
    instances: instancesOf(stored.snapshot),
    addresses: stored.snapshot?.addresses ?? null,
    configMtime: stored.snapshot?.configMtime ? fromEpochSeconds(stored.snapshot.configMtime) : null,
  };
}
