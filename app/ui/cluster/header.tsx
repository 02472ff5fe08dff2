"use client";

import { Alert, Button, Flex, Title } from "@patternfly/react-core";
import { isActiveOperation } from "@/lib/domain";
import type { ActionState, ClusterView } from "@/lib/data";
import { useRouter } from "next/navigation";
import { deleteDraftAction, markBootstrapCompleteAction, operationAction, startOperationAction } from "@/app/(dashboard)/clusters/actions";
import { cloneClusterAction } from "@/app/(dashboard)/clusters/new/actions";
import { StatusLabel } from "../status-label";

/** The cluster's name and status, what it is made of, and the actions the viewer may take now. */
export function ClusterHeader({ view, pending, run, message }: { view: ClusterView; pending: boolean; run: (act: () => Promise<ActionState>) => void; message?: string }) {
  const active = view.operations.find((o) => isActiveOperation(o.status));
  const last = view.operations[0];
  const router = useRouter();
  return (
    <>
      <Title headingLevel="h1">
        {view.name} <StatusLabel status={view.status} testId="cluster-status" />
      </Title>
      <p className="empty">
        project {view.project} · cloud {view.cloud} · infra id <code>{view.infraId}</code> · created by {view.createdBy} · VRRP router ids API{" "}
        {view.vrrp.apiId} / Ingress {view.vrrp.ingressId}
        {view.bootstrapCompleted && ` · bootstrap complete (${view.bootstrapCompleted.by})`}
      </p>
      {view.ingestWarning && <Alert variant="warning" isInline isPlain title={view.ingestWarning} data-testid="ingest-warning" />}
      <Flex spaceItems={{ default: "spaceItemsSm" }} style={{ margin: "0.75rem 0" }}>
        {view.status === "draft" && !last && view.can.edit && (
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
        {view.status === "draft" && !last && view.can.edit && (
          <Button variant="link" isDanger isDisabled={pending} onClick={() => run(() => deleteDraftAction(view.id))}>
            Delete draft
          </Button>
        )}
        {!active && last && ["failed", "cancelled"].includes(last.status) && (
          <Button variant="primary" isDisabled={pending} onClick={() => run(() => operationAction(view.id, last.id, "retry"))}>
            Retry {last.kind}
          </Button>
        )}
        {active?.kind === "create" && !view.bootstrapCompleted && view.can.approve && (
          <Button variant="secondary" isDisabled={pending} onClick={() => run(() => markBootstrapCompleteAction(view.id))}>
            Mark bootstrap complete
          </Button>
        )}
        {active && !active.cancelRequested && (
          <Button variant="warning" isDisabled={pending} onClick={() => run(() => operationAction(view.id, active.id, "cancel"))}>
            Cancel {active.kind}
          </Button>
        )}
        {!active && view.status !== "deleted" && view.status !== "draft" && view.can.teardown && (
          <Button variant="danger" isDisabled={pending} onClick={() => run(() => startOperationAction(view.id, "teardown"))}>
            Tear down
          </Button>
        )}
      </Flex>
      {message && (
        <p role="status" data-testid="action-message">
          {message}
        </p>
      )}
    </>
  );
}
