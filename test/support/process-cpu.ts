import { readdirSync, readFileSync } from "node:fs";

// CPU time a process and its live descendants have used so far, from /proc (Linux): the benches divide the difference
// over a measured window by the requests or operations in it, a figure that does not depend on how busy the shared
// machine is, unlike wall time. Processes that end inside the window are not counted.

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux architecture the project runs on (`getconf CLK_TCK`)

interface Stat {
  ppid: number;
  ticks: number;
}

function stats(): Map<number, Stat> {
  const all = new Map<number, Stat>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let line: string;
    try {
      line = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // ended while we looked
    }
    // After "pid (comm) ": state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime …
    const fields = line.slice(line.lastIndexOf(")") + 2).split(" ");
    all.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
  }
  return all;
}

/** User + system CPU milliseconds of the processes `roots` and all their live descendants. */
export function cpuMsOfTrees(roots: number[]): number {
  const all = stats();
  const inTree = (pid: number): boolean => {
    for (let p = pid; p > 1; p = all.get(p)?.ppid ?? 0) if (roots.includes(p)) return true;
    return false;
  };
  let ticks = 0;
  for (const [pid, s] of all) if (inTree(pid)) ticks += s.ticks;
  return (ticks * 1000) / TICKS_PER_SECOND;
}
