import { z } from "zod";
import { LIVE_CLUSTER_STATUSES, MASTER_NAMES, vipInstanceName } from "@/lib/domain";
import { readRows, type Db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { recordVipHealth } from "@/lib/cluster-health";
import { clusterVipHealth, DEFAULT_SETTINGS, type HealthSettings, type ProbeResult, type VipHealth } from "./health";
import type { NeutronVipInventory } from "./neutron";
import type { VipDefinition } from "./observations";
import { loadVipCheck } from "./checks";
import { loadLiveVipObservations, loadVipObservations, type VipObservations } from "./queries";
import { clusterVipSummary } from "./summary";
import { slicer } from "@/lib/util/slices";

// The cluster page's VIP panel and state timeline chart, and the oversight summary: plain JSON (ISO times,
// chart bars as fractions of the window), nothing secret.

const clusterVipsSchema = z.object({ networks: z.object({ public: z.object({ apiVip: z.string(), ingressVip: z.string() }) }) });

/**
 * The cluster's two VIPs and the keepalived instances serving them (named `<cluster>_API`, `<cluster>_INGRESS`);
 * null when its stored spec names none.
 */
export function vipsOfCluster(cluster: { name: string; specJson: string }): VipDefinition[] | null {
  const spec = clusterVipsSchema.safeParse(JSON.parse(cluster.specJson));
  if (!spec.success) return null;
  const { networks } = spec.data;
  return [
    { name: "api", instance: vipInstanceName(cluster.name, "api"), address: networks.public.apiVip },
    { name: "ingress", instance: vipInstanceName(cluster.name, "ingress"), address: networks.public.ingressVip },
  ];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export interface ChartBar {
  state: string;
  /** fractions of the chart window, 0..1 */
  start: number;
  end: number;
}

/** `unavailable`: why the dashboard host cannot probe the VIPs, when it cannot (the verdict is then "unknown"). */
export function vipPanel(h: VipHealth, unavailable: string | null = null) {
  const from = h.timeline.from.getTime();
  const span = Math.max(1, h.timeline.to.getTime() - from);
  const frac = (d: Date | null) => (d ? Math.min(1, Math.max(0, (d.getTime() - from) / span)) : 1);
  return {
    vip: h.vip,
    address: h.address,
    instance: h.instance,
    status: h.status,
    holders: h.holders.map((x) => ({ node: x.node, fresh: x.fresh, since: iso(x.since) })),
    nodes: h.nodes.map((n) => ({ ...n, since: iso(n.since), lastReportAt: iso(n.lastReportAt) })),
    splitBrain: h.splitBrain && { ...h.splitBrain, since: iso(h.splitBrain.since) },
    staleVips: h.staleVips,
    flapping: h.flapping,
    reachability: { verdict: h.reachability.verdict, checks: h.reachability.checks.map((c) => ({ ...c, at: iso(c.at) })), unavailable },
    neutron: h.neutron,
    problems: h.problems,
    history: h.history.map((e) => ({ ...e, at: iso(e.at), receivedAt: iso(e.receivedAt), delayedMs: e.receivedAt.getTime() - e.at.getTime() })),
    splitBrainEpisodes: h.splitBrainEpisodes.map((e) => ({ ...e, from: iso(e.from), to: iso(e.to) })),
    chart: {
      from: iso(h.timeline.from),
      to: iso(h.timeline.to),
      rows: h.timeline.nodes.map((n) => ({ node: n.node, bars: n.segments.map((s): ChartBar => ({ state: s.state, start: frac(s.from), end: frac(s.to) })) })),
    },
  };
}
export type VipPanel = ReturnType<typeof vipPanel>;

export interface PanelOptions {
  now?: Date;
  probes?: ProbeResult[];
  neutron?: NeutronVipInventory;
  settings?: Partial<HealthSettings>;
  /** how far back the history and chart reach */
  windowMs?: number;
}

/** The probes and the Neutron check the worker's monitor last stored, unless the caller brings its own. */
async function withStoredChecks(db: Db, clusterId: string, opts: PanelOptions): Promise<PanelOptions & { unavailable: string | null }> {
  if (opts.probes || opts.neutron) return { ...opts, unavailable: null };
  const stored = await loadVipCheck(db, clusterId);
  return { ...opts, probes: stored?.probes, neutron: stored?.neutron, unavailable: stored?.unreachableReason ?? null };
}

/** What the VIP panel needs of a cluster's own row. */
export interface VipCluster {
  id: string;
  name: string;
  specJson: string;
}

export async function loadClusterVipHealth(db: Db, clusterId: string, opts: PanelOptions = {}): Promise<VipHealth[] | null> {
  // past Prisma's query compiler (lib/db.ts readRows): the VRRP ingest recomputes the summary with it
  const [cluster] = await readRows<VipCluster>(db, Prisma.sql`SELECT c."id", c."name", c."specJson" FROM "Cluster" c WHERE c."id" = ${clusterId}`);
  return cluster ? vipHealthOf(db, cluster, opts) : null;
}

/** The panel's window: the history and chart reach back this far. */
const PANEL_WINDOW_MS = 60 * 60_000;

async function vipHealthOf(db: Db, cluster: VipCluster, opts: PanelOptions): Promise<VipHealth[] | null> {
  const vips = vipsOfCluster(cluster);
  if (!vips) return null;
  const now = opts.now ?? new Date();
  const windowMs = opts.windowMs ?? PANEL_WINDOW_MS;
  return healthFrom(vips, await loadVipObservations(db, cluster.id, new Date(now.getTime() - windowMs)), { ...opts, now, windowMs });
}

function healthFrom(vips: VipDefinition[], observations: VipObservations, opts: PanelOptions & { now: Date; windowMs: number }): VipHealth[] {
  return clusterVipHealth({
    vips,
    nodes: [...MASTER_NAMES],
    ...observations,
    probes: opts.probes,
    neutron: opts.neutron,
    now: opts.now,
    settings: { historyMs: opts.windowMs, ...opts.settings },
  });
}

/**
 * Every live cluster's VIP health over the panel's hour, by name, without the stored checks (/api/metrics): three
 * statements in all, where asking cluster by cluster cost a scrape three per cluster. The health is computed in
 * slices (lib/util/slices.ts): at ~0.25 ms a cluster, 800 live clusters held the event loop 200 ms at once.
 */
export async function loadLiveVipHealth(db: Db, now: Date): Promise<{ id: string; name: string; health: VipHealth[] }[]> {
  const clusters = await readRows<VipCluster>(
    db,
    Prisma.sql`SELECT c."id", c."name", c."specJson" FROM "Cluster" c WHERE c."status" IN (${Prisma.join(LIVE_CLUSTER_STATUSES)}) ORDER BY c."name" ASC`,
  );
  const observed = await loadLiveVipObservations(db, new Date(now.getTime() - PANEL_WINDOW_MS));
  const giveWay = slicer();
  const healths: { id: string; name: string; health: VipHealth[] }[] = [];
  for (const c of clusters) {
    await giveWay();
    const vips = vipsOfCluster(c);
    const observations = observed.get(c.id) ?? { transitions: [], reports: [] };
    if (vips) healths.push({ id: c.id, name: c.name, health: healthFrom(vips, observations, { now, windowMs: PANEL_WINDOW_MS }) });
  }
  return healths;
}

/** The panels of a cluster whose row the caller has read (the cluster page): its stored checks and observations. */
export async function loadClusterVipPanels(db: Db, cluster: VipCluster, opts: PanelOptions = {}): Promise<VipPanel[] | null> {
  const checks = await withStoredChecks(db, cluster.id, opts);
  return (await vipHealthOf(db, cluster, checks))?.map((h) => vipPanel(h, checks.unavailable)) ?? null;
}

/** Recomputes the cluster's VIP health into its summary row (what oversight reads), over the flapping window rather than the panel's hour. */
export async function storeVipSummary(db: Db, clusterId: string, now: Date): Promise<void> {
  const health = await loadClusterVipHealth(db, clusterId, await withStoredChecks(db, clusterId, { now, windowMs: DEFAULT_SETTINGS.flapWindowMs }));
  if (health) await recordVipHealth(db, clusterId, clusterVipSummary(health), now);
}
