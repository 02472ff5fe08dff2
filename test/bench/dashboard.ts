// The dashboard under a team's load, at 1,000 clusters and at 10: seeds a database of its own with a year of a busy
// team's history (per cluster about 1.7 operations, 11 steps, 37 events, 29 resources, 4 VRRP transitions, and for a
// live cluster an hour of its agents' snapshots, stored as the ingest stores them: test/bench/vip-reports.ts), starts
// the production build (`npm run build` must have run) on 127.0.0.1:$BENCH_PORT, signs in 50 users and runs the mixed
// load: the users arrive over 10 s, each loading a cluster page, and keep it open making
// the requests the page makes in the browser (its JSON route every second, revalidating with the ETag, and the port
// grid's listing of the cloud every 5 s, both also once as the page starts; a session signed in minutes ago is not
// renewed, app/ui/session-renewal.ts); now and then they click through to
// the clusters list and another cluster page (the RSC requests Next's router makes for a click); two leads reload
// oversight. Meanwhile the VIP agents of every live cluster post their snapshots (each node its heartbeat every
// 30 s, as a steady agent does; --agents off: none), and the bench moves steps (through the worker's journal) and
// posts keepalived transitions to the ingest, and measures how long until an open page's data shows them. Then the
// capacity of each page and of the ingest: 50 clients back to back, and a Prometheus scrape of /api/metrics beside
// polling clients. Prints p50/p95/p99 per page, throughput, server CPU per request and peak memory.
// The clouds are an OpenStack stand-in (test/support/openstack-standin.ts) on BENCH_PORT + 1, with empty listings.
// The database is a SQLite file under .tmp/, or with --database postgresql a database on a PostgreSQL server of the
// bench's own (Debian's binaries, 127.0.0.1:$BENCH_PG_PORT, data under .tmp/, commits flushed as in production); its
// CPU is printed beside the server's.
// usage: npx tsx test/bench/dashboard.ts [--clusters 1000,10] [--seconds 60] [--capacity-seconds 8] [--capacity "poll 304,list"]
//   [--agents off] [--agent-interval 30] [--database postgresql]
// (--capacity: only these capacity rows, by their short names: poll 304, poll 200, list, list admin, list click,
// list admin click, cluster page, cluster page click, oversight, sign-in page, agent snapshot, scrape, and a cluster
// page alone: "cluster page alone")
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { MASTER_NAMES, vipInstanceName } from "@/lib/domain";
import { storedReportOf } from "@/lib/vip/observations";
import { nodeAgentKey, type AgentMessage } from "@/lib/vip/protocol";
import { agentHeaders } from "../support/agent-message";
import type { PostgresServer } from "../support/postgres";
import { cpuMark, cpuMsSince, processTrees } from "../support/process-cpu";

const ROOT = path.resolve(__dirname, "../..");
const PORT = Number(process.env.BENCH_PORT ?? 3150);
const BASE = `http://127.0.0.1:${PORT}`;
const SECRET_KEY = "YmVuY2gta2V5LWJlbmNoLWtleS1iZW5jaC1rZXktMzI=";
const PASSWORD = "bench-password";
const USERS = 50;
const LEADS = 2;
process.env.TRIPOD_SECRET_KEY = SECRET_KEY; // the bench seals agent secrets as the server will open them
const METRICS_TOKEN = "bench-metrics-token";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

const DATABASE = arg("database", "sqlite");
if (DATABASE !== "sqlite" && DATABASE !== "postgresql") throw new Error(`--database: sqlite or postgresql, not ${DATABASE}`);
const PG_PORT = Number(process.env.BENCH_PG_PORT ?? 55442);

// ---------------------------------------------------------------------------------------------------------------
// Seeding

type Seeded = Awaited<ReturnType<typeof seed>>;

/** Why a seeded operation failed, by its kind (after the failed step's name, as the engine records it). */
const SEEDED_FAILURES = {
  create: "server master-1 went to ERROR (No valid host was found)",
  teardown: "Neutron answered 409 Conflict deleting a port: it is still in use",
} as const;

async function seed(url: string, clusters: number) {
  const { createDb } = await import("@/lib/db");
  const { hashPassword } = await import("@/lib/auth/credentials");
  const { sealSecret } = await import("@/lib/crypto/seal");
  const { openstackStandIn, standInCredentials } = await import("../support/openstack-standin");
  // the cluster page lists each live cluster's ports, security groups and servers (cached 5 s per cluster): from a
  // stand-in on the port after BENCH_PORT, never the local cloud
  const { url: cloudUrl } = await openstackStandIn(PORT + 1);
  const { validateClusterSpec } = await import("@/lib/cluster-spec");
  const { planCluster, newInfraId } = await import("@/lib/plan");
  const { plannedResources } = await import("@/lib/lifecycle/resources");
  const { STEP_NAMES } = await import("@/lib/domain");
  const { refreshOperationHealth } = await import("@/lib/cluster-health");
  const { storeVipSummary } = await import("@/lib/vip/panel");
  const db = createDb(url);
  // Seeding only: no fsync per statement (the file is thrown away if the machine dies).
  if (DATABASE === "sqlite") await db.$executeRawUnsafe("PRAGMA synchronous = OFF");
  const now = Date.now();
  const hash = await hashPassword(PASSWORD);
  const demo = JSON.parse(readFileSync(path.join(ROOT, "test/fixtures/demo-spec.json"), "utf8"));

  // five projects: one of 40 % of the clusters, four of 15 %
  const shares = [0.4, 0.15, 0.15, 0.15, 0.15];
  const projects = [];
  for (let p = 0; p < shares.length; p++) {
    const project = await db.project.create({ data: { name: `team-${p}` } });
    const cloud = await db.cloud.create({ data: { projectId: project.id, name: "cloud", authUrl: cloudUrl, credentialsSealed: standInCredentials() } });
    projects.push({ project, cloud });
  }
  const users: { id: string; username: string; role: string; projectIndex: number }[] = [];
  for (let u = 0; u < USERS; u++) {
    const role = u < LEADS ? "lead" : u === LEADS ? "admin" : "member";
    const projectIndex = u < LEADS ? -1 : u % shares.length === 0 || u % 3 === 0 ? 0 : u % shares.length;
    const user = await db.user.create({ data: { username: `user-${u}`, role, passwordHash: hash } });
    if (role === "lead") for (const p of projects) await db.membership.create({ data: { userId: user.id, projectId: p.project.id, role: "lead" } });
    else if (role === "member") await db.membership.create({ data: { userId: user.id, projectId: projects[projectIndex].project.id, role: "member" } });
    users.push({ id: user.id, username: user.username, role, projectIndex });
  }

  const kubeconfig = sealSecret(`apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: ${randomBytes(3000).toString("base64")}\n`);
  const agents: Agent[] = [];
  const watchable: { clusterId: string; projectIndex: number; name: string; operationId: string }[] = [];
  const counts = { operations: 0, steps: 0, events: 0, resources: 0, reports: 0, transitions: 0 };
  let perProject = shares.map((s) => Math.max(1, Math.round(s * clusters)));
  perProject = perProject.map((n, i) => (i === 0 ? n + clusters - perProject.reduce((a, b) => a + b, 0) : n));
  let index = 0;
  for (const [p, n] of perProject.entries()) {
    for (let k = 0; k < n; k++, index++) {
      const name = `c${String(index).padStart(4, "0")}`;
      const spec = structuredClone(demo); // each cluster on a Public network of its own: the demo's VIPs do
      spec.name = name;
      const valid = validateClusterSpec(spec);
      if (!valid.ok) throw new Error(`bench spec invalid: ${JSON.stringify(valid.errors)}`);
      // the first cluster of each project is being created (users keep those open), then a year's mix
      const status = k === 0 ? "creating" : (["ready", "ready", "ready", "ready", "ready", "ready", "deleted", "deleted", "failed", "creating"] as const)[index % 10];
      const secret = randomBytes(32).toString("hex");
      const creator = users[LEADS + 1 + (index % (USERS - LEADS - 1))];
      const createdAt = new Date(now - (clusters - index) * 8 * 3600_000);
      const infraId = newInfraId(name);
      const cluster = await db.cluster.create({
        data: {
          projectId: projects[p].project.id,
          cloudId: projects[p].cloud.id,
          name,
          specJson: JSON.stringify(spec),
          status,
          infraId,
          vrrpApiId: 1 + (index % 250),
          vrrpIngressId: 1 + ((index + 1) % 250),
          vrrpSecretSealed: sealSecret(secret),
          authPassSealed: sealSecret("abcdefgh"),
          kubeconfigSealed: index % 2 ? kubeconfig : null,
          createdById: creator.id,
          createdAt,
        },
      });
      const plan = planCluster(valid.spec, { clusterId: cluster.id, infraId });
      const live = status !== "deleted";
      const resources = plannedResources(plan).map((r) => ({ ...r, clusterId: cluster.id, status: live ? "present" : "deleted", openstackId: randomBytes(16).toString("hex") }));
      await db.resource.createMany({ data: resources });
      counts.resources += resources.length;

      // operations: create (running while creating, failed for failed clusters), a teardown for 70 % of the rest
      const ops: { kind: "create" | "teardown"; status: string }[] = [{ kind: "create", status: status === "creating" ? "running" : status === "failed" ? "failed" : "succeeded" }];
      if (status === "deleted" || (status === "ready" && index % 3 === 0)) ops.push({ kind: "teardown", status: status === "deleted" ? "succeeded" : "failed" });
      let lastOp = "";
      for (const [i, o] of ops.entries()) {
        const at = new Date(createdAt.getTime() + i * 3600_000);
        const names = STEP_NAMES[o.kind];
        const stopAt = o.status === "succeeded" ? names.length : Math.min(names.length - 1, 5);
        const op = await db.operation.create({
          data: {
            clusterId: cluster.id,
            kind: o.kind,
            status: o.status,
            activeClusterId: o.status === "running" ? cluster.id : null,
            requestedById: creator.id,
            createdAt: at,
            startedAt: at,
            finishedAt: o.status === "running" ? null : new Date(at.getTime() + 1800_000),
            // as the engine records it: the step that failed, then why
            error: o.status === "failed" ? `${names[stopAt]}: ${SEEDED_FAILURES[o.kind]}` : null,
            leaseOwner: o.status === "running" ? "bench" : null,
            leaseExpiresAt: o.status === "running" ? new Date(now + 3600_000) : null,
          },
        });
        lastOp = op.id;
        await db.step.createMany({
          data: names.map((name, position) => ({
            operationId: op.id,
            name,
            position,
            status: position < stopAt ? "succeeded" : position === stopAt ? (o.status === "running" ? "running" : "failed") : "pending",
            attempt: position <= stopAt ? 1 : 0,
            apiCalls: position <= stopAt ? 7 : 0,
            startedAt: position <= stopAt ? at : null,
            finishedAt: position < stopAt ? at : null,
            outputsJson: position < stopAt ? JSON.stringify({ ids: [randomBytes(8).toString("hex")] }) : null,
          })),
        });
        counts.operations++;
        counts.steps += names.length;
      }
      if (status === "creating") watchable.push({ clusterId: cluster.id, projectIndex: p, name, operationId: lastOp });
      await db.event.createMany({
        data: Array.from({ length: 37 }, (_, e) => ({
          clusterId: cluster.id,
          operationId: lastOp,
          at: new Date(createdAt.getTime() + e * 60_000),
          level: e % 9 === 8 ? "warning" : "info",
          step: "control-plane",
          message: `step event ${e}: created port ${infraId}-master-${e % 3}-cluster (${randomBytes(8).toString("hex")})`,
        })),
      });
      counts.events += 37;

      if (live) {
        // an hour of snapshots every 10 s from each master (1,080), stored as the ingest stores them: one run per
        // master (lib/vip/observations.ts continuesRun), the last snapshot's content; and 4 transitions
        const agent = { clusterId: cluster.id, name, secret, apiVip: spec.networks.public.apiVip, ingressVip: spec.networks.public.ingressVip, apiVrid: cluster.vrrpApiId!, ingressVrid: cluster.vrrpIngressId!, seededAt: now };
        agents.push(agent);
        const reports = MASTER_NAMES.map((node) => ({
          clusterId: cluster.id,
          node,
          keepalivedVersion: KEEPALIVED,
          snapshotJson: JSON.stringify(storedReportOf(agentMessage(agent, node, now))),
          firstSentAt: new Date(now - 3590_000),
          sentAt: new Date(now),
          receivedAt: new Date(now + 40),
        }));
        await db.vrrpReport.createMany({ data: reports });
        counts.reports += reports.length;
        const t = new Date(now - 3600_000);
        await db.vrrpTransition.createMany({
          data: [
            { clusterId: cluster.id, node: "master-0", instance: vipInstanceName(name, "api"), vip: "api", state: "MASTER", priority: 40, at: t, receivedAt: t },
            { clusterId: cluster.id, node: "master-1", instance: vipInstanceName(name, "api"), vip: "api", state: "BACKUP", priority: 39, at: t, receivedAt: t },
            { clusterId: cluster.id, node: "master-0", instance: vipInstanceName(name, "ingress"), vip: "ingress", state: "MASTER", priority: 40, at: t, receivedAt: t },
            { clusterId: cluster.id, node: "master-1", instance: vipInstanceName(name, "ingress"), vip: "ingress", state: "BACKUP", priority: 39, at: t, receivedAt: t },
          ],
        });
        counts.transitions += 4;
      }
      // the summary row, by the writers' own code
      await refreshOperationHealth(db, cluster.id);
      if (live) await storeVipSummary(db, cluster.id, new Date(now));
    }
  }
  await db.auditLog.createMany({
    data: Array.from({ length: clusters * 5 }, (_, i) => ({ actorId: users[i % USERS].id, actor: users[i % USERS].username, action: "operation.create", target: `cluster c${i}`, outcome: "succeeded", at: new Date(now - i * 60_000) })),
  });
  // A database as a dashboard's that has run for a while: PostgreSQL's autovacuum would otherwise vacuum and analyse
  // every freshly seeded table about a second into the mixed load, among the users' arrivals (seen in
  // pg_stat_user_tables, RESULTS.md 5–6 December).
  if (DATABASE === "postgresql") {
    await db.$executeRawUnsafe("VACUUM ANALYZE");
    await db.$executeRawUnsafe("CHECKPOINT");
  }
  await db.$disconnect();
  return { users, watchable, agents, counts, projects: projects.map((p) => p.project.id) };
}

// ---------------------------------------------------------------------------------------------------------------
// The VIP agents of the live clusters

interface Agent {
  clusterId: string;
  name: string;
  secret: string;
  apiVip: string;
  ingressVip: string;
  apiVrid: number;
  ingressVrid: number;
  seededAt: number;
}
const KEEPALIVED = "Keepalived v2.2.8 (04/04,2023)";
/**
 * How often each node's agent sends a snapshot when keepalived's state stays the same: its heartbeat, every 30 s
 * (fakeroot/all/usr/local/bin/tripod-vrrp-agent, TRIPOD_VRRP_HEARTBEAT_INTERVAL; a changed snapshot goes out within
 * 10 s). --agent-interval <s> shows what another cadence would cost: 10 was every snapshot before the heartbeat.
 */
const SNAPSHOT_MS = Number(arg("agent-interval", "30")) * 1000;
const AGENT_PAGE = "agent snapshot (ingest)";

/**
 * The snapshot a node's agent sends every SNAPSHOT_MS (lib/vip/protocol.ts): master-0 holds both VIPs, since an hour
 * before the seed; keepalived has run for two. The advert counters grow as keepalived's do.
 */
function agentMessage(a: Agent, node: string, sentAtMs: number): AgentMessage {
  const m = MASTER_NAMES.indexOf(node as (typeof MASTER_NAMES)[number]);
  const since = (a.seededAt - 3600_000) / 1000;
  const adverts = Math.floor((sentAtMs / 1000 - since) / 2.5);
  const instance = (vip: "api" | "ingress") => ({
    data: {
      iname: vipInstanceName(a.name, vip),
      vrid: vip === "api" ? a.apiVrid : a.ingressVrid,
      state: m === 0 ? 2 : 1,
      base_priority: 40 - m,
      effective_priority: 40 - m,
      vipset: m === 0,
      vips: [vip === "api" ? a.apiVip : a.ingressVip],
      last_transition: since,
    },
    stats: { advert_rcvd: adverts, advert_sent: m === 0 ? adverts : 0, become_master: m === 0 ? 1 : 0, release_master: 0 },
  });
  return {
    v: 1,
    node,
    sentAt: sentAtMs / 1000,
    keepalived: { running: true, version: KEEPALIVED, startedAt: (a.seededAt - 7200_000) / 1000 },
    transitions: [],
    snapshot: {
      instances: [instance("api"), instance("ingress")],
      addresses: [`198.18.40.${21 + m}/24`, ...(m === 0 ? [`${a.apiVip}/32`, `${a.ingressVip}/32`] : [])],
      configMtime: (a.seededAt - 7300_000) / 1000,
    },
  };
}

const AGENTS = arg("agents", "on") !== "off";

/**
 * The VIP agents of every live cluster at work until `until`: each node's snapshot every SNAPSHOT_MS, the nodes
 * spread over the period as agents started at different moments are.
 */
async function agentsAtWork(agents: Agent[], until: number, rec: Recorder | null, errors: string[]) {
  const nodes = agents.flatMap((a) => MASTER_NAMES.map((node) => ({ a, node })));
  const inFlight = new Set<Promise<void>>();
  const t0 = Date.now();
  for (let i = 0; ; i++) {
    const due = t0 + (i * SNAPSHOT_MS) / nodes.length;
    if (due >= until) break;
    await sleep(due - Date.now());
    const { a, node } = nodes[i % nodes.length];
    const sent = postAgentMessage(rec, AGENT_PAGE, a, agentMessage(a, node, Date.now()))
      .catch((e) => void errors.push(String(e)))
      .finally(() => inFlight.delete(sent));
    inFlight.add(sent);
  }
  await Promise.all(inFlight);
}

/** A message posted to the ingest as the node's agent posts it (signed with the node's own key), timed. */
async function postAgentMessage(rec: Recorder | null, page: string, a: Agent, message: AgentMessage): Promise<void> {
  const body = Buffer.from(JSON.stringify(message));
  const headers = agentHeaders({ clusterId: a.clusterId, key: nodeAgentKey(a.secret, message.node), body });
  const t0 = performance.now();
  const res = await fetch(`${BASE}/api/vrrp/ingest`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  const answer = await res.text();
  rec?.add(page, performance.now() - t0, res.status);
  if (res.status !== 202) throw new Error(`the ingest answered ${res.status}: ${answer}`);
}

// ---------------------------------------------------------------------------------------------------------------
// The server and its process tree

/** The roots of the process trees whose CPU the figures count: the dashboard's, and PostgreSQL's (none on SQLite). */
interface Processes {
  server: number[];
  database: number[];
}

function rssMb(pids: number[], field: "VmRSS" | "VmHWM"): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      const m = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (m) kb += Number(m[1]);
    } catch {
      // gone
    }
  }
  return kb / 1024;
}

async function startServer(url: string): Promise<ChildProcess> {
  // BENCH_SERVER_NODE_FLAGS: Node.js flags for the server alone, e.g. "--cpu-prof --cpu-prof-dir=.tmp/prof"
  const flags = (process.env.BENCH_SERVER_NODE_FLAGS ?? "").split(" ").filter(Boolean);
  // the server `npm run serve` runs (lib/cli/serve.ts; `npm run build` must have run)
  const server = spawn(process.execPath, [...flags, ".next/tripod/cli/serve.js"], {
    cwd: ROOT,
    env: {
      ...process.env,
      TRIPOD_BIND_ADDRESS: "127.0.0.1",
      PORT: String(PORT),
      DATABASE_URL: url,
      NEXTAUTH_URL: BASE,
      NEXTAUTH_SECRET: "bench-secret",
      TRIPOD_SECRET_KEY: SECRET_KEY,
      TRIPOD_WORKER: "off", // the bench moves the steps itself, through the worker's journal
      TRIPOD_METRICS_TOKEN: METRICS_TOKEN,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      // the old-generation limit `npm run serve` gives the server (TRIPOD_HEAP_MB, README § Configuration)
      NODE_OPTIONS: `--max-old-space-size=${process.env.TRIPOD_HEAP_MB ?? 256}`,
    },
    stdio: ["ignore", process.env.BENCH_SERVER_STDOUT ? "inherit" : "ignore", "inherit"],
    detached: true,
  });
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${BASE}/api/health`)).ok) return server;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("the server did not come up");
}

// ---------------------------------------------------------------------------------------------------------------
// Clients

interface Session {
  user: Seeded["users"][number];
  cookie: string;
}

function cookiesOf(res: Response, jar: Map<string, string>) {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(";");
    const eq = pair.indexOf("=");
    jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
}
const header = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

async function signIn(user: Seeded["users"][number]): Promise<Session> {
  const jar = new Map<string, string>();
  const csrf = await fetch(`${BASE}/api/auth/csrf`);
  cookiesOf(csrf, jar);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${BASE}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: header(jar) },
    body: new URLSearchParams({ csrfToken, username: user.username, password: PASSWORD, json: "true" }),
    redirect: "manual",
  });
  cookiesOf(res, jar);
  if (![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error(`sign-in of ${user.username} failed (${res.status})`);
  return { user, cookie: header(jar) };
}

class Recorder {
  samples = new Map<string, number[]>();
  statuses = new Map<string, Map<number, number>>();
  add(page: string, ms: number, status: number) {
    (this.samples.get(page) ?? this.samples.set(page, []).get(page)!).push(ms);
    const s = this.statuses.get(page) ?? this.statuses.set(page, new Map()).get(page)!;
    s.set(status, (s.get(status) ?? 0) + 1);
  }
  get count() {
    return [...this.samples.values()].reduce((a, b) => a + b.length, 0);
  }
}

function q(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
}

/** One request as a browser makes it (gzip accepted), timed until its whole body has arrived. */
async function timed(rec: Recorder | null, page: string, s: Session, url: string, headers: Record<string, string> = {}): Promise<{ status: number; etag: string; body: string }> {
  const t0 = performance.now();
  const res = await fetch(`${BASE}${url}`, { headers: { cookie: s.cookie, "accept-encoding": "gzip", ...headers }, redirect: "manual" });
  const body = await res.text();
  rec?.add(page, performance.now() - t0, res.status);
  if (res.status >= 400) throw new Error(`${page} ${url}: ${res.status}`);
  // a click is answered with the target's RSC payload, as in the browser, not with HTML
  if (headers.rsc && !res.headers.get("content-type")?.startsWith("text/x-component")) throw new Error(`${page} ${url}: answered ${res.headers.get("content-type")} to a click`);
  return { status: res.status, etag: res.headers.get("etag") ?? "", body };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * The ETag a cluster page came with (its poll's, lib/data/http.ts versionTag: the cluster's version and the asker's
 * tag), which the page's first poll sends; found in the page's RSC payload, escaped once or twice.
 */
function pageEtag(clusterId: string, body: string): string {
  const tag = new RegExp(`${clusterId}\\.\\d+(?:\\.\\d+)?\\.[A-Za-z0-9_-]{12}`).exec(body);
  if (!tag) throw new Error(`no ETag in the page of ${clusterId}`);
  return `W/"${tag[0]}"`;
}

/** Over how long the 50 users arrive at the start of the mixed load. */
const ARRIVAL_MS = 10_000;
/** From a cluster page's HTML to its first polls: when its script has started (300–400 ms in Chromium here). */
const MOUNT_MS = 300;
/**
 * The grid's poll interval (app/(dashboard)/clusters/[id]/live.tsx cloudPollInterval): every second while a listing
 * is on its way, then every 5 s while an operation runs — the clusters the users watch are all being created.
 */
const gridPollInterval = (source: string) => (source === "pending" ? 1000 : 5000);

/**
 * What Next's router asks for a click on a link to `to` while `from` is shown (captured from Chromium on this
 * build): the target's segment tree with the segment that changes marked "refetch", so that the server renders that
 * segment alone (not the layout) and answers its RSC payload, not HTML; and the `_rsc` search parameter, a hash of
 * those headers that the server checks (Next's own function; a wrong one is answered with a redirect). Only
 * /clusters and /clusters/<id>.
 */
async function click(from: string, to: string): Promise<{ url: string; headers: Record<string, string> }> {
  const { computeCacheBustingSearchParam } = await import("next/dist/shared/lib/router/utils/cache-busting-search-param");
  const page = ["__PAGE__", {}, null, null, 0];
  const id = /^\/clusters\/([^/]+)$/.exec(to)?.[1];
  const clusters = id
    ? ["clusters", { children: [["id", id, "d", null], { children: page }, null, "refetch", 0] }, null, null, 0]
    : ["clusters", { children: ["__PAGE__", {}, null, "refetch", 0] }, null, null, 0];
  const tree = encodeURIComponent(JSON.stringify(["", { children: ["(dashboard)", { children: clusters }, null, null, 0] }, null, null, 16]));
  const hash = await computeCacheBustingSearchParam(undefined, undefined, tree, from);
  return { url: `${to}?_rsc=${hash}`, headers: { rsc: "1", "next-router-state-tree": tree, "next-url": from } };
}
const jitter = (ms: number) => ms * (0.5 + Math.random());

interface Expectation {
  clusterId: string;
  t0: number;
  /** The users whose page showed the cluster when it changed: the first of their polls to show the change counts. */
  watchers: Set<Session>;
  kind: "step" | "vrrp";
  seen(view: ClusterJson): boolean;
}
interface ClusterJson {
  operations: { steps: { name: string; attempt: number }[] }[];
  vips: { vip: string; history: { at: string; node: string; state: string }[] }[] | null;
}

async function mixedLoad(seeded: Seeded, sessions: Session[], seconds: number) {
  const { createDb } = await import("@/lib/db");
  const { prismaJournal } = await import("@/lib/lifecycle/journal");
  const rec = new Recorder();
  const pending: Expectation[] = [];
  const visible: Record<"step" | "vrrp", number[]> = { step: [], vrrp: [] };
  const end = Date.now() + seconds * 1000;
  const byProject = (p: number) => seeded.watchable.filter((w) => p < 0 || w.projectIndex === p);
  const openPages = new Map<Session, string>();
  const watchersOf = (clusterId: string) => new Set([...openPages].filter(([, open]) => open === clusterId).map(([s]) => s));
  const errors: string[] = [];

  async function user(s: Session) {
    const mine = byProject(s.user.projectIndex);
    let open = mine[Math.floor(Math.random() * mine.length)];
    // people arrive over the first seconds, each loading a cluster page (the whole HTML)
    await sleep(Math.random() * ARRIVAL_MS);
    let etag = pageEtag(open.clusterId, (await timed(rec, "cluster page (load)", s, `/clusters/${open.clusterId}`)).body);
    openPages.set(s, open.clusterId);
    let nextBrowse = Date.now() + jitter(20_000);
    // Once the page has started in the browser, it asks the grid's poll (its listing was pending when the page was
    // sent), then its own poll a second later and every second (the page's view is as fresh as a poll: live.tsx
    // staleTime), and the grid as cloudPollInterval says.
    let nextGrid = 0;
    let pageJustShown = true;
    await sleep(MOUNT_MS);
    while (Date.now() < end) {
      const started = Date.now();
      if (s.user.role === "lead" && Date.now() >= nextBrowse) {
        // a lead reloads oversight: the whole HTML
        await timed(rec, "oversight (load)", s, "/oversight");
        nextBrowse = Date.now() + jitter(10_000);
      } else if (Date.now() >= nextBrowse) {
        // clicks: to the list from the cluster page, to another cluster from the list
        const toList = await click(`/clusters/${open.clusterId}`, "/clusters");
        await timed(rec, "clusters list (click)", s, toList.url, toList.headers);
        // a page opened after a change shows it at once: only the pages open at the change count for it
        openPages.delete(s);
        for (const e of pending) e.watchers.delete(s);
        open = mine[Math.floor(Math.random() * mine.length)];
        const toCluster = await click("/clusters", `/clusters/${open.clusterId}`);
        etag = pageEtag(open.clusterId, (await timed(rec, "cluster page (click)", s, toCluster.url, toCluster.headers)).body);
        openPages.set(s, open.clusterId);
        nextBrowse = Date.now() + jitter(20_000);
        nextGrid = 0;
        pageJustShown = true;
      }
      if (Date.now() >= nextGrid) {
        // the grid's poll: the cloud's listing (cached per cluster for 5 s, for every viewer; never waited for)
        const grid = JSON.parse((await timed(rec, "grid poll /api/clusters/<id>/cloud", s, `/api/clusters/${open.clusterId}/cloud`)).body) as { source: string };
        nextGrid = Date.now() + gridPollInterval(grid.source);
      }
      if (pageJustShown) {
        pageJustShown = false;
        await sleep(Math.max(0, 1000 - (Date.now() - started)));
        continue;
      }
      const res = await timed(rec, "poll /api/clusters/<id>", s, `/api/clusters/${open.clusterId}`, etag ? { "if-none-match": etag } : {});
      if (res.status === 200) {
        etag = res.etag;
        const body = JSON.parse(res.body) as ClusterJson;
        const now = Date.now();
        for (let i = pending.length - 1; i >= 0; i--) {
          const e = pending[i];
          if (e.watchers.has(s) && e.seen(body)) {
            visible[e.kind].push(now - e.t0);
            pending.splice(i, 1);
          }
        }
      }
      await sleep(Math.max(0, 1000 - (Date.now() - started)));
    }
  }

  // The changes: a step moves (the worker's journal) or a keepalived transition arrives at the ingest, on a
  // cluster some user has open.
  async function changes() {
    const db = createDb(process.env.BENCH_DATABASE_URL);
    const attempts = new Map<string, number>();
    let n = 0;
    await sleep(3000);
    while (Date.now() < end - 5000) {
      const open = [...new Set(openPages.values())];
      if (open.length === 0) {
        await sleep(500);
        continue;
      }
      const clusterId = open[Math.floor(Math.random() * open.length)];
      const w = seeded.watchable.find((x) => x.clusterId === clusterId)!;
      try {
        if (n++ % 2 === 0) {
          const attempt = (attempts.get(clusterId) ?? 1) + 1;
          attempts.set(clusterId, attempt);
          await prismaJournal(db, { id: w.operationId, clusterId, kind: "create" }).stepStarted("control-plane", attempt);
          pending.push({ clusterId, t0: Date.now(), watchers: watchersOf(clusterId), kind: "step", seen: (v) => v.operations[0]?.steps.some((st) => st.name === "control-plane" && st.attempt === attempt) });
        } else {
          const atMs = Date.now();
          const node = MASTER_NAMES[n % 3];
          const state = n % 4 < 2 ? "BACKUP" : "MASTER";
          const agent = seeded.agents.find((a) => a.clusterId === clusterId)!;
          const transition = { at: atMs / 1000, instance: vipInstanceName(w.name, "api"), state, priority: 40 } as const;
          await postAgentMessage(null, "transition", agent, { ...agentMessage(agent, node, atMs), transitions: [transition], snapshot: null });
          const iso = new Date(atMs).toISOString();
          pending.push({ clusterId, t0: Date.now(), watchers: watchersOf(clusterId), kind: "vrrp", seen: (v) => !!v.vips?.some((p) => p.vip === "api" && p.history.some((x) => x.at === iso && x.node === node && x.state === state)) });
        }
      } catch (error) {
        errors.push(String(error));
      }
      await sleep(1500);
    }
    await db.$disconnect();
  }

  await Promise.all([
    ...sessions.map((s) => user(s).catch((e) => errors.push(String(e)))),
    changes(),
    ...(AGENTS ? [agentsAtWork(seeded.agents, end, rec, errors)] : []),
  ]);
  // changes whose every watcher moved on to another page before seeing them are not counted
  return { rec, visible, unseen: pending.filter((e) => e.watchers.size > 0).length, errors };
}

async function capacity(procs: Processes, sessions: Session[], page: string, url: (s: Session) => string, seconds: number, conditional = false, headers: (s: Session) => Record<string, string> = () => ({})) {
  if (!arg("capacity", page).split(",").includes(page)) return null;
  const tags = new Map<Session, string>();
  if (conditional) {
    // a live cluster's version also moves with a 15 s clock tick (lib/data/cluster-view.ts): start just after one
    while (Date.now() % 15_000 > 300) await sleep(100);
    for (const s of sessions) tags.set(s, (await timed(null, page, s, url(s))).etag);
  }
  return backToBack(procs, page, sessions.length, seconds, (rec, client) => {
    const s = sessions[client];
    return timed(rec, page, s, url(s), conditional ? { "if-none-match": tags.get(s)! } : headers(s));
  });
}

/**
 * The capacity for agent snapshots: 50 agents back to back, each message from the next node of the live clusters.
 * Not measured when the nodes are too few to take a thousand messages a second for `seconds` within the ingest's
 * rate limit per node (at 10 clusters): the refusals would be measured instead.
 */
async function agentCapacity(procs: Processes, agents: Agent[], seconds: number) {
  const page = "agent snapshot";
  if (!arg("capacity", page).split(",").includes(page)) return null;
  const { RATE_LIMIT_PER_MINUTE } = await import("@/lib/vip/ingest");
  const nodes = agents.flatMap((a) => MASTER_NAMES.map((node) => ({ a, node })));
  if (nodes.length * RATE_LIMIT_PER_MINUTE < seconds * 1000) return null;
  let next = 0;
  return backToBack(procs, page, 50, seconds, (rec) => {
    const { a, node } = nodes[next++ % nodes.length];
    return postAgentMessage(rec, page, a, agentMessage(a, node, Date.now()));
  });
}

/** `clients` clients sending `request` back to back for `seconds`: throughput, latency, server and database CPU per request. */
async function backToBack(procs: Processes, page: string, clients: number, seconds: number, request: (rec: Recorder, client: number) => Promise<unknown>) {
  const rec = new Recorder();
  const end = Date.now() + seconds * 1000;
  const cpu0 = cpuMark(procs.server);
  const dbCpu0 = cpuMark(procs.database);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (Date.now() < end) await request(rec, client);
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const xs = rec.samples.get(page) ?? [];
  const cpuMs = cpuMsSince(cpu0, procs.server) / xs.length;
  const dbCpuMs = cpuMsSince(dbCpu0, procs.database) / xs.length;
  return { rps: xs.length / elapsed, p50: q(xs, 0.5), p95: q(xs, 0.95), cpuMs, dbCpuMs, statuses: [...(rec.statuses.get(page) ?? [])].map(([k, v]) => `${k}×${v}`).join(" ") };
}

/**
 * A cluster page's full load with nothing else running, one load at a time, the watched clusters in turn (at 1,000
 * clusters each load another's, with no listing of the cloud cached for it): 100 back to back, then 100 at about the
 * arrivals' pace (a random pause of 200 ms on average after each: the mixed load's first seconds). What the machine
 * gives one load, and what it gives one after an idle moment (see memoryAfterPause).
 */
async function clusterPageAlone(procs: Processes, admin: Session, clusterIds: string[]) {
  const page = "cluster page alone";
  if (!arg("capacity", page).split(",").includes(page)) return null;
  let next = 0;
  const run = async (pauseMs: () => number) => {
    const rec = new Recorder();
    const cpu0 = cpuMark(procs.server);
    for (let i = 0; i < 100; i++) {
      await timed(rec, page, admin, `/clusters/${clusterIds[next++ % clusterIds.length]}`);
      await sleep(pauseMs());
    }
    const xs = rec.samples.get(page)!;
    return { p50: q(xs, 0.5), p95: q(xs, 0.95), cpuMs: cpuMsSince(cpu0, procs.server) / xs.length };
  };
  return { backToBack: await run(() => 0), paced: await run(() => -Math.log(1 - Math.random()) * (ARRIVAL_MS / USERS)) };
}

/**
 * Prometheus scraping /api/metrics (every live cluster's VIP health over the last hour, computed on the server's one
 * thread), five times alone and five times while 10 clients poll back to back (unchanged polls): the scrape's time
 * and server CPU, and the polls' p95 and longest wait during the scrapes against between them.
 */
async function scrapeBesidePolls(procs: Processes, sessions: Session[], url: (s: Session) => string) {
  if (!arg("capacity", "scrape").split(",").includes("scrape")) return null;
  const scrape = async () => {
    const t0 = performance.now();
    const res = await fetch(`${BASE}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`/api/metrics answered ${res.status}: ${body.slice(0, 200)}`);
    return { ms: performance.now() - t0, kb: body.length / 1024 };
  };
  await scrape();
  const cpu0 = cpuMark(procs.server);
  const alone = [];
  for (let i = 0; i < 5; i++) alone.push(await scrape());
  const cpuMs = cpuMsSince(cpu0, procs.server) / alone.length;
  const during: number[] = [];
  const between: number[] = [];
  let scraping = false;
  let done = false;
  const pollers = sessions.slice(0, 10).map(async (s) => {
    let etag = (await timed(null, "scrape", s, url(s))).etag;
    while (!done) {
      const wasScraping = scraping;
      const t0 = performance.now();
      etag = (await timed(null, "scrape", s, url(s), { "if-none-match": etag })).etag || etag;
      (wasScraping || scraping ? during : between).push(performance.now() - t0);
    }
  });
  for (let i = 0; i < 5; i++) {
    await sleep(500);
    scraping = true;
    await scrape();
    scraping = false;
  }
  await sleep(500);
  done = true;
  await Promise.all(pollers);
  return { ms: q(alone.map((a) => a.ms), 0.5), cpuMs, kb: alone[0].kb, during, between };
}

// ---------------------------------------------------------------------------------------------------------------

/** A fresh database for a scale: a SQLite file under .tmp/, or a database on the bench's PostgreSQL. */
async function freshDatabase(clusters: number, postgres: PostgresServer | null): Promise<string> {
  const name = `bench-dashboard-${clusters}`;
  if (postgres) {
    const { createDatabase, dropDatabase } = await import("../support/postgres");
    dropDatabase(postgres.url(name.replace(/-/g, "_")));
    return createDatabase(postgres.url("postgres"), name.replace(/-/g, "_"));
  }
  const url = `file:${path.join(ROOT, ".tmp", `${name}.db`)}`;
  const { removeSqliteFiles } = await import("../support/db");
  removeSqliteFiles(url);
  return url;
}

async function scale(clusters: number, seconds: number, capacitySeconds: number, postgres: PostgresServer | null) {
  mkdirSync(path.join(ROOT, ".tmp"), { recursive: true });
  const url = await freshDatabase(clusters, postgres);
  process.env.BENCH_DATABASE_URL = url;
  execFileSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url }, stdio: "pipe" });
  let t = performance.now();
  const seeded = await seed(url, clusters);
  const c = seeded.counts;
  console.log(
    `\n=== ${clusters} clusters: seeded in ${((performance.now() - t) / 1000).toFixed(1)} s — ${c.operations} operations, ${c.steps} steps, ${c.events} events, ${c.resources} resources, ${c.reports} VRRP report rows (runs of snapshots), ${c.transitions} transitions`,
  );
  const server = await startServer(url);
  const procs: Processes = { server: [server.pid!], database: postgres ? [postgres.pid] : [] };
  const pids = () => processTrees(procs.server);
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(pids(), "VmRSS"))), 250);
  try {
    t = performance.now();
    const sessions: Session[] = [];
    for (let i = 0; i < seeded.users.length; i += 5) sessions.push(...(await Promise.all(seeded.users.slice(i, i + 5).map(signIn))));
    console.log(`signed in ${sessions.length} users in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    // Warm up as a server that has run for a while is: every page some dozens of times (lazy chunks compiled, V8's
    // optimising compiler through the rendering code, Prisma's first queries), not only once: the first arrivals
    // would otherwise be timed on code V8 has not optimised yet.
    const lead = sessions.find((s) => s.user.role === "lead")!;
    for (let i = 0; i < 30; i++) {
      const s = sessions[i % 3];
      await timed(null, "warm", s, "/clusters");
      await timed(null, "warm", lead, `/clusters/${seeded.watchable[i % seeded.watchable.length].clusterId}`);
      if (i % 3 === 0) await timed(null, "warm", lead, "/oversight");
    }

    // The agents have run for a while too: one round of their snapshots before the users come, so that the mixed
    // load meets them in their steady state (each snapshot continuing its node's run, the summaries fresh), not in
    // the round after the seed, where every node starts a new run and every cluster's summary is recomputed.
    if (AGENTS) {
      const failed: string[] = [];
      await agentsAtWork(seeded.agents, Date.now() + SNAPSHOT_MS, null, failed);
      if (failed.length) throw new Error(`the agents' first round failed: ${failed[0]}`);
    }
    const cpu0 = cpuMark(procs.server);
    const dbCpu0 = cpuMark(procs.database);
    // The clients time each request in this process: a busy event loop here would add its delay to their figures.
    const ownLoop = monitorEventLoopDelay({ resolution: 5 });
    const ownCpu0 = process.cpuUsage();
    ownLoop.enable();
    t = performance.now();
    const mixed = await mixedLoad(seeded, sessions, seconds);
    const wall = (performance.now() - t) / 1000;
    ownLoop.disable();
    const ownCpu = process.cpuUsage(ownCpu0);
    const cpu = cpuMsSince(cpu0, procs.server) / 1000;
    const dbCpu = cpuMsSince(dbCpu0, procs.database) / 1000;
    const total = mixed.rec.count;
    console.log(`mixed load: ${seconds} s, ${total} requests, ${(total / wall).toFixed(1)} req/s, server CPU ${(cpu / wall * 100).toFixed(0)} % of one core, ${((cpu * 1000) / total).toFixed(2)} ms CPU per request`);
    if (postgres) console.log(`PostgreSQL: CPU ${((dbCpu / wall) * 100).toFixed(0)} % of one core, ${((dbCpu * 1000) / total).toFixed(2)} ms per request`);
    const lag = (p: number) => (ownLoop.percentile(p) / 1e6 - 5).toFixed(1);
    console.log(
      `the bench's own process (50 clients, the OpenStack stand-in): CPU ${(((ownCpu.user + ownCpu.system) / 1e6 / wall) * 100).toFixed(0)} % of one core; its event loop late by p50 ${lag(50)} / p99 ${lag(99)} / max ${(ownLoop.max / 1e6 - 5).toFixed(1)} ms`,
    );
    const rows: Record<string, number | string>[] = [];
    for (const [page, xs] of mixed.rec.samples) {
      const st = [...(mixed.rec.statuses.get(page) ?? [])].map(([k, v]) => `${k}×${v}`).join(" ");
      rows.push({ page, n: xs.length, p50: +q(xs, 0.5).toFixed(1), p95: +q(xs, 0.95).toFixed(1), p99: +q(xs, 0.99).toFixed(1), statuses: st });
    }
    console.table(rows);
    // the nearest-rank p95 of fewer than 20 samples is their slowest (Oversight's two leads reload it about 10 times a minute)
    const few = rows.filter((r) => (r.n as number) < 20).map((r) => r.page);
    if (few.length) console.log(`fewer than 20 samples, the p95 is the slowest one: ${few.join(", ")} (a longer --seconds gives more)`);
    for (const kind of ["step", "vrrp"] as const) {
      const xs = mixed.visible[kind];
      console.log(`${kind === "step" ? "step change" : "keepalived transition (ingest)"} → shown on an open page: p50 ${q(xs, 0.5)} ms, p95 ${q(xs, 0.95)} ms (n=${xs.length})`);
    }
    if (mixed.unseen) console.log(`changes never seen by the end: ${mixed.unseen}`);
    if (mixed.errors.length) console.log(`errors: ${mixed.errors.length}, first: ${mixed.errors[0]}`);

    const member = sessions.find((s) => s.user.role === "member" && s.user.projectIndex === 0)!;
    const admin = sessions.find((s) => s.user.role === "admin")!;
    const members = sessions.filter((s) => s.user.role !== "lead");
    const openOf = (s: Session) => {
      const mine = seeded.watchable.filter((w) => s.user.projectIndex < 0 || w.projectIndex === s.user.projectIndex);
      return mine[s.user.id.charCodeAt(s.user.id.length - 1) % mine.length].clusterId;
    };
    const all = (s: Session) => s; // 50 clients of the same kind: each its own session
    const memberToList = await click(`/clusters/${openOf(member)}`, "/clusters");
    const adminToList = await click(`/clusters/${openOf(admin)}`, "/clusters");
    const toCluster = new Map(await Promise.all(members.map(async (s) => [s, await click("/clusters", `/clusters/${openOf(s)}`)] as const)));
    const alone = await clusterPageAlone(procs, admin, seeded.watchable.map((w) => w.clusterId));
    if (alone) {
      const fig = (r: { p50: number; p95: number; cpuMs: number }) => `p50 ${r.p50.toFixed(1)} / p95 ${r.p95.toFixed(1)} ms, server CPU ${r.cpuMs.toFixed(1)} ms/load`;
      console.log(`a cluster page's full load alone, one at a time: back to back ${fig(alone.backToBack)}; at about the arrivals' pace (a pause of 200 ms on average after each) ${fig(alone.paced)}`);
    }
    const cap = [
      // first: right after the mixed load each node's snapshot continues its run, as the agents' steady ones do
      ["VIP agent snapshot (ingest)", await agentCapacity(procs, seeded.agents, capacitySeconds)],
      ["poll, unchanged (304)", await capacity(procs, sessions, "poll 304", (s) => `/api/clusters/${openOf(s)}`, capacitySeconds, true)],
      ["poll, full (200)", await capacity(procs, sessions, "poll 200", (s) => `/api/clusters/${openOf(s)}`, capacitySeconds)],
      ["clusters list (member, 40 % project)", await capacity(procs, Array(50).fill(member).map(all), "list", () => "/clusters", capacitySeconds)],
      ["clusters list (admin, all)", await capacity(procs, Array(50).fill(admin).map(all), "list admin", () => "/clusters", capacitySeconds)],
      ["clusters list, click (member, 40 % project)", await capacity(procs, Array(50).fill(member).map(all), "list click", () => memberToList.url, capacitySeconds, false, () => memberToList.headers)],
      ["clusters list, click (admin, all)", await capacity(procs, Array(50).fill(admin).map(all), "list admin click", () => adminToList.url, capacitySeconds, false, () => adminToList.headers)],
      ["cluster page", await capacity(procs, members, "cluster page", (s) => `/clusters/${openOf(s)}`, capacitySeconds)],
      ["cluster page, click", await capacity(procs, members, "cluster page click", (s) => toCluster.get(s)!.url, capacitySeconds, false, (s) => toCluster.get(s)!.headers)],
      ["oversight (lead of all)", await capacity(procs, Array(50).fill(lead).map(all), "oversight", () => "/oversight", capacitySeconds)],
      // what any page costs before it reads or renders anything of its own: Next's dynamic rendering of the sign-in
      // page (one small form, no database), the floor under every full load above
      ["sign-in page (Next's floor)", await capacity(procs, sessions, "sign-in page", () => "/login", capacitySeconds)],
    ] as const;
    console.log("capacity, 50 clients back to back:");
    console.table(
      cap.flatMap(([page, r]) => r ? [{
        page,
        "req/s": +r.rps.toFixed(1),
        p50: +r.p50.toFixed(1),
        p95: +r.p95.toFixed(1),
        "server CPU ms/req": +r.cpuMs.toFixed(2),
        "req/s per idle core": +(1000 / r.cpuMs).toFixed(0),
        ...(postgres ? { "PostgreSQL CPU ms/req": +r.dbCpuMs.toFixed(2) } : {}),
        statuses: r.statuses,
      }] : []),
    );
    const agentRow = cap.find(([page]) => page === "VIP agent snapshot (ingest)")?.[1];
    const agentRate = (seeded.agents.length * MASTER_NAMES.length * 1000) / SNAPSHOT_MS;
    console.log(
      `the VIP agents of the ${seeded.agents.length} live clusters send ${agentRate.toFixed(0)} snapshots/s` +
        (agentRow ? `: at ${agentRow.cpuMs.toFixed(2)} ms of server CPU each, ${((agentRate * agentRow.cpuMs) / 10).toFixed(0)} % of one core` : ""),
    );
    const hwm = rssMb(pids(), "VmHWM");
    const scraped = await scrapeBesidePolls(procs, sessions, (s) => `/api/clusters/${openOf(s)}`);
    if (scraped) {
      const waits = (xs: number[]) => `p95 ${q(xs, 0.95).toFixed(1)} ms, longest ${Math.max(...xs).toFixed(1)} ms (n=${xs.length})`;
      console.log(
        `a Prometheus scrape of /api/metrics (${scraped.kb.toFixed(0)} KB): ${scraped.ms.toFixed(0)} ms, ${scraped.cpuMs.toFixed(0)} ms of server CPU; ` +
          `10 clients polling meanwhile waited ${waits(scraped.during)} during the scrapes, ${waits(scraped.between)} between them`,
      );
    }
    console.log(`server memory: peak RSS (sampled, whole process tree) ${peakRss.toFixed(0)} MB; sum of per-process high-water marks ${hwm.toFixed(0)} MB`);
    return { clusters, p95: Object.fromEntries([...mixed.rec.samples].map(([p, xs]) => [p, q(xs, 0.95)])) };
  } finally {
    clearInterval(sampler);
    try {
      process.kill(-server.pid!, "SIGTERM");
    } catch {
      // already gone
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * How much slower this machine touches memory after a short pause than back to back (medians of 30 walks over 64
 * MB, one read per cache line). On a shared host the caches are refilled by others while a process waits: a page
 * load that follows an idle moment costs about half again its CPU (RESULTS.md, 5–6 December), so this is printed
 * beside every run.
 */
const MEMORY_PAUSE_MS = 20;
async function memoryAfterPause(): Promise<{ backToBack: number; afterPause: number }> {
  const block = new Float64Array(8 << 20).fill(1);
  const walk = () => {
    const t0 = performance.now();
    let sum = 0;
    for (let i = 0; i < block.length; i += 8) sum += block[i];
    if (sum < 0) throw new Error("unreachable");
    return performance.now() - t0;
  };
  const median = async (pause: number) => {
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      times.push(walk());
      if (pause) await sleep(pause);
    }
    return q(times, 0.5);
  };
  for (let i = 0; i < 10; i++) walk();
  return { backToBack: await median(0), afterPause: await median(MEMORY_PAUSE_MS) };
}

async function printMachine(when: string) {
  const memory = await memoryAfterPause();
  console.log(
    `load ${when}: ${readFileSync("/proc/loadavg", "utf8").trim()}; reading 64 MB of memory ${memory.backToBack.toFixed(2)} ms back to back, ` +
      `${memory.afterPause.toFixed(2)} ms after a ${MEMORY_PAUSE_MS} ms pause`,
  );
}

async function main() {
  const scales = arg("clusters", "1000,10").split(",").map(Number);
  const seconds = Number(arg("seconds", "60"));
  const capacitySeconds = Number(arg("capacity-seconds", "8"));
  await printMachine("before");
  const { closeOpenstackStandIn } = await import("../support/openstack-standin");
  const { startPostgres } = await import("../support/postgres");
  const postgres = DATABASE === "postgresql" ? await startPostgres(path.join(ROOT, ".tmp/bench-pg"), PG_PORT, { durable: true }) : null;
  if (postgres) console.log(`PostgreSQL on 127.0.0.1:${postgres.port}, commits flushed (fsync and synchronous_commit on)`);
  try {
    const results = [];
    for (const n of scales) results.push(await scale(n, seconds, capacitySeconds, postgres));
    if (results.length >= 2) {
      const [big, small] = [...results].sort((a, b) => b.clusters - a.clusters);
      console.log(`\np95 under the mixed load, ${big.clusters} vs ${small.clusters} clusters:`);
      console.table(Object.keys(big.p95).map((page) => ({ page, [`p95 @${big.clusters}`]: +big.p95[page].toFixed(1), [`p95 @${small.clusters}`]: +(small.p95[page] ?? NaN).toFixed(1), ratio: +(big.p95[page] / small.p95[page]).toFixed(2) })));
    }
    await printMachine("after");
  } finally {
    await closeOpenstackStandIn(); // a failed run must not leave the stand-in listening (and the process running)
    await postgres?.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
