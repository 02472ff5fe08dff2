import type { Db } from "@/lib/db";
import type { Labels } from "./prometheus";

// Counters that several processes add to, kept in the database (MetricCounter) so that /api/metrics on any
// dashboard shows the sum over every dashboard and worker. Frequent events (OpenStack requests) are added up in
// the process and written every few seconds; rare ones are written at once.

export const COUNTERS = {
  openstackRequests: "tripod_openstack_requests_total",
  leaseTakeovers: "tripod_lease_takeovers_total",
  vrrpIngest: "tripod_vrrp_ingest_total",
} as const;

/** The stored form of a label set: JSON with the names sorted, so one set is always one row. */
const labelKey = (labels: Labels) => JSON.stringify(Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b))));

/** Adds `n` to a counter now (one upsert). */
export async function addCounter(db: Db, name: string, labels: Labels = {}, n = 1): Promise<void> {
  const key = labelKey(labels);
  await db.metricCounter.upsert({ where: { name_labels: { name, labels: key } }, create: { name, labels: key, value: n }, update: { value: { increment: n } } });
}

/** Adds up in memory; `flush` writes what accumulated. */
export class CounterBuffer {
  private pending = new Map<string, { name: string; labels: Labels; n: number }>();

  add(name: string, labels: Labels = {}, n = 1): void {
    const key = `${name}${labelKey(labels)}`;
    const entry = this.pending.get(key);
    if (entry) entry.n += n;
    else this.pending.set(key, { name, labels, n });
  }

  async flush(db: Db): Promise<void> {
    const entries = [...this.pending.values()];
    this.pending.clear();
    for (const e of entries) {
      try {
        await addCounter(db, e.name, e.labels, e.n);
      } catch (error) {
        this.add(e.name, e.labels, e.n); // the database is away: keep the count for the next flush
        throw error;
      }
    }
  }
}

/** The stored counters, by name. */
export async function readCounters(db: Db): Promise<Map<string, { labels: Labels; value: number }[]>> {
  const rows = await db.metricCounter.findMany({ orderBy: [{ name: "asc" }, { labels: "asc" }] });
  const byName = new Map<string, { labels: Labels; value: number }[]>();
  for (const r of rows) byName.set(r.name, [...(byName.get(r.name) ?? []), { labels: JSON.parse(r.labels) as Labels, value: r.value }]);
  return byName;
}
