// The lab's Tripod side, run inside the client namespace where the nodes reach it: the ingest as the dashboard's server
// answers it (lib/data/vrrp.ts vrrpIngestListener) on POST /api/vrrp/ingest, and the VIP probe (lib/vip/probe.ts) on
// GET /probe.
// usage: DATABASE_URL=file:... TRIPOD_SECRET_KEY=... npx tsx test/vrrp/lab/ingest-server.ts HOST PORT
import http from "node:http";
import { vrrpIngestListener } from "@/lib/data/vrrp";
import { createDb } from "@/lib/db";
import { INGEST_PATH } from "@/lib/vip/ingest-url";
import { probeVips } from "@/lib/vip/probe";
import { LAB } from "./topology";

const [host, port] = process.argv.slice(2);
const db = createDb(process.env.DATABASE_URL);
const vips = [
  { name: "api" as const, instance: `${LAB.clusterName}_API`, address: LAB.apiVip },
  { name: "ingress" as const, instance: `${LAB.clusterName}_INGRESS`, address: LAB.ingressVip },
];

const ingest = vrrpIngestListener(db);

const server = http.createServer(async (req, res) => {
  const reply = (status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json", connection: "close" });
    res.end(JSON.stringify(body));
  };
  try {
    if (req.method === "POST" && req.url === INGEST_PATH) {
      const t0 = performance.now();
      res.on("finish", () => console.log(`${new Date().toISOString()} ${res.statusCode} in ${Math.round(performance.now() - t0)} ms`));
      return ingest(req, res);
    }
    if (req.method === "GET" && req.url === "/probe") return reply(200, await probeVips(vips, { timeoutMs: 1000 }));
    if (req.method === "GET" && req.url === "/ready") return reply(200, { ok: true });
    reply(404, { error: "not found" });
  } catch (e) {
    console.error(e);
    reply(500, { error: "internal" });
  }
});
// Warm the database client before answering, so the first agent messages are not slowed by it.
db.cluster.count().then(() => server.listen(Number(port), host, () => console.log(`ingest on ${host}:${port}`)));
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
