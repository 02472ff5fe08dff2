// Failed-call seconds of a client calling https://<API VIP>:6443/readyz ten times a second, per fault scenario, for
// today's design before the redirect ("old": no redirect monitor, the bootstrap holds the API VIP without a check)
// and the new one ("new": tripod-api-redirect on every master, the bootstrap's VIP bound to its own /readyz), on
// the real daemons of the VRRP lab (lab.sh in api mode). A fault that never heals is cut at WINDOW seconds.
// usage: npx tsx test/bench/api-vip.ts [WINDOW_S=30]   (root; brings the lab up and down itself, twice)
import { backendStatus, failedSeconds, faultOnHolder, holderOf, servedAgain, service, startClient, startDetector } from "../vrrp/api-lab";
import { LAB } from "../vrrp/lab/topology";
import { lab, waitFor } from "../vrrp/support";

process.env.TVLAB_MODE = "api";
const WINDOW_MS = Number(process.argv[2] ?? 30) * 1000;
const MASTERS = ["master-0", "master-1", "master-2"];
type Row = { failed: string; vipMoved: string; note?: string };

const secs = (ms: number) => (ms / 1000).toFixed(1);

/** Failed-call seconds from t0 until the client is served again (or the window ends). */
async function outage(t0: number): Promise<string> {
  try {
    await servedAgain(t0, 20, WINDOW_MS);
    return failedSeconds(t0, Date.now()).toFixed(1);
  } catch {
    return `≥ ${failedSeconds(t0, t0 + WINDOW_MS).toFixed(1)} (not healed in ${WINDOW_MS / 1000} s)`;
  }
}

async function vipLeaves(from: string, t0: number): Promise<string> {
  try {
    const moved = await waitFor("the API VIP moves", async () => {
      const h = holderOf(LAB.apiVip);
      return h !== null && h !== from && h;
    }, WINDOW_MS, 50);
    return `${secs(moved.at - t0)} s → ${moved.value}`;
  } catch {
    return `stays on ${from}`;
  }
}

async function run(design: "old" | "new"): Promise<Record<string, Row>> {
  process.env.TVLAB_DESIGN = design;
  lab("down");
  lab("up");
  startClient();
  const rows: Record<string, Row> = {};
  try {
    await waitFor("the bootstrap holds the API VIP", async () => holderOf(LAB.apiVip) === "bootstrap", 60_000);
    await servedAgain(Date.now() - 3000, 20, 60_000);

    // 1. bootkube is done: the bootstrap's API server stops; then bootstrap-complete turns up.
    const detector = startDetector();
    await detector.watching;
    let t0 = Date.now();
    service("stop", "bootstrap", "api");
    const [moved1, failed1] = await Promise.all([vipLeaves("bootstrap", t0), outage(t0)]);
    const tComplete = Date.now();
    lab("phase", "complete");
    const fired = await detector.fired;
    rows["bootstrap API stops"] = { failed: failed1, vipMoved: moved1, note: `detection ${secs(fired.at - tComplete)} s after complete (${fired.endpoint})` };
    // The old design hands the VIP over only when the bootstrap goes away: delete it, as the create would.
    if (holderOf(LAB.apiVip) === "bootstrap") lab("kill-ka", "bootstrap", "TERM");

    // 2. The VIP holder's kube-apiserver stops.
    let victim: string;
    ({ victim, t0 } = await faultOnHolder("api"));
    const [moved2, failed2] = await Promise.all([vipLeaves(victim, t0), outage(t0)]);
    rows["holder's API server stops"] = { failed: failed2, vipMoved: moved2 };
    service("start", victim, "api");
    await waitFor("the API back in every haproxy", async () => MASTERS.every((m) => backendStatus(m, victim) === "UP"), 60_000);

    // 3. The VIP holder's haproxy dies.
    ({ victim, t0 } = await faultOnHolder("haproxy"));
    const [moved3, failed3] = await Promise.all([vipLeaves(victim, t0), outage(t0)]);
    rows["holder's haproxy dies"] = { failed: failed3, vipMoved: moved3 };
    service("start", victim, "haproxy");

    // 4. api-int: what it resolves to, and whether that answers from the Cluster network.
    const apiInt = design === "new" ? LAB.apiIntVip : LAB.apiVip;
    const started = Date.now();
    const ok = lab("client", "curl", "-sk", "-m", "2", "-o", "/dev/null", "-w", "%{http_code}", `https://${apiInt}:6443/readyz`) === "200";
    const via = lab("client", "ip", "route", "get", apiInt).includes("dev eth1") ? "Cluster" : "Public";
    rows["api-int"] = { failed: ok ? "0.0" : "call failed", vipMoved: "-", note: `${apiInt} on the ${via} network, answered in ${Date.now() - started} ms` };
  } finally {
    lab("down");
  }
  return rows;
}

async function main() {
  // The old design's api-int is the API VIP itself (no internal VIP): the lab answers it on the Public network.
  const old = await run("old");
  const neu = await run("new");
  const pad = (s: string, n: number) => s.padEnd(n);
  console.log(`\n${pad("scenario", 28)}${pad("failed s (old)", 34)}${pad("failed s (new)", 18)}${pad("VIP moved (old)", 26)}VIP moved (new)`);
  for (const scenario of Object.keys(neu)) {
    console.log(`${pad(scenario, 28)}${pad(old[scenario].failed, 34)}${pad(neu[scenario].failed, 18)}${pad(old[scenario].vipMoved, 26)}${neu[scenario].vipMoved}`);
  }
  for (const scenario of Object.keys(neu)) {
    for (const [design, rows] of [["old", old], ["new", neu]] as const) if (rows[scenario].note) console.log(`  ${scenario} (${design}): ${rows[scenario].note}`);
  }
}

main().catch((error) => {
  console.error(error);
  lab("down");
  process.exit(1);
});
