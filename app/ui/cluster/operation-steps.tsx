"use client";

import { Alert, Card, CardBody, CardTitle, Progress } from "@patternfly/react-core";
import type { OperationView } from "@/lib/data";
import { DataTable } from "../data-table";
import { fit } from "../columns";
import { StatusLabel } from "../status-label";
import { useNow } from "./time";
import { duration } from "../time-text";

/**
 * One operation: who asked for it, its progress, and every step with attempts, API calls and time. With
 * `preflightShown`, the preflight's long refusal is left to the checklist above instead of repeated here.
 */
export function OperationSteps({ op, preflightShown = false }: { op: OperationView; preflightShown?: boolean }) {
  const now = useNow();
  const done = op.steps.filter((s) => s.status === "succeeded").length;
  return (
    <Card data-testid={`operation-${op.kind}`} isCompact>
      <CardTitle>
        {op.kind} <StatusLabel status={op.status} testId="operation-status" />{" "}
        <small className="empty">
          requested by {op.requestedBy}
          {op.approvedBy ? `, approved by ${op.approvedBy}` : ""} · {done}/{op.steps.length} steps
        </small>
      </CardTitle>
      <CardBody>
        <Progress value={done} max={op.steps.length} aria-label={`${op.kind} progress`} measureLocation="none" />
        {op.error && !preflightShown && <Alert variant="danger" isInline isPlain component="p" title={op.error} />}
        <DataTable
          label={`Steps of the ${op.kind} operation`}
          columns={[fit("Step"), "Status", fit("Attempt"), fit("API calls"), fit("Time")]}
          rows={op.steps.map((s) => ({
            key: s.name,
            testId: `step-${s.name}`,
            cells: [
              s.name,
              <>
                <StatusLabel status={s.status} />
                {s.error && !(preflightShown && s.name === "preflight") && <div className="field-error">{s.error}</div>}
              </>,
              s.attempt || "",
              s.apiCalls || "",
              duration(s.startedAt, s.finishedAt, now),
            ],
          }))}
        />
      </CardBody>
    </Card>
  );
}
