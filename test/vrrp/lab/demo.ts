// The demo's nodes (npm run demo with TRIPOD_DEMO_LAB=1): plays the servers of a cluster created on the local
// cloud with the API-path lab (lab.sh, TVLAB_MODE=api). It reads what the local Nova holds, as a hypervisor would:
// every ACTIVE server that carries Tripod's metadata gets a namespace node running the keepalived, haproxy, redirect
// monitor and VIP agent files of its own user data (the bootstrap's through its pointer, from Swift), with the
// Public and Cluster addresses moved into 198.51.100.0/25 and /25+128; a server that goes away (bootstrap-teardown,
// teardown) takes its node with it. The nodes report to the dashboard's ingest through a relay (lab.sh net-up).
// The dashboard's demo-only lab control talks to this process on the Unix socket $TRIPOD_DEMO_LAB_SOCKET.
// usage: TRIPOD_DEMO_LAB_SOCKET=/run/tdemo.sock DATABASE_URL=… npx tsx test/vrrp/lab/demo.ts DASHBOARD_PORT WATCH_PID
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import type { ClusterSpec } from "@/lib/cluster-spec";
import { createDb } from "@/lib/db";
import { NODE_NAMES, SERVER_METADATA_KEY, TAG_INFRA, serverName, type NodeName } from "@/lib/domain";
import { createSession } from "@/lib/openstack/client";
import { loadCloud } from "@/lib/openstack/config";
import { computeRequest } from "@/lib/openstack/nova/versions/requests";
import { addressMap, prepareLab, writeNodeTree } from "./demo-files";
import { LAB_SERVICES, type LabService, type LabStatus } from "@/lib/demo-lab";

const HERE = import.meta.dirname;
const [dashboardPort, watchPid] = process.argv.slice(2);
const SOCKET = process.env.TRIPOD_DEMO_LAB_SOCKET;
if (!SOCKET || !dashboardPort || !watchPid) {
  console.error("usage: TRIPOD_DEMO_LAB_SOCKET=SOCKET demo.ts DASHBOARD_PORT WATCH_PID");
  process.exit(2);
}
const PREFIX = "tdemo";
const STATE = `/run/${PREFIX}`;
const LAB_ENV = { ...process.env, TVLAB_PREFIX: PREFIX, TVLAB_STATE: STATE, TVLAB_MODE: "api", TVLAB_PREPARED: "1" };
const POLL_MS = 500;

const log = (text: string) => console.log(`${new Date().toISOString()} [demo-lab] ${text}`);
const db = createDb();
const cloudState = process.env.TRIPOD_CLOUD_STATE ?? "/var/tmp/tripod-cloud";
const admin = createSession(loadCloud({ cloud: "tripod-admin", env: { OS_CLIENT_CONFIG_FILE: `${cloudState}/clouds.yaml` } }).session);

// lab.sh calls one at a time: the poll's node-up/node-down and the control's stop/start never interleave.
let queue: Promise<unknown> = Promise.resolve();
function lab(...args: string[]): Promise<string> {
  const run = () =>
    new Promise<string>((resolve, reject) =>
      execFile("bash", [path.join(HERE, "lab.sh"), ...args], { env: LAB_ENV, maxBuffer: 1 << 20 }, (error, stdout, stderr) =>
        error ? reject(new Error(`lab.sh ${args.join(" ")}: ${stderr.trim().split("\n").pop() ?? error.message}`)) : resolve(stdout),
      ),
    );
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}

// ---------------------------------------------------------------- what the cloud holds
interface CloudServer {
  clusterId: string;
  node: NodeName;
  id: string;
  active: boolean;
  userData?: string;
}

/** Every server with Tripod's metadata, in every project (admin), with its user data (microversion 2.3+). */
async function cloudServers(): Promise<CloudServer[]> {
  const res = await computeRequest(admin, { method: "GET", path: "/servers/detail", query: { all_tenants: "1" } });
  const raw = (res.data as { servers: Record<string, unknown>[] }).servers;
  return raw.flatMap((s) => {
    const metadata = (s.metadata ?? {}) as Record<string, string>;
    const mark = metadata[SERVER_METADATA_KEY];
    const infraId = metadata[TAG_INFRA];
    const node = NODE_NAMES.find((n) => serverName(infraId, n) === s.name);
    if (!mark || !infraId || !node) return [];
    const deleting = s["OS-EXT-STS:task_state"] === "deleting";
    return [{ clusterId: mark.split("=")[1], node, id: String(s.id), active: s.status === "ACTIVE" && !deleting, userData: s["OS-EXT-SRV-ATTR:user_data"] as string | undefined }];
  });
}

// ---------------------------------------------------------------- the loop
let current: { clusterId: string; map: (a: string) => string; nodes: Set<NodeName> } | null = null;
const refused = new Set<string>();

async function specOf(clusterId: string): Promise<ClusterSpec | null> {
  const cluster = await db.cluster.findUnique({ where: { id: clusterId }, select: { resolvedSpecJson: true, specJson: true } });
  return cluster ? (JSON.parse(cluster.resolvedSpecJson ?? cluster.specJson) as ClusterSpec) : null;
}

async function reconcile(): Promise<void> {
  const servers = await cloudServers();
  if (current) {
    const mine = servers.filter((s) => s.clusterId === current!.clusterId && s.active);
    for (const node of [...current.nodes]) {
      if (mine.some((s) => s.node === node)) continue;
      await lab("node-down", node);
      current.nodes.delete(node);
    }
    if (current.nodes.size === 0 && mine.length === 0) {
      await lab("down");
      log(`cluster ${current.clusterId}: every server is gone, lab down`);
      current = null;
    }
  }
  if (!current) {
    const first = servers.find((s) => s.active && !refused.has(s.clusterId));
    if (!first) return;
    const spec = await specOf(first.clusterId);
    if (!spec) return; // another dashboard's cluster
    try {
      const map = addressMap(spec);
      prepareLab(STATE, spec, map, { clusterId: first.clusterId, ingestForward: `127.0.0.1:${dashboardPort}` });
      current = { clusterId: first.clusterId, map, nodes: new Set() };
    } catch (error) {
      refused.add(first.clusterId);
      log(`cluster ${first.clusterId} is not played: ${(error as Error).message}`);
      return;
    }
    await lab("net-up");
    log(`cluster ${first.clusterId}: lab networks up`);
  }
  for (const server of servers.filter((s) => s.clusterId === current!.clusterId && s.active && !current!.nodes.has(s.node))) {
    if (!server.userData) throw new Error(`server ${server.id} shows no user data (an admin session with microversion 2.3+ is needed)`);
    await writeNodeTree(STATE, server.node, server.userData, current.map);
    await lab("node-up", server.node);
    current.nodes.add(server.node);
    log(`cluster ${current.clusterId}: ${server.node} up`);
  }
}

// ---------------------------------------------------------------- the control socket (the dashboard's lab control)
async function status(): Promise<LabStatus["nodes"]> {
  const alive = new Map((await lab("status")).trim().split("\n").map((line) => line.split(" ") as [string, string]));
  const running = (name: string) => alive.get(name) === "alive";
  return NODE_NAMES.filter((n) => current?.nodes.has(n)).map((node) => ({ node, keepalived: running(`ka-${node}`), api: running(`api-${node}`) }));
}

const COMMANDS: Record<LabService, Record<"stop" | "start", (node: string) => string[]>> = {
  keepalived: { stop: (n) => ["kill-ka", n, "TERM"], start: (n) => ["start-ka", n] },
  api: { stop: (n) => ["stop", n, "api"], start: (n) => ["start", n, "api"] },
};

const control = http.createServer(async (req, res) => {
  const reply = (code: number, body: unknown) => {
    res.writeHead(code, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const [, clusters, clusterId, nodes, node, service, action] = (req.url ?? "").split("/");
  try {
    if (clusters !== "clusters" || !current || current.clusterId !== clusterId) return reply(404, { error: "no lab nodes for that cluster" });
    if (req.method === "GET" && nodes === undefined) return reply(200, { nodes: await status() } satisfies LabStatus);
    const known = nodes === "nodes" && current.nodes.has(node as NodeName) && LAB_SERVICES.includes(service as LabService);
    if (req.method !== "POST" || !known || (action !== "stop" && action !== "start")) return reply(404, { error: "no such lab node or service" });
    await lab(...COMMANDS[service as LabService][action](node));
    log(`${action} ${service} on ${node}`);
    reply(200, { nodes: await status() } satisfies LabStatus);
  } catch (error) {
    reply(409, { error: (error as Error).message });
  }
});

async function shutdown(code: number): Promise<never> {
  clearInterval(timer);
  control.close();
  rmSync(SOCKET!, { force: true });
  if (current) await lab("down").catch((e: Error) => log(e.message));
  await db.$disconnect();
  process.exit(code);
}

let busy = false;
const tick = () => {
  try {
    process.kill(Number(watchPid), 0);
  } catch {
    log(`the dashboard (pid ${watchPid}) is gone`);
    void shutdown(0);
    return;
  }
  if (busy) return;
  busy = true;
  reconcile()
    .catch((error: Error) => log(`reconcile: ${error.message}`))
    .finally(() => (busy = false));
};
let timer: NodeJS.Timeout | undefined;
process.on("SIGTERM", () => void shutdown(0));
process.on("SIGINT", () => void shutdown(0));

rmSync(SOCKET, { force: true });
// What a killed run left behind goes first.
void lab("down").then(() => {
  timer = setInterval(tick, POLL_MS);
  control.listen(SOCKET, () => log(`watching the local cloud; lab control on ${SOCKET}`));
});
