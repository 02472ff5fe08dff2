// Next.js calls register() once per server process: the dashboard runs the lifecycle worker in-process unless
// TRIPOD_WORKER=off (then run `npm run worker` separately). The Node-only code sits in its own module so the
// edge bundle never sees it. At start-up it warns when the nodes' VIP agents would report to a loopback address.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { ingestUrlFromEnv, ingestUrlWarning } = await import("@/lib/vip/ingest-url");
  const warning = ingestUrlWarning(ingestUrlFromEnv());
  if (warning) console.warn(`[tripod] warning: ${warning}`);
  if (process.env.TRIPOD_WORKER === "off") return;
  const { startDashboardWorker } = await import("@/lib/lifecycle/dashboard-worker");
  startDashboardWorker();
}
