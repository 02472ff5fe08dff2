// The local cloud's processes and their TCP listeners, found the way down.sh finds them: from the PID files
// in $TRIPOD_CLOUD_STATE/run, each with its session members and descendants.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cloudStateDir } from "@/test/cloud/seed";

export interface Listener {
  address: string;
  port: number;
  process: string;
  pid: number;
}

/** name → PID of every daemon up.sh recorded. */
export function recordedDaemons(stateDir = cloudStateDir()): Map<string, number> {
  const run = join(stateDir, "run");
  const daemons = new Map<string, number>();
  for (const file of readdirSync(run).filter((f) => f.endsWith(".pid") && f !== "rsyslogd.own.pid")) {
    daemons.set(file.slice(0, -".pid".length), Number(readFileSync(join(run, file), "utf8").trim()));
  }
  return daemons;
}

/** Every live PID that belongs to one of the daemons: the daemon, its session, its descendants. */
export function cloudPids(daemons: Iterable<number>): Set<number> {
  const rows = execFileSync("ps", ["-eo", "pid=,ppid=,sid="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/).map(Number));
  const parent = new Map(rows.map(([pid, ppid]) => [pid, ppid]));
  const roots = new Set(daemons);
  const pids = new Set<number>();
  for (const [pid, , sid] of rows) {
    if (roots.has(sid)) pids.add(pid);
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parent.get(p)) {
      if (roots.has(p)) {
        pids.add(pid);
        break;
      }
    }
  }
  return pids;
}

/** `ss -ltnpH` parsed: one row per (listening socket, owning process). */
export function tcpListeners(): Listener[] {
  const out = execFileSync("ss", ["-ltnpH"], { encoding: "utf8" });
  const listeners: Listener[] = [];
  for (const line of out.trim().split("\n")) {
    const columns = line.trim().split(/\s+/);
    const local = columns[3];
    const at = local.lastIndexOf(":");
    const address = local.slice(0, at).replace(/^\[|\]$/g, "");
    const port = Number(local.slice(at + 1));
    for (const match of line.matchAll(/\("([^"]+)",pid=(\d+),fd=\d+\)/g)) {
      listeners.push({ address, port, process: match[1], pid: Number(match[2]) });
    }
  }
  return listeners;
}
