import { sleep } from "@/lib/util/sleep";
import {
  bootstrapEndpoints,
  clusterApiHosts,
  KUBECONFIG_SERVER,
  kubeApiServerProblem,
  parseKubeconfig,
  waitForBootstrapComplete,
  type BootstrapEndpoint,
} from "../bootstrap-complete";
import { TerminalError } from "../engine";
import { clusterStep } from "./common";

const MINUTE = 60_000;

/**
 * Waits until the installer's kubeconfig shows kube-system/bootstrap complete — asked of the masters directly and
 * watched (bootstrap-complete.ts) — or a lead marks it by hand (looked for every bootstrapPollMs).
 */
export const waitBootstrapComplete = clusterStep("wait-bootstrap-complete", { timeoutMs: 90 * MINUTE, maxAttempts: 1 }, async (ctx, io) => {
  const access = ctx.kubeconfig ? parseKubeconfig(ctx.kubeconfig) : undefined;
  if (!access) await io.event("warning", "no kubeconfig was given: waiting for an operator to mark bootstrap complete");
  const refused = access && kubeApiServerProblem(access.server, clusterApiHosts(ctx.spec, ctx.plan));
  if (refused) throw new TerminalError(refused);
  const stop = new AbortController();
  const abort = () => stop.abort(io.signal.reason);
  io.signal.addEventListener("abort", abort, { once: true });
  let observed: BootstrapEndpoint | null = null;
  let lastDetail = "";
  const details: string[] = [];
  const endpoints = access ? bootstrapEndpoints(ctx.spec, access).filter((e) => ctx.tuning.bootstrapViaNodes || e.label === KUBECONFIG_SERVER) : [];
  const watching = access
    ? waitForBootstrapComplete(access, endpoints, { signal: stop.signal, onDetail: (d) => void details.push(d), retryMs: ctx.tuning.bootstrapPollMs }).then(
        (endpoint) => void (observed = endpoint),
        () => undefined, // aborted: the step ends anyway
      )
    : null;
  try {
    for (;;) {
      for (const detail of details.splice(0)) if (detail !== lastDetail) await io.event("info", (lastDetail = detail));
      const completed = await ctx.store.bootstrapCompletion();
      if (completed) return { by: completed.by, at: completed.at.toISOString() };
      const seenBy = observed as BootstrapEndpoint | null;
      if (seenBy) {
        const at = new Date();
        await ctx.store.recordBootstrapComplete(`observed: kube-system/bootstrap status complete (${seenBy.label})`, at);
        await io.event("info", `bootstrap complete, seen by ${seenBy.label}`);
        return { by: "observed", at: at.toISOString() };
      }
      await Promise.race([sleep(ctx.tuning.bootstrapPollMs, io.signal), ...(watching ? [watching] : [])]);
    }
  } finally {
    stop.abort();
    io.signal.removeEventListener("abort", abort);
  }
});
