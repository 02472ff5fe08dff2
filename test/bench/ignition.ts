// Ignition generator figures: `npx tsx test/bench/ignition.ts`
// 1. Time to generate bootstrap + master-0..2 for the demo spec (repo fakeroot, render + merge + validate + JSON).
// 2. Throughput on a synthetic fakeroot of 5,000 files / 50 MB (half Handlebars templates, half verbatim, some
//    executables and symlinks), made in a temp dir and removed afterwards: reading the tree (paths and metadata),
//    and writing one node's config (writeNodeConfig: render + merge + validate + streamed JSON) in MiB/s and files/s.
// 3. Peak memory (max RSS) and CPU time of the process users run: `npm run ignition:generate -- demo-spec.json OUT
//    --fakeroot DIR` (every node and the pointer, streamed to files), with the script's own Node.js flags. Then of
//    a process that reads that fakeroot and writes one node's config (master-0) to a file and a SHA-512 — this
//    script run again as a child, so that nothing else counts, with the npm script's command line (its NODE_OPTIONS,
//    node and loader) — streamed (writeNodeConfig) and as a value (serializeConfig(renderNodeConfig(…))), with the
//    same bytes, and a child that only loads the modules; and the streamed one-node child and the modules again as
//    the scripts ran before (`tsx`, V8's defaults).
// 4. Binary against text: the same number of bytes of verbatim files written as text and as binary.
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { type Fakeroot, loadFakeroot, renderNodeConfig, renderNodeConfigs, serializeConfig, serializeNodeConfig, type TextSink, writeNodeConfig } from "@/lib/ignition";
import { NODE_NAMES } from "@/lib/domain";
import { demoRenderInput } from "@/test/unit/ignition/helpers";

const FILES = 5_000;
const TOTAL_BYTES = 50 * 1024 * 1024;
const ROUNDS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time<T>(run: () => T): [T, number] {
  const start = performance.now();
  const result = run();
  return [result, performance.now() - start];
}

/** CPU time of this process so far, in seconds. */
function cpuSeconds(): number {
  const { userCPUTime, systemCPUTime } = process.resourceUsage();
  return (userCPUTime + systemCPUTime) / 1e6;
}

function cpuMs(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const MiB = 1024 * 1024;
const input = demoRenderInput();
/** Counts what is written, keeps nothing. */
const counter = () => {
  const sink = { bytes: 0, write: (text: string) => void (sink.bytes += Buffer.byteLength(text)) };
  return sink;
};

// 3 (children). `--modules-only`: the peak RSS of this script's imports alone.
// `--one-node DIR stream|value OUT`: read DIR, write master-0's config to OUT and a SHA-512, print the peak RSS.
if (process.argv[2] === "--modules-only") {
  console.log(JSON.stringify({ maxRssMiB: process.resourceUsage().maxRSS / 1024, cpuSeconds: cpuSeconds() }));
  process.exit(0);
}
if (process.argv[2] === "--one-node") {
  const [dir, how, out] = process.argv.slice(3);
  const fakeroot = loadFakeroot(dir);
  const fd = openSync(out, "w");
  const hash = createHash("sha512");
  let bytes = 0;
  const sink: TextSink = {
    write: (text) => {
      writeSync(fd, text);
      hash.update(text);
      bytes += Buffer.byteLength(text);
    },
  };
  if (how === "stream") writeNodeConfig(input, "master-0", sink, fakeroot);
  else sink.write(serializeConfig(renderNodeConfig(input, "master-0", fakeroot)));
  closeSync(fd);
  console.log(JSON.stringify({ maxRssMiB: process.resourceUsage().maxRSS / 1024, cpuSeconds: cpuSeconds(), jsonMiB: bytes / MiB, sha512: hash.digest("hex") }));
  process.exit(0);
}
// The command line of `npm run ignition:generate` (package.json), run by sh as npm runs it; the bench's children
// take it with this script in place of the CLI's, so that they run with the flags users' processes get.
const generateScript: string = JSON.parse(readFileSync("package.json", "utf8")).scripts["ignition:generate"];
const CLI = "lib/cli/generate-ignition.ts";
// NODE_OPTIONS and TRIPOD_HEAP_MB of whoever started the bench are not the defaults users get: left out.
const { NODE_OPTIONS: _options, TRIPOD_HEAP_MB: _heap, ...childEnv } = process.env;
type Usage = { maxRssMiB: number; cpuSeconds: number; jsonMiB?: number; sha512?: string };
const lastLine = (output: string): Usage => JSON.parse(output.trim().split("\n").pop()!);
const scriptAsCli = (script: string, ...args: string[]): Usage =>
  lastLine(execFileSync("sh", ["-c", `${generateScript.replace(CLI, script)} "$@"`, "sh", ...args], { encoding: "utf8", env: childEnv }));
const asScript = (...args: string[]): Usage => scriptAsCli("test/bench/ignition.ts", ...args);
// As the scripts ran before: `tsx` (its loader in a thread of its own, with its own V8 heap), V8's default sizes.
const asPlainTsx = (...args: string[]): Usage =>
  lastLine(execFileSync(process.execPath, ["--import", "tsx", "test/bench/ignition.ts", ...args], { encoding: "utf8", env: childEnv }));
/** `npm run ignition:generate -- …` itself; the peak RSS and CPU time of its Node.js process (not npm's). */
function npmGenerate(...args: string[]): Usage {
  const usageDir = mkdtempSync(path.join(tmpdir(), "tripod-bench-usage-"));
  try {
    const usageFile = path.join(usageDir, "usage.jsonl");
    const preload = `--require ${path.join(process.cwd(), "test/bench/report-usage.cjs")}`;
    execFileSync("npm", ["run", "--silent", "ignition:generate", "--", ...args], { env: { ...childEnv, NODE_OPTIONS: preload, BENCH_USAGE_FILE: usageFile }, stdio: "ignore" });
    const lines = readFileSync(usageFile, "utf8").trim().split("\n").map((line) => JSON.parse(line) as Usage & { argv: string[] });
    return lines.find((line) => line.argv.some((arg) => arg.endsWith(CLI)))!;
  } finally {
    rmSync(usageDir, { recursive: true, force: true });
  }
}

// 1. Demo spec.
const [, cold] = time(() => NODE_NAMES.map((node) => serializeNodeConfig(input, node, loadFakeroot("fakeroot"))));
const streamed: number[] = [];
const values: number[] = [];
let demoBytes = 0;
for (let i = 0; i < ROUNDS; i++) {
  const [texts, ms] = time(() => NODE_NAMES.map((node) => serializeNodeConfig(input, node)));
  streamed.push(ms);
  demoBytes = texts.reduce((sum, text) => sum + text.length, 0);
  values.push(time(() => Object.values(renderNodeConfigs(input)).map(serializeConfig))[1]);
}
console.log(`demo spec: bootstrap + 3 masters written in ${median(streamed).toFixed(1)} ms (median of ${ROUNDS}; first run incl. reading fakeroot/ ${cold.toFixed(1)} ms; as values + serializeConfig ${median(values).toFixed(1)} ms), ${(demoBytes / 1024).toFixed(0)} KiB of Ignition JSON`);

// 2. Synthetic fakeroot.
const root = mkdtempSync(path.join(tmpdir(), "tripod-bench-fakeroot-"));
const outDir = mkdtempSync(path.join(tmpdir(), "tripod-bench-out-")); // not in the fakeroot: a directory there is an overlay
try {
  const perFile = Math.floor(TOTAL_BYTES / FILES);
  const bytesIn = { all: 0, master: 0 };
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const words = ["keepalived", "haproxy", "coredns", "vrrp", "ingress", "master", "bootstrap", "network", "route", "table"];
  for (let i = 0; i < FILES; i++) {
    const overlay = i % 10 === 0 ? "master" : "all";
    const dir = path.join(root, overlay, "etc", `d${i % 50}`, `s${i % 7}`);
    mkdirSync(dir, { recursive: true });
    const template = i % 2 === 0;
    let body = template ? "# {{node.name}} of {{cluster.name}} ({{cluster.domain}})\n" : "";
    while (body.length < perFile) {
      body += template && random() < 0.1 ? `peer {{node.ips.public}} vip {{cluster.apiVip}}\n` : `${words[Math.floor(random() * words.length)]} ${Math.floor(random() * 1e6)}\n`;
    }
    // Cut at a line end so that no template ends inside a {{…}}.
    const text = body.slice(0, body.lastIndexOf("\n", perFile) + 1).padEnd(perFile, "#");
    writeFileSync(path.join(dir, `f${i}${template ? ".conf.hbs" : ".conf"}`), text, { mode: i % 25 === 0 ? 0o755 : 0o644 });
    bytesIn[overlay] += text.length;
    if (i % 100 === 0) symlinkSync(`f${i}.conf`, path.join(dir, `link${i}`));
  }

  const [fakeroot, loadMs] = time(() => loadFakeroot(root));
  const entries = fakeroot.sources.length;
  console.log(`synthetic fakeroot: ${entries} entries, ${((bytesIn.all + bytesIn.master) / MiB).toFixed(1)} MiB`);
  console.log(`  read tree (paths and metadata; contents are read as each config is written): ${loadMs.toFixed(0)} ms = ${(entries / (loadMs / 1000)).toFixed(0)} entries/s`);

  // Each node compiles its templates: Handlebars compiles lazily, and lib/ignition keeps only 1 MiB of template
  // text compiled per fakeroot, so the second node compiles again what the first one's left behind.
  for (const node of ["master-0", "bootstrap"] as const) {
    const sink = counter();
    const files = fakeroot.sources.filter((s) => s.kind === "file" && (s.overlay === "all" || node !== "bootstrap")).length;
    const mb = (bytesIn.all + (node === "bootstrap" ? 0 : bytesIn.master)) / MiB;
    let ms = 0;
    const cpu = cpuMs(() => (ms = time(() => writeNodeConfig(input, node, sink, fakeroot))[1]));
    console.log(
      `  ${node.padEnd(9)} writeNodeConfig in ${ms.toFixed(0)} ms (CPU ${cpu.toFixed(0)} ms): ${files} files, ${mb.toFixed(1)} MiB in, ${(sink.bytes / MiB).toFixed(1)} MiB JSON out = ${(mb / (ms / 1000)).toFixed(1)} MiB/s, ${(files / (ms / 1000)).toFixed(0)} files/s`,
    );
  }

  // 3. Peak memory, in processes of their own.
  const TARGET_MIB = 150;
  const cli = npmGenerate("test/fixtures/demo-spec.json", outDir, "--fakeroot", root);
  console.log(
    `  npm run ignition:generate -- demo-spec.json OUT --fakeroot DIR (as users run it: every node and the pointer, streamed to files): ${cli.maxRssMiB.toFixed(0)} MiB max RSS, CPU ${cli.cpuSeconds.toFixed(1)} s; under ${TARGET_MIB} MiB: ${cli.maxRssMiB < TARGET_MIB ? "yes" : "NO"}`,
  );
  const out = path.join(outDir, "master-0.ign");
  const stream = asScript("--one-node", root, "stream", out);
  const value = asScript("--one-node", root, "value", out);
  const modules = asScript("--modules-only");
  console.log(
    `  master-0 (${stream.jsonMiB!.toFixed(1)} MiB JSON) to a file and a SHA-512 with the npm script's flags: streamed ${stream.maxRssMiB.toFixed(0)} MiB max RSS (target < ${TARGET_MIB} MiB: ${stream.maxRssMiB < TARGET_MIB ? "met" : "NOT met"}), CPU ${stream.cpuSeconds.toFixed(1)} s; as a value ${value.maxRssMiB.toFixed(0)} MiB, CPU ${value.cpuSeconds.toFixed(1)} s; same bytes: ${stream.sha512 === value.sha512 ? "yes" : "NO"}; the modules alone ${modules.maxRssMiB.toFixed(0)} MiB`,
  );
  const upload = scriptAsCli("test/bench/ignition-worker-upload.ts", root, out);
  console.log(
    `  the worker's ignition-upload of the bootstrap (${upload.jsonMiB!.toFixed(1)} MiB JSON) with the same flags, its modules and database loaded: ${upload.maxRssMiB.toFixed(0)} MiB max RSS (under ${TARGET_MIB} MiB: ${upload.maxRssMiB < TARGET_MIB ? "yes" : "NO"}), CPU ${upload.cpuSeconds.toFixed(1)} s`,
  );
  const plainStream = asPlainTsx("--one-node", root, "stream", out);
  const plainModules = asPlainTsx("--modules-only");
  console.log(`  the same, streamed, as the scripts ran before (tsx, V8's default heap sizes): ${plainStream.maxRssMiB.toFixed(0)} MiB max RSS, CPU ${plainStream.cpuSeconds.toFixed(1)} s; the modules alone ${plainModules.maxRssMiB.toFixed(0)} MiB`);

  // 4. Binary against text: 2,500 verbatim files of 10 KiB each way, from memory, written by writeNodeConfig.
  const verbatim = (content: (i: number) => Buffer): Fakeroot => {
    const files = new Map(Array.from({ length: 2_500 }, (_, i) => [`all/etc/bench/f${i}`, content(i)]));
    return {
      sources: [...files.keys()].map((file) => ({ kind: "file", overlay: "all", relPath: file.slice("all/".length), executable: false })),
      partials: {},
      content: { read: (file) => files.get(file)! },
    };
  };
  const trees = {
    text: verbatim((i) => Buffer.from(`${"keepalived vrrp ".repeat(640)}${i}`.slice(0, 10_240))),
    binary: verbatim(() => randomBytes(10_240)),
  };
  const runs = { text: [] as number[][], binary: [] as number[][] };
  // More rounds than elsewhere: a round is ~0.1 s, and CPU time is accounted in ticks of a few ms.
  const BINARY_ROUNDS = 15;
  for (let round = 0; round < BINARY_ROUNDS; round++) {
    // Alternated, so that neither always runs first (the first round also warms up the code both use).
    for (const label of round % 2 === 0 ? (["text", "binary"] as const) : (["binary", "text"] as const)) {
      let ms = 0;
      const cpu = cpuMs(() => (ms = time(() => writeNodeConfig(input, "master-0", counter(), trees[label]))[1]));
      runs[label].push([ms, cpu]);
    }
  }
  const medians = (label: "text" | "binary") => [0, 1].map((column) => median(runs[label].map((run) => run[column])));
  for (const label of ["text", "binary"] as const) {
    const [ms, cpu] = medians(label);
    console.log(`  ${label.padEnd(6)} files: 2,500 × 10 KiB written in ${(ms / 1000).toFixed(3)} s (CPU ${(cpu / 1000).toFixed(3)} s; median of ${BINARY_ROUNDS}) = ${(25 / (ms / 1000)).toFixed(1)} MiB/s`);
  }
  // CPU time is the figure to compare on a shared machine: all rounds' CPU time, binary against text.
  const totalCpu = (label: "text" | "binary") => runs[label].reduce((sum, [, cpu]) => sum + cpu, 0);
  const ratio = totalCpu("binary") / totalCpu("text");
  console.log(`  binary files no slower than text ones (CPU time of all ${BINARY_ROUNDS} rounds within 5 %): ${ratio <= 1.05 ? "yes" : "NO"} (${ratio.toFixed(2)}× the text's CPU time)`);
} finally {
  rmSync(root, { recursive: true, force: true });
  rmSync(outDir, { recursive: true, force: true });
}
