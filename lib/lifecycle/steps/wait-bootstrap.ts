import { sleep } from "@/lib/util/sleep";
import { clusterApiHosts, isBootstrapComplete, kubeApiServerProblem, parseKubeconfig, probeBootstrap } from "../bootstrap-complete";
import { TerminalError } from "../engine";
import { clusterStep } from "./common";

const MINUTE = 60_000;

/** Waits until the installer's kubeconfig shows kube-system/bootstrap complete, or a lead marks it by hand. */
export const waitBootstrapComplete = clusterStep("wait-bootstrap-complete", { timeoutMs: 90 * MINUTE, maxAttempts: 1 }, async (ctx, io) => {
  const access = ctx.kubeconfig ? parseKubeconfig(ctx.kubeconfig) : undefined;
  if (!access) await io.event("warning", "no kubeconfig was given: waiting for an operator to mark bootstrap complete");
  const refused = access && kubeApiServerProblem(access.server, clusterApiHosts(ctx.spec, ctx.plan));
  if (refused) throw new TerminalError(refused);
  let lastDetail = "";
  for (;;) {
    const completed = await ctx.store.bootstrapCompletion();
    if (completed) return { by: completed.by, at: completed.at.toISOString() };
    if (access) {
      const probe = await probeBootstrap(access, io.signal);
      if (probe.detail !== lastDetail) await io.event("info", probe.detail);
      lastDetail = probe.detail;
      if (isBootstrapComplete(probe)) {
        const at = new Date();
        await ctx.store.recordBootstrapComplete("observed: kube-system/bootstrap status complete", at);
        return { by: "observed", at: at.toISOString() };
      }
    }
    await sleep(ctx.tuning.bootstrapPollMs, io.signal);
  }
});
