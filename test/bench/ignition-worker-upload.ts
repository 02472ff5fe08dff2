// A child of test/bench/ignition.ts: `ignition-worker-upload.ts DIR OUT`, run with the worker's command line. What the
// worker's ignition-upload step does with the bootstrap config, in a process that loaded the worker's modules and
// asked its database once: the config of fakeroot DIR written to OUT (writeConfigFile, as the step spools it) and
// read back as the upload's streamed body is. Prints its peak RSS and CPU time as JSON.
import { createReadStream } from "node:fs";
import path from "node:path";
import { createDb } from "@/lib/db";
import { loadFakeroot, writeConfigFile, writeNodeConfig } from "@/lib/ignition";
import "@/lib/lifecycle/worker";
import { demoRenderInput } from "@/test/unit/ignition/helpers";

async function main(dir: string, out: string): Promise<void> {
  const db = createDb(`file:${path.join(path.dirname(out), "worker.db")}`);
  await db.$queryRaw`SELECT 1`;
  const written = writeConfigFile(out, (sink) => writeNodeConfig(demoRenderInput(), "bootstrap", sink, loadFakeroot(dir)));
  for await (const piece of createReadStream(out)) void piece;
  await db.$disconnect();
  const { maxRSS, userCPUTime, systemCPUTime } = process.resourceUsage();
  console.log(JSON.stringify({ maxRssMiB: maxRSS / 1024, cpuSeconds: (userCPUTime + systemCPUTime) / 1e6, jsonMiB: written.bytes / (1024 * 1024), sha512: written.sha512 }));
}

void main(process.argv[2], process.argv[3]);
