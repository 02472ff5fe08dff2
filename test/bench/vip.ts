// Notify-to-visible latency of Tripod's VIP health on the real keepalived lab: N graceful fail-overs of the API
// MASTER (SIGTERM); for each, from the new MASTER's notify (its journal line's timestamp) to (a) the ingest
// storing it, (b) lib/vip showing the new holder, (c) lib/vip showing it as the only holder (the old MASTER's STOP
// has arrived too). The database is polled every 50 ms. Prints median and p95.
// usage: npx tsx test/bench/vip.ts [ROUNDS=8]   (root; brings the lab up and down itself)
import { VIPS, lab, labDb, labEnv, newApiHolder, settledHealthyView, soleHolder } from "../vrrp/support";

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
}

async function main() {
  const rounds = Number(process.argv[2] ?? 8);
  lab("down");
  lab("up");
  const db = labDb();
  const clusterId = labEnv().CLUSTER_ID;
  const stored: number[] = [];
  const visible: number[] = [];
  const sole: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const healthy = await settledHealthyView(db, clusterId, 60_000);
      const victim = soleHolder(healthy.value.api) as string;
      const t0 = new Date();
      lab("kill-ka", victim, "TERM");
      const seen = await newApiHolder(db, clusterId, victim, 30_000);
      const notify = await db.vrrpTransition.findFirst({
        where: { clusterId, node: seen.holder, instance: VIPS[0].instance, state: "MASTER", at: { gte: t0 } },
        orderBy: { at: "asc" },
      });
      if (!notify) throw new Error("the new MASTER's notify was not stored");
      stored.push(notify.receivedAt.getTime() - notify.at.getTime());
      visible.push(seen.shownAt - notify.at.getTime());
      sole.push(seen.aloneAt - notify.at.getTime());
      console.log(`round ${i + 1}: ${victim} -> ${seen.holder}  notify->stored ${stored[i]} ms  notify->shown ${visible[i]} ms  notify->sole holder ${sole[i]} ms`);
      lab("start-ka", victim);
    }
  } finally {
    await db.$disconnect();
    lab("down");
  }
  console.log(`notify->stored  (ms): median ${quantile(stored, 0.5)}  p95 ${quantile(stored, 0.95)}  (n=${stored.length})`);
  console.log(`notify->shown as holder (ms): median ${quantile(visible, 0.5)}  p95 ${quantile(visible, 0.95)}  (n=${visible.length})`);
  console.log(`notify->sole holder    (ms): median ${quantile(sole, 0.5)}  p95 ${quantile(sole, 0.95)}  (n=${sole.length})`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
