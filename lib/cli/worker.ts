// `npm run worker` (lib/cli/worker.ts) — the lifecycle worker as its own process (the dashboard also runs one unless
// TRIPOD_WORKER=off). Stops cleanly on SIGTERM/SIGINT; a SIGKILL leaves its lease to expire and another worker
// resumes the operation at its first unfinished step.
import { createDb } from "@/lib/db";
import { startWorker, workerSettingsOrExit } from "@/lib/lifecycle/worker";
import { ingestUrlWarning } from "@/lib/vip/ingest-url";

const settings = workerSettingsOrExit("worker");
const db = createDb();
const warning = ingestUrlWarning(settings.ingestUrl);
if (warning) console.warn(`[worker] warning: ${warning}`);
const stop = new AbortController();
for (const sig of ["SIGTERM", "SIGINT"] as const) process.on(sig, () => stop.abort(new Error(sig)));
startWorker(db, settings, stop.signal)
  .then(() => db.$disconnect())
  .catch((error: unknown) => {
    console.error(`[worker] stopped: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
