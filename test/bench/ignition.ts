// Ignition generator figures: `npx tsx test/bench/ignition.ts`
// 1. Time to generate bootstrap + master-0..2 for the demo spec (repo fakeroot, render + merge + validate + JSON).
// 2. Throughput on a synthetic fakeroot of 5,000 files / 50 MB (half Handlebars templates, half verbatim, some
//    executables and symlinks), made in a temp dir and removed afterwards: MB/s and files/s for reading the tree,
//    and for rendering + merging + serialising one node's config.
// 3. Peak memory (max RSS) of a process that reads that fakeroot and renders + serialises one node (master-0) —
//    this script run again as a child, so that nothing else counts — and binary against text files: the same bytes
//    of verbatim files merged + serialised as text and as binary.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { buildNodeContext, loadFakeroot, mergeTree, renderNodeConfigs, renderTree, serializeConfig } from "@/lib/ignition";
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

const input = demoRenderInput();

// 3 (child). `--one-node DIR`: read DIR, render + serialise master-0, print the peak RSS, exit.
if (process.argv[2] === "--one-node") {
  const fakeroot = loadFakeroot(process.argv[3]);
  const json = serializeConfig(mergeTree(input.spec.installerConfigs.master, renderTree(fakeroot, ["all", "master"], buildNodeContext(input.spec, input, "master-0")), "master-0").config);
  console.log(JSON.stringify({ maxRssMiB: process.resourceUsage().maxRSS / 1024, jsonMiB: json.length / 1024 / 1024 }));
  process.exit(0);
}

// 1. Demo spec.
const [, cold] = time(() => renderNodeConfigs(input, loadFakeroot("fakeroot")));
const warm: number[] = [];
let demoBytes = 0;
for (let i = 0; i < ROUNDS; i++) {
  const [configs, ms] = time(() => renderNodeConfigs(input));
  warm.push(ms);
  demoBytes = Object.values(configs).reduce((sum, c) => sum + serializeConfig(c).length, 0);
}
console.log(`demo spec: bootstrap + 3 masters in ${median(warm).toFixed(1)} ms (median of ${ROUNDS}; first run incl. reading fakeroot/ ${cold.toFixed(1)} ms), ${(demoBytes / 1024).toFixed(0)} KiB of Ignition JSON`);

// 2. Synthetic fakeroot.
const root = mkdtempSync(path.join(tmpdir(), "tripod-bench-fakeroot-"));
try {
  const perFile = Math.floor(TOTAL_BYTES / FILES);
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const words = ["keepalived", "haproxy", "coredns", "vrrp", "ingress", "master", "bootstrap", "network", "route", "table"];
  for (let i = 0; i < FILES; i++) {
    const dir = path.join(root, i % 10 === 0 ? "master" : "all", "etc", `d${i % 50}`, `s${i % 7}`);
    mkdirSync(dir, { recursive: true });
    const template = i % 2 === 0;
    let body = template ? "# {{node.name}} of {{cluster.name}} ({{cluster.domain}})\n" : "";
    while (body.length < perFile) {
      body += template && random() < 0.1 ? `peer {{node.ips.public}} vip {{cluster.apiVip}}\n` : `${words[Math.floor(random() * words.length)]} ${Math.floor(random() * 1e6)}\n`;
    }
    // Cut at a line end so that no template ends inside a {{…}}.
    const text = body.slice(0, body.lastIndexOf("\n", perFile) + 1).padEnd(perFile, "#");
    writeFileSync(path.join(dir, `f${i}${template ? ".conf.hbs" : ".conf"}`), text, { mode: i % 25 === 0 ? 0o755 : 0o644 });
    if (i % 100 === 0) symlinkSync(`f${i}.conf`, path.join(dir, `link${i}`));
  }

  const [fakeroot, loadMs] = time(() => loadFakeroot(root));
  const sourceBytes = fakeroot.sources.reduce((sum, s) => sum + (s.kind === "file" ? s.content.length : 0), 0);
  const mb = sourceBytes / 1024 / 1024;
  console.log(`synthetic fakeroot: ${fakeroot.sources.length} entries, ${mb.toFixed(1)} MiB`);
  console.log(`  read tree:     ${loadMs.toFixed(0)} ms = ${(mb / (loadMs / 1000)).toFixed(1)} MiB/s, ${(fakeroot.sources.length / (loadMs / 1000)).toFixed(0)} files/s`);

  const base = input.spec.installerConfigs.master;
  // The first node compiles every template (Handlebars compiles lazily, then caches per source); the second reuses them.
  for (const node of ["master-0", "bootstrap"] as const) {
    const context = buildNodeContext(input.spec, input, node);
    const overlays = node === "bootstrap" ? ["all"] : ["all", "master"];
    const [tree, renderMs] = time(() => renderTree(fakeroot, overlays, context));
    const [json, mergeMs] = time(() => serializeConfig(mergeTree(base, tree, node).config));
    const treeMb = tree.reduce((sum, e) => sum + (e.kind === "file" ? e.content.length : 0), 0) / 1024 / 1024;
    const totalMs = renderMs + mergeMs;
    console.log(
      `  ${node.padEnd(9)} ${node === "master-0" ? "(compiles)" : "(compiled)"} render ${renderMs.toFixed(0)} ms + merge/serialise ${mergeMs.toFixed(0)} ms: ${tree.length} files, ${treeMb.toFixed(1)} MiB in, ${(json.length / 1024 / 1024).toFixed(1)} MiB JSON out = ${(treeMb / (totalMs / 1000)).toFixed(1)} MiB/s, ${(tree.length / (totalMs / 1000)).toFixed(0)} files/s`,
    );
  }

  // 3. Peak memory of one node, in a process of its own.
  const child = JSON.parse(execFileSync(process.execPath, ["--import", "tsx", path.join(process.cwd(), "test/bench/ignition.ts"), "--one-node", root], { encoding: "utf8" }).trim().split("\n").pop()!);
  console.log(`  peak memory reading the fakeroot + rendering and serialising master-0 (${child.jsonMiB.toFixed(1)} MiB JSON): ${child.maxRssMiB.toFixed(0)} MiB max RSS (target < 150 MiB)`);

  // Binary against text: 2,500 verbatim files of 10 KiB each way.
  const verbatim = (content: (i: number) => Buffer) =>
    Array.from({ length: 2_500 }, (_, i) => ({ kind: "file" as const, path: `/etc/bench/f${i}`, content: content(i), mode: 0o644, template: `all/etc/bench/f${i}` }));
  const text = verbatim((i) => Buffer.from(`${"keepalived vrrp ".repeat(640)}${i}`.slice(0, 10_240)));
  const binary = verbatim(() => randomBytes(10_240));
  for (const [label, tree] of [["text", text], ["binary", binary], ["text", text], ["binary", binary]] as const) {
    const [, ms] = time(() => serializeConfig(mergeTree(base, tree, "bench").config));
    console.log(`  ${label.padEnd(6)} files: 2,500 × 10 KiB merged + serialised in ${ms.toFixed(0)} ms = ${(25 / (ms / 1000)).toFixed(1)} MiB/s`);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
