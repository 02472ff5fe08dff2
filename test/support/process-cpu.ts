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

/** The live processes of the trees of `roots` (each root and its descendants), with their CPU ticks. */
function treesOf(roots: number[]): Map<number, Stat> {
  const all = stats();
  const inTree = (pid: number): boolean => {
    for (let p = pid; p > 1; p = all.get(p)?.ppid ?? 0) if (roots.includes(p)) return true;
    return false;
  };
  return new Map([...all].filter(([pid]) => inTree(pid)));
}

/** The pids of the processes `roots` and all their live descendants. */
export function processTrees(roots: number[]): number[] {
  return [...treesOf(roots).keys()];
}

/** User + system CPU milliseconds of the processes `roots` and all their live descendants. */
export function cpuMsOfTrees(roots: number[]): number {
  return cpuMsSince(new Map(), roots);
}

/** Where the trees of `roots` stand now, for cpuMsSince. */
export function cpuMark(roots: number[]): Map<number, number> {
  return new Map([...treesOf(roots)].map(([pid, s]) => [pid, s.ticks]));
}

/**
 * User + system CPU milliseconds the trees of `roots` used since `mark`: a process started meanwhile counts whole, one
 * that ended meanwhile is left out (its time went with it) rather than taken off the others'.
 */
export function cpuMsSince(mark: Map<number, number>, roots: number[]): number {
  let ticks = 0;
  for (const [pid, s] of treesOf(roots)) ticks += s.ticks - (mark.get(pid) ?? 0);
  return (ticks * 1000) / TICKS_PER_SECOND;
}
