// The VIP panel of a live cluster at the agents' snapshot cadence: each of the three masters' agents snapshots
// keepalived every 10 s, an hour of them is 1,080 messages (a steady agent sends one in three, its 30 s heartbeat;
// every one while keepalived's state changes). They go through the real ingest (signed, into a SQLite file of the
// bench's own), which rolls the snapshots that say the same into runs (lib/vip/observations.ts continuesRun); the
// same snapshots are also stored one row each, as before the roll-up, for a second cluster. Prints the rows stored
// and the CPU of what the cluster page computes for its VIP panel on every full answer (the hour's observations
// read, then the VIP health), for both.
// usage: npx tsx test/bench/vip-reports.ts [views=200]
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const SNAPSHOT_S = 10;
const HOUR_S = 3600;

async function main() {
  const views = Number(process.argv[2] ?? 200);
  mkdirSync(path.join(ROOT, ".tmp"), { recursive: true });
  const url = `file:${path.join(ROOT, ".tmp/bench-vip-reports.db")}`;
  const { migrate, removeSqliteFiles, makeProjectWithCluster, makeUser } = await import("../support/db");
  removeSqliteFiles(url);
  migrate(url);
  const { createDb } = await import("@/lib/db");
  const { ingestVrrpMessage } = await import("@/lib/vip/ingest");
  const { nodeAgentKey } = await import("@/lib/vip/protocol");
  const { agentHeaders } = await import("../support/agent-message");
  const { loadVipObservations } = await import("@/lib/vip/queries");
  const { clusterVipHealth } = await import("@/lib/vip/health");
  const { MASTER_NAMES } = await import("@/lib/domain");
  const db = createDb(url);
  const user = await makeUser(db);
  const rolled = (await makeProjectWithCluster(db, user.id)).cluster;
  const oneEach = (await makeProjectWithCluster(db, user.id)).cluster;
  const secret = randomBytes(32).toString("hex");
  const vips = [
    { name: "api" as const, instance: "bench_API", address: "198.51.100.5" },
    { name: "ingress" as const, instance: "bench_INGRESS", address: "198.51.100.7" },
  ];
  // the rolled-up cluster names its VIPs as a drafted one does: the ingest keeps its oversight summary up to date
  await db.cluster.update({
    where: { id: rolled.id },
    data: { name: "bench", specJson: JSON.stringify({ networks: { public: { apiVip: vips[0].address, ingressVip: vips[1].address } } }) },
  });
  const end = Math.floor(Date.now() / 1000);
  const start = end - HOUR_S;

  // master-0 holds both VIPs; half-way through master-0's keepalived restarts and master-1 takes them over
  const messages = [];
  for (let t = start + SNAPSHOT_S; t <= end; t += SNAPSHOT_S) {
    for (const [m, node] of MASTER_NAMES.entries()) {
      const after = t >= start + HOUR_S / 2;
      const master = after ? 1 : 0;
      const since = after && m <= 1 ? start + HOUR_S / 2 : start - 60;
      messages.push({
        v: 1,
        node,
        sentAt: t + m * 0.3,
        keepalived: { running: true, version: "Keepalived v2.2.8 (04/04,2023)", startedAt: m === 0 && after ? start + HOUR_S / 2 - 1 : start - 120 },
        transitions: [],
        snapshot: {
          instances: vips.map((v, i) => ({
            data: { iname: v.instance, vrid: 51 + i, state: m === master ? 2 : 1, base_priority: 40 - m, effective_priority: 40 - m, vipset: m === master, vips: [`${v.address} dev ens6 scope global`], last_transition: since },
            stats: { advert_rcvd: t - start, advert_sent: m === master ? t - start : 0, become_master: 1, release_master: 0 },
          })),
          addresses: [`198.51.100.${21 + m}/24`, ...(m === master ? vips.map((v) => `${v.address}/32`) : [])],
          configMtime: start - 200,
        },
      });
    }
  }

  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (const message of messages) {
    const body = Buffer.from(JSON.stringify(message));
    const at = new Date(message.sentAt * 1000 + 50);
    const headers = agentHeaders({ clusterId: rolled.id, key: nodeAgentKey(secret, message.node), body, timestamp: at.getTime() / 1000 });
    const out = await ingestVrrpMessage(db, { header: (n) => headers[n] ?? null, body }, { now: at, secretOf: async () => secret });
    if (!out.ok) throw new Error(`the ingest refused a snapshot: ${out.refusal}`);
  }
  const ingestMs = (performance.now() - t0) / messages.length;
  const ingestCpu = process.cpuUsage(cpu0);
  const ingestCpuMs = (ingestCpu.user + ingestCpu.system) / 1000 / messages.length;
  // the same snapshots, one row each
  await db.vrrpReport.createMany({
    data: messages.map((m) => ({
      clusterId: oneEach.id,
      node: m.node,
      keepalivedVersion: m.keepalived.version,
      snapshotJson: JSON.stringify({ keepalived: { running: true, startedAt: m.keepalived.startedAt }, snapshot: m.snapshot }),
      sentAt: new Date(m.sentAt * 1000),
      receivedAt: new Date(m.sentAt * 1000 + 50),
    })),
  });

  const now = new Date(end * 1000 + 1000);
  const panel = async (clusterId: string) => {
    const observations = await loadVipObservations(db, clusterId, new Date(now.getTime() - HOUR_S * 1000));
    return clusterVipHealth({ vips, nodes: [...MASTER_NAMES], ...observations, now, settings: { historyMs: HOUR_S * 1000 } });
  };
  const [a, b] = [await panel(rolled.id), await panel(oneEach.id)];
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error("the VIP health from the runs differs from the one from every snapshot");
  console.log(`${messages.length} snapshots in the hour (3 agents, every ${SNAPSHOT_S} s); the ingest took ${ingestMs.toFixed(2)} ms and ${ingestCpuMs.toFixed(2)} ms of CPU per message`);
  for (const [label, clusterId] of [["rolled up into runs (the ingest)", rolled.id], ["one row per snapshot (before)", oneEach.id]] as const) {
    const rows = await db.vrrpReport.count({ where: { clusterId } });
    for (let i = 0; i < 20; i++) await panel(clusterId);
    const cpu = process.cpuUsage();
    for (let i = 0; i < views; i++) await panel(clusterId);
    const used = process.cpuUsage(cpu);
    console.log(`${label}: ${rows} rows; the VIP panel's reads and health ${((used.user + used.system) / 1000 / views).toFixed(2)} ms of CPU per view`);
  }
  await db.$disconnect();
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
