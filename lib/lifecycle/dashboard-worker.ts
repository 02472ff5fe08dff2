import { prisma } from "@/lib/db";
import { startWorker, workerSettingsFromEnv } from "./worker";

/** The worker inside the dashboard's server process; it stops claiming work on SIGTERM. */
export function startDashboardWorker(): void {
  const stop = new AbortController();
  process.once("SIGTERM", () => stop.abort(new Error("SIGTERM")));
  void startWorker(prisma, workerSettingsFromEnv(), stop.signal);
}
