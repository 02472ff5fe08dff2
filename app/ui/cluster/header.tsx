"use client";

import { Alert, Button, Flex, Title } from "@patternfly/react-core";
import { isActiveOperation, shownClusterStatus } from "@/lib/domain";
import type { ActionState, ClusterView } from "@/lib/data";
import { useRouter } from "next/navigation";
import {
  decideTeardownAction,
  deleteDraftAction,
  markBootstrapCompleteAction,
  operationAction,
  reopenDraftAction,
  requestTeardownAction,
  startOperationAction,
} from "@/app/(dashboard)/clusters/actions";
import { cloneClusterAction } from "@/app/(dashboard)/clusters/new/actions";
import { StatusLabel } from "../status-label";
import { ConfirmButton } from "./confirm";

/** The cluster's name and status, what it is made of, and the actions the viewer may take now. */
export function ClusterHeader({ view, pending, run, message }: { view: ClusterView; pending: boolean; run: (act: () => Promise<ActionState>) => void; message?: string }) {
  const active = view.operations.find((o) => isActiveOperation(o.status));
  const last = view.operations[0];
  const request = view.teardownRequest;
  const router = useRouter();
  return (
    <>
      <Title headingLevel="h1">
        {view.name} <StatusLabel status={shownClusterStatus(view.status, last?.status)} testId="cluster-status" />
      </Title>
      <p className="empty">
        project {view.project} · cloud {view.cloud} · infra id <code>{view.infraId}</code> · created by {view.createdBy} · VRRP router ids API{" "}
        {view.vrrp.apiId} / Ingress {view.vrrp.ingressId}
        {view.bootstrapCompleted && ` · bootstrap complete (${view.bootstrapCompleted.by})`}
        {view.twoPersonTeardown && " · two-person teardown"}
      </p>
      {view.ingestWarning && <Alert variant="warning" isInline isPlain component="p" title={view.ingestWarning} data-testid="ingest-warning" />}
      <Flex spaceItems={{ default: "spaceItemsSm" }} style={{ margin: "0.75rem 0" }}>
        {view.status === "draft" && !active && view.can.edit && (
          <Button variant="secondary" isDisabled={pending} onClick={() => router.push(`/clusters/${view.id}/edit/cluster`)}>
            Edit draft
          </Button>
        )}
        {view.can.create && (
          <Button variant="secondary" isDisabled={pending} onClick={() => run(() => cloneClusterAction(view.id))}>
            New cluster like this
          </Button>
        )}
        <Button variant="link" component="a" href={`/api/clusters/${view.id}/spec`}>
          Export spec
        </Button>
        {view.status === "draft" && view.can.create && (
          <Button variant="primary" isDisabled={pending} onClick={() => run(() => startOperationAction(view.id, "create"))}>
            Create cluster
          </Button>
        )}
        {view.status === "draft" && !active && view.can.edit && (
          <ConfirmButton label="Delete draft" variant="danger" title={`Delete the draft ${view.name}?`} confirmLabel="Delete draft" disabled={pending} onConfirm={() => run(() => deleteDraftAction(view.id))}>
            <p>Nothing of it exists in the cloud; its plan and its VRRP router ids are given back.</p>
          </ConfirmButton>
        )}
        {!active && last && view.status !== "draft" && ["failed", "cancelled"].includes(last.status) && (
          <Button variant="primary" isDisabled={pending} onClick={() => run(() => operationAction(view.id, last.id, "retry"))}>
            Retry {last.kind}
          </Button>
        )}
        {view.can.reopen && (
          <Button variant="secondary" isDisabled={pending} onClick={() => run(() => reopenDraftAction(view.id))}>
            Back to editing
          </Button>
        )}
        {active?.kind === "create" && !view.bootstrapCompleted && view.can.approve && (
          <ConfirmButton
            label="Mark bootstrap complete"
            variant="secondary"
            title="Mark bootstrap complete?"
            confirmLabel="Mark complete"
            disabled={pending}
            onConfirm={() => run(() => markBootstrapCompleteAction(view.id))}
          >
            <p>Only do this once <code>openshift-install wait-for bootstrap-complete</code> reported success: Tripod then deletes the bootstrap server. Your name is recorded.</p>
          </ConfirmButton>
        )}
        {active && !active.cancelRequested && (
          <ConfirmButton label={`Cancel ${active.kind}`} variant="warning" title={`Cancel the ${active.kind}?`} confirmLabel={`Cancel ${active.kind}`} disabled={pending} onConfirm={() => run(() => operationAction(view.id, active.id, "cancel"))}>
            <p>The operation stops at the next safe point. What it created stays until you retry or tear down.</p>
          </ConfirmButton>
        )}
        {!active && !request && view.status !== "deleted" && view.status !== "draft" && view.can.teardown && (
          <ConfirmButton
            label={view.twoPersonTeardown && view.status === "ready" ? "Request teardown" : "Tear down"}
            variant="danger"
            title={`Tear down ${view.name}?`}
            confirmLabel={view.twoPersonTeardown && view.status === "ready" ? "Request teardown" : "Tear down"}
            typeToConfirm={view.name}
            disabled={pending}
            onConfirm={() => run(() => requestTeardownAction(view.id))}
          >
            <p>
              Every server, port, security group, the server group and the Ignition container of <b>{view.name}</b> are deleted. This cannot be undone.
              {view.twoPersonTeardown && view.status === "ready" && " The project requires a second member to approve before anything is deleted."}
            </p>
          </ConfirmButton>
        )}
        {request && view.can.approveTeardown && (
          <ConfirmButton
            label="Approve teardown"
            variant="danger"
            title={`Approve the teardown of ${view.name}?`}
            confirmLabel="Approve and tear down"
            typeToConfirm={view.name}
            disabled={pending}
            onConfirm={() => run(() => decideTeardownAction(view.id, request.id, "approve"))}
          >
            <p>{request.requestedBy} asked to tear it down. Your approval deletes everything the cluster has in the cloud.</p>
          </ConfirmButton>
        )}
        {request && (request.requestedBy === view.viewer || view.can.approve) && (
          <ConfirmButton label="Withdraw teardown request" variant="secondary" title="Withdraw the teardown request?" confirmLabel="Withdraw" disabled={pending} onConfirm={() => run(() => decideTeardownAction(view.id, request.id, "withdraw"))}>
            <p>The cluster stays as it is.</p>
          </ConfirmButton>
        )}
      </Flex>
      {message && (
        <p role="status" aria-live="polite" data-testid="action-message">
          {message}
        </p>
      )}
    </>
  );
}
