// `npx tsx test/bench/demo-lab.ts [runs, default 3]` — the demo lab's VIP panel figures (issue 11): runs the
// Playwright check test/e2e/lab.demo.spec.ts (`npm run demo`'s server with TRIPOD_DEMO_LAB=1, a cluster on the local
// cloud played by network namespaces) `runs` times and prints, per figure, the median with min and max: seconds from
// the control plane to the holders shown, and from a stopped keepalived or API stand-in to the fail-over shown, at
// the page's real refresh interval. Needs the local cloud up and nothing else in the demo project (run it under
// `flock -o /work/coord/cloud.lock` where others share the cloud). Prints figures, asserts nothing.
import { spawnSync } from "node:child_process";

const runs = Number(process.argv[2] ?? 3);
const figures = new Map<string, number[]>();

for (let run = 1; run <= runs; run++) {
  const result = spawnSync("npx", ["playwright", "test", "--project=demo", "test/e2e/lab.demo.spec.ts"], { encoding: "utf8" });
  if (result.status !== 0) {
    console.error(`run ${run} failed:\n${result.stdout}\n${result.stderr}`);
    process.exit(1);
  }
  // "demo-lab: <what> shown <seconds> s after <cause>": the holder names vary, the figure is named by its cause.
  for (const [, what, secs, cause] of result.stdout.matchAll(/demo-lab: (API and Ingress holders|Ingress fail-over|API VIP handed)[^\n]*? shown ([0-9.]+) s after ([^\n]+)/g)) {
    const key = `${what} shown after ${cause}`;
    figures.set(key, [...(figures.get(key) ?? []), Number(secs)]);
  }
  console.log(`run ${run} of ${runs} done`);
}

for (const [key, values] of figures) {
  const sorted = [...values].sort((a, b) => a - b);
  console.log(`${key}: ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} s (median of ${values.length}; ${sorted[0].toFixed(1)}–${sorted.at(-1)!.toFixed(1)})`);
}
