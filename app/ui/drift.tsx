"use client";

import { Button, Flex } from "@patternfly/react-core";
import { useState, useTransition } from "react";
import type { ActionState, DriftRow, DriftView } from "@/lib/data";
import { reconcileNowAction, sweepOrphansAction } from "@/app/(dashboard)/oversight/actions";
import { DataTable } from "./data-table";
import { fit } from "./columns";
import { StatusLabel } from "./status-label";
import { secondsText } from "./time-text";
import { counted } from "./words";
import { ConfirmButton } from "./cluster/confirm";

/** What the reconciler found in the cloud that differs from Tripod's records, compact, with its age. */
export function DriftTable({ rows, showCluster = false }: { rows: DriftRow[]; showCluster?: boolean }) {
  return (
    <DataTable
      label="Drift and orphans"
      testId="drift"
      empty="The last reconcile found the cloud as Tripod recorded it."
      columns={[...(showCluster ? [fit("Cloud"), fit("Cluster")] : []), fit("Finding"), "Resource", "Detail", fit("Age")]}
      rows={rows.map((r) => ({
        key: r.id,
        testId: `drift-${r.kind}`,
        cells: [
          ...(showCluster ? [r.cloud, r.cluster ?? "—"] : []),
          <StatusLabel key="k" status={r.kind === "orphan" || r.kind === "missing" ? "warning" : "degraded"} text={r.kindLabel} />,
          <span key="r">
            {r.resource} {r.name} {r.openstackId && <code>{r.openstackId}</code>}
          </span>,
          r.detail,
          secondsText(r.ageSeconds),
        ],
      }))}
    />
  );
}

/** Per cloud: check now, and (leads, admins) sweep the orphans with the teardown's reapers. */
export function DriftControls({ clouds }: { clouds: DriftView["clouds"] }) {
  const [message, setMessage] = useState<string | undefined>();
  const [pending, startTransition] = useTransition();
  const run = (act: () => Promise<ActionState>) => startTransition(async () => setMessage((await act()).message));
  return (
    <>
      {clouds.map((c) => (
        <Flex key={c.id} spaceItems={{ default: "spaceItemsSm" }} alignItems={{ default: "alignItemsCenter" }} style={{ margin: "0.5rem 0" }} data-testid={`drift-cloud-${c.project}-${c.name}`}>
          <span>
            cloud {c.name} (project {c.project}): {counted(c.orphans, "orphan")}
          </span>
          <Button variant="secondary" size="sm" isDisabled={pending} onClick={() => run(() => reconcileNowAction(c.id))}>
            Check now
          </Button>
          {c.canSweep && c.orphans > 0 && (
            <ConfirmButton
              label="Sweep orphans"
              variant="danger"
              title={`Delete ${counted(c.orphans, "orphan")} in cloud ${c.name}?`}
              confirmLabel="Sweep orphans"
              size="sm"
              disabled={pending}
              onConfirm={() => run(() => sweepOrphansAction(c.id))}
            >
              <p>
                The resources listed as orphans below are deleted from the cloud: tagged for a cluster Tripod does not know or has deleted, or named the way Tripod names
                and owned by no cluster. A fresh check decides first, so only what is an orphan then is deleted; each deletion goes to the audit log. This cannot be undone.
              </p>
            </ConfirmButton>
          )}
        </Flex>
      ))}
      {message && <p role="status">{message}</p>}
    </>
  );
}
