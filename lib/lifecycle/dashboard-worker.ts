import { prisma } from "@/lib/db";
import { startWorker, workerSettingsOrExit } from "./worker";

/**
 * The worker inside the dashboard's server process; it stops claiming work on SIGTERM. A setting it cannot run with
 * stops the dashboard at start, naming the variable: a dashboard without its worker would take operations that no one
 * runs.
 */
export function startDashboardWorker(): void {
  const settings = workerSettingsOrExit("tripod");
  const stop = new AbortController();
  process.once("SIGTERM", () => stop.abort(new Error("SIGTERM")));
  void startWorker(prisma, settings, stop.signal);
}
