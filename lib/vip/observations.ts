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
  return nodeReportFrom(row, storedReportSchema.parse(JSON.parse(row.snapshotJson)));
}

/** The report a row reads back as, from what the row stores of a message (the ingest, without a JSON round trip). */
export function nodeReportFrom(row: Omit<ReportRow, "snapshotJson">, stored: StoredReport): NodeReport {
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

/** What a report says, apart from when it was sent and received. */
function contentOf(r: NodeReport): string {
  return JSON.stringify([r.keepalivedRunning, r.keepalivedVersion, r.keepalivedStartedAt, r.instances, r.addresses, r.configMtime]);
}

/**
 * Whether `next` continues the run of snapshots `last` stands for, so that the ingest extends that row instead of
 * adding one: a steady agent sends a snapshot every 30 s (a changing one every 10 s), an hour of them is 360 to 1,000
 * rows per cluster that nearly all say the same, and the cluster page read and parsed every one of them on each view.
 * The run's last snapshot holds what all of them held for the VIP health (health.ts, timeline.ts): its states are
 * dated by keepalived's own last transition, which starts each state's segment and settles every notify inside the
 * span, and its times say when the node was last heard from. Not continued: a snapshot that says anything else, one
 * older than the run's last (a late journal), one after a silence (the gap stays in the history), or one that does not
 * date its states (a stopped keepalived, a state without keepalived's last transition): nothing would settle the
 * notifies inside the span.
 */
export function continuesRun(last: NodeReport, next: NodeReport, maxGapMs: number): boolean {
  const gap = next.sentAt.getTime() - last.sentAt.getTime();
  return (
    last.node === next.node &&
    gap > 0 &&
    gap <= maxGapMs &&
    next.keepalivedRunning &&
    next.instances.every((i) => !i.state || i.lastTransition) &&
    contentOf(last) === contentOf(next)
  );
}
