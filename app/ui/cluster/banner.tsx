"use client";

import { Alert, type AlertProps } from "@patternfly/react-core";
import type { ReactNode } from "react";
import { isActiveOperation, RESOURCE_KIND_NOUNS, RESOURCE_KINDS, STEP_NAMES, type OperationKind, type ResourceKind } from "@/lib/domain";
import type { ClusterCloud, ClusterView } from "@/lib/data";
import { dateTime } from "../time-text";
import { alertTitle } from "../title";
import { listedNames, shownStatus } from "./listing";
import { counted, listed } from "../words";

interface Banner {
  variant: AlertProps["variant"];
  title: string;
  body?: ReactNode;
}

/**
 * What still exists, in words: ports, servers and security groups from the cloud's listing when there is one, the
 * rest (and everything while the cloud is not read) from Tripod's ledger.
 */
function whatExists(view: ClusterView, cloud: ClusterCloud | undefined): string {
  const names = listedNames(cloud);
  const ports =
    cloud && names
      ? cloud.rows.flatMap((r) => Object.values(r.cells)).filter((c) => c && c.neutronStatus !== null).length
      : view.ports.flatMap((r) => Object.values(r.cells)).filter((c) => c?.status === "present").length + view.vipPorts.filter((p) => p.status === "present").length;
  const exists = (kind: ResourceKind) =>
    view.otherResources.filter((r) => r.kind === kind && ["present", "deleting"].includes(shownStatus(r, view.status, names))).length;
  const others = RESOURCE_KINDS.filter((kind) => kind !== "server" && kind !== "port" && kind !== "vip-port").map((kind) => [kind, exists(kind)] as const);
  const counts = ([["server", exists("server")], ["port", ports], ...others] as const).filter(([, n]) => n > 0);
  if (counts.length === 0) return "Nothing of it exists in the cloud.";
  return `Still in the cloud: ${listed(counts.map(([kind, n]) => counted(n, RESOURCE_KIND_NOUNS[kind])), "and")}.`;
}

/** The one sentence at the top: what is happening, who must act next and since when. */
export function stateBanner(view: ClusterView, cloud: ClusterCloud | undefined): Banner {
  const active = view.operations.find((o) => isActiveOperation(o.status));
  const last = view.operations[0];
  const request = view.teardownRequest;
  const ep = view.endpoints;

  if (request) {
    return {
      variant: "warning",
      title: `Teardown requested by ${request.requestedBy} at ${dateTime(request.at)} UTC: waiting for a second member of ${view.project} to approve`,
      body: <p>Anyone in the project but {request.requestedBy} may approve it; until then the cluster stays as it is.</p>,
    };
  }
  if (active) {
    const running = active.steps.find((s) => s.status === "running");
    const position = running ? STEP_NAMES[active.kind as OperationKind].indexOf(running.name as never) + 1 : 0;
    const next = running ? STEP_NAMES[active.kind as OperationKind][position] : undefined;
    if (active.status === "queued" || !running) {
      return { variant: "info", title: `${active.kind} queued at ${dateTime(active.createdAt)} UTC by ${active.requestedBy}: waiting for a worker to take it` };
    }
    if (running.name === "wait-bootstrap-complete" && !view.bootstrapCompleted) {
      return view.hasKubeconfig
        ? {
            variant: "info",
            title: `Waiting since ${dateTime(running.startedAt)} UTC for bootstrap to complete`,
            body: <p>Tripod asks the masters and the API VIP {ep?.apiVip} with the installer kubeconfig; nobody needs to act. The bootstrap server is removed afterwards.</p>,
          }
        : {
            variant: "warning",
            title: `Waiting since ${dateTime(running.startedAt)} UTC for ${view.leads.length ? listed(view.leads, "or") : "a lead of the project"} to mark bootstrap complete`,
            body: (
              <p>
                No installer kubeconfig was given, so Tripod cannot see bootstrap-complete itself. Once <code>openshift-install wait-for bootstrap-complete</code> succeeds, a lead of{" "}
                {view.project} presses <b>Mark bootstrap complete</b>. Next time, add the installer kubeconfig (<code>auth/kubeconfig</code>) when drafting and Tripod watches for it.
              </p>
            ),
          };
    }
    const verb = active.kind === "teardown" ? "Tearing down" : "Creating";
    return {
      variant: active.cancelRequested ? "warning" : "info",
      title: `${verb}: ${running.name} (step ${position} of ${active.steps.length}) since ${dateTime(running.startedAt)} UTC${active.cancelRequested ? "; cancel requested, it stops at the next safe point" : ""}`,
      body: (
        <p>
          {next ? `Next: ${next}. ` : "This is the last step. "}
          {active.kind === "teardown" && "What is being deleted shows as “deleting” until the cloud stops listing it, then as “deleted”."}
        </p>
      ),
    };
  }
  switch (view.status) {
    case "draft":
      return { variant: "info", title: "Draft: nothing exists in the cloud yet", body: <p>Check the plan below, then a member of {view.project} presses Create cluster.</p> };
    case "ready": {
      if (!ep) return { variant: "success", title: "Ready" };
      const { apiVip, ingressVip } = ep;
      const domain = `${view.name}.${ep.baseDomain}`;
      return {
        variant: "success",
        title: `Ready: API https://api.${domain}:6443 · console https://console-openshift-console.apps.${domain}`,
        body: (
          <>
            <p>
              API VIP {apiVip} · Ingress VIP {ingressVip}. Create these DNS records (A):
            </p>
            <ul data-testid="dns-records">
              <li>
                <code>api.{domain}</code> → {apiVip}
              </li>
              <li>
                <code>api-int.{domain}</code> → {apiVip}
              </li>
              <li>
                <code>*.apps.{domain}</code> → {ingressVip}
              </li>
            </ul>
          </>
        ),
      };
    }
    case "deleted": {
      const verified = view.operations.find((o) => o.kind === "teardown" && o.status === "succeeded")?.steps.find((s) => s.name === "verify-empty")?.finishedAt;
      return { variant: "success", title: `Deleted: everything removed, verified empty at ${verified ? `${dateTime(verified)} UTC` : "the end of the teardown"}` };
    }
    case "failed": {
      const cancelled = last?.status === "cancelled";
      const at = last?.steps.find((s) => s.status === "failed" || s.status === "cancelled")?.name ?? last?.steps.find((s) => s.status !== "succeeded")?.name;
      return {
        variant: cancelled ? "warning" : "danger",
        title: cancelled ? `Cancelled: the ${last?.kind} stopped at ${at ?? "its first step"}` : `Failed: the ${last?.kind ?? "operation"} stopped at ${at ?? "a step"}`,
        body: (
          <p>
            {whatExists(view, cloud)} Choose: <b>Retry {last?.kind}</b> resumes at {at ?? "the step that did not finish"} (what exists is adopted), or <b>Tear down</b> removes everything.
          </p>
        ),
      };
    }
    default:
      return { variant: "info", title: view.status };
  }
}

export function StateBanner({ view, cloud }: { view: ClusterView; cloud: ClusterCloud | undefined }) {
  const b = stateBanner(view, cloud);
  return (
    <div aria-live="polite" data-testid="state-banner" style={{ margin: "0.5rem 0 1rem" }}>
      <Alert variant={b.variant} isInline component={alertTitle(2, !!b.body)} title={b.title}>
        {b.body}
      </Alert>
    </div>
  );
}
