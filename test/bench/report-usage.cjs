// Preloaded into the processes test/bench/ignition.ts starts through npm (NODE_OPTIONS="--require …"): at exit,
// appends the process's argv, peak RSS and CPU time as one JSON line to $BENCH_USAGE_FILE.
const { appendFileSync } = require("node:fs");

process.on("exit", () => {
  const usage = process.resourceUsage();
  const line = { argv: process.argv, maxRssMiB: usage.maxRSS / 1024, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6 };
  appendFileSync(process.env.BENCH_USAGE_FILE, `${JSON.stringify(line)}\n`);
});
