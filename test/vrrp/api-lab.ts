import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { LAB } from "./lab/topology";
import { lab, waitFor } from "./support";

// The API-path lab (lab.sh in api mode): the client's call log, who holds which VIP, and the fault scenarios that
// the vrrp test asserts and test/bench/api-vip.ts measures for the new and the old design.

const HERE = path.resolve(import.meta.dirname, "lab");
const CLIENT_LOG = () => path.join(LAB.state, "client.log");
export const SERVER_NAME = `api.${LAB.clusterName}.${LAB.baseDomain}`;

export interface Call {
  start: number;
  end: number;
  ok: boolean;
  what: string;
}

export function calls(): Call[] {
  if (!existsSync(CLIENT_LOG())) return [];
  return readFileSync(CLIENT_LOG(), "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [start, end, ok, what] = line.split(" ");
      return { start: Number(start), end: Number(end), ok: ok === "1", what };
    });
}

/** The client namespace calls https://<API VIP>:6443/readyz ten times a second until the lab goes down. */
export function startClient(): void {
  spawn("bash", [path.join(HERE, "lab.sh"), "client", "node", path.join(HERE, "api-client.mjs"), `https://${LAB.apiVip}:6443`, path.join(LAB.state, "pki/ca.crt"), SERVER_NAME, CLIENT_LOG()], {
    stdio: "ignore",
    detached: true,
  }).unref();
}

/** Seconds of failed calls (10 calls a second) among the calls started in [from, to]. */
export function failedSeconds(from: number, to: number): number {
  return calls().filter((c) => c.start >= from && c.start <= to && !c.ok).length / 10;
}

/** Calls that finished after `since`, all answered: the client is served again. */
export async function servedAgain(since: number, n = 20, timeoutMs = 30_000) {
  return waitFor(`${n} answered calls in a row after ${new Date(since).toISOString()}`, async () => {
    const after = calls().filter((c) => c.start > since);
    const last = after.slice(-n);
    return last.length === n && last.every((c) => c.ok) && last[0].start;
  }, timeoutMs, 100);
}

export function holderOf(vip: string): string | null {
  const holders = lab("holders", vip).trim().split(/\s+/).filter(Boolean);
  return holders.length === 1 ? holders[0] : null;
}

const MASTERS = ["master-0", "master-1", "master-2"];

/** Once the client is served and a master holds the API VIP: stops `name` on that master, returns it and when. */
export async function faultOnHolder(name: "api" | "haproxy", timeoutMs = 60_000): Promise<{ victim: string; t0: number }> {
  const holder = await waitFor("a master holds the API VIP", async () => MASTERS.includes(holderOf(LAB.apiVip) ?? "") && holderOf(LAB.apiVip), timeoutMs);
  await servedAgain(Date.now() - 3000, 20, timeoutMs);
  const t0 = Date.now();
  service("stop", holder.value as string, name);
  return { victim: holder.value as string, t0 };
}

export const service = (action: "stop" | "start", node: string, name: "api" | "haproxy" | "monitor") => lab(action, node, name);

/** haproxy's view of one backend server on a master (the stats CSV's status field). */
export function backendStatus(onNode: string, server: string): string | null {
  const csv = lab("node", onNode, "curl", "-s", "-m", "1", "http://127.0.0.1:29445/haproxy_stats;csv");
  const line = csv.split("\n").find((l) => l.startsWith(`masters,${server},`));
  return line ? line.split(",")[17] : null;
}

/** Tripod's bootstrap-complete detection, run in the client namespace; resolves with when and where it fired. */
export function startDetector(): { watching: Promise<unknown>; fired: Promise<{ at: number; endpoint: string }>; process: ChildProcess } {
  const child = spawn("bash", [path.join(HERE, "lab.sh"), "client", "node", "--import", "tsx", path.join(HERE, "detect.ts"), LAB.state], {
    cwd: path.resolve(HERE, "../../.."),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  const watching = new Promise((resolve) => child.stderr!.on("data", (d) => ((err += d), err.includes("watching the bootstrap config map") && resolve(true))));
  const fired = new Promise<{ at: number; endpoint: string }>((resolve, reject) => {
    child.stdout!.on("data", (d) => (out += d));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim())) : reject(new Error(`detector exited ${code}: ${err}`))));
  });
  return { watching, fired, process: child };
}

/** The first `template IN A` block of a rendered Corefile whose `match` takes `name`, and its answer's address. */
export function corefileAnswer(corefile: string, name: string): string | null {
  for (const block of corefile.matchAll(/template IN A \S+ \{\n([\s\S]*?)\n\s*\}\n/g)) {
    const match = /match (\S+)/.exec(block[1])?.[1];
    const answer = /answer "\{\{ \.Name \}\} \d+ IN A (\S+)"/.exec(block[1])?.[1];
    if (match && answer && new RegExp(match).test(name)) return answer;
  }
  return null;
}
