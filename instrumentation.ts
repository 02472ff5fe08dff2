// Next.js calls register() once per server process: the dashboard runs the lifecycle worker in-process unless
// TRIPOD_WORKER=off (then run `tsx lib/cli/worker.ts` separately).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.TRIPOD_WORKER === "off") return;
  const { prisma } = await import("@/lib/db");
  const { startWorker, workerSettingsFromEnv } = await import("@/lib/lifecycle/worker");
  const stop = new AbortController();
  process.once("SIGTERM", () => stop.abort(new Error("SIGTERM")));
  void startWorker(prisma, workerSettingsFromEnv(), stop.signal);
}
