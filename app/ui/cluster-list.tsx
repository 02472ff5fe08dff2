"use client";

import { Checkbox, Flex, FormSelect, FormSelectOption, Progress, SearchInput } from "@patternfly/react-core";
import Link from "@/app/ui/link";
import { useState } from "react";
import { isActiveOperation, SHOWN_CLUSTER_STATUSES } from "@/lib/domain";
import type { ClusterPage } from "@/lib/data";
import { DataTable } from "./data-table";
import { fit } from "./columns";
import { Pager, useAddressFilter } from "./pager";
import { StatusLabel } from "./status-label";
import { useNow, useRefreshWhile } from "./cluster/time";
import { age } from "./time-text";
import { operationAt } from "./words";

/**
 * One page of the clusters the viewer may see, filtered on the server (name prefix, status, project; deleted ones
 * hidden unless asked): the filters live in the address like the page; the page refreshes while anything on it runs.
 */
export function ClusterList({ list }: { list: ClusterPage }) {
  const filter = useAddressFilter();
  const [text, setText] = useState(list.filters.q ?? "");
  const running = list.rows.some((c) => c.operation && isActiveOperation(c.operation.status));
  const now = useNow(10_000);
  useRefreshWhile(running);

  return (
    <>
      <Flex spaceItems={{ default: "spaceItemsMd" }} alignItems={{ default: "alignItemsCenter" }} style={{ marginBottom: "0.5rem" }}>
        <div style={{ width: "16rem" }}>
          <SearchInput
            aria-label="Filter clusters by name (prefix)"
            placeholder="Name starts with"
            value={text}
            onChange={(_e, v) => setText(v)}
            onSearch={(_e, v) => filter("q", v.trim())}
            onClear={() => {
              setText("");
              filter("q", "");
            }}
          />
        </div>
        <div style={{ width: "10rem" }}>
          <FormSelect aria-label="Filter by status" value={list.filters.status ?? ""} onChange={(_e, v) => filter("status", v)}>
            <FormSelectOption value="" label="Any status" />
            {SHOWN_CLUSTER_STATUSES.map((s) => (
              <FormSelectOption key={s} value={s} label={s} />
            ))}
          </FormSelect>
        </div>
        <div style={{ width: "10rem" }}>
          <FormSelect aria-label="Filter by project" value={list.filters.projectId ?? ""} onChange={(_e, v) => filter("projectId", v)}>
            <FormSelectOption value="" label="Any project" />
            {list.projects.map((p) => (
              <FormSelectOption key={p.id} value={p.id} label={p.name} />
            ))}
          </FormSelect>
        </div>
        <Checkbox id="show-deleted" label="Show deleted" isChecked={list.filters.deleted} onChange={(_e, v) => filter("deleted", v ? "1" : "")} />
      </Flex>
      <p className="empty" aria-live="polite">
        {running ? "Refreshing every few seconds while an operation runs." : ""}
      </p>
      <DataTable
        label="Clusters"
        testId="clusters"
        columns={[fit("Name"), fit("Project"), fit("Status"), "Current step", fit("Age"), fit("Owner")]}
        empty={<span className="empty">No cluster matches the filter.</span>}
        rows={list.rows.map((c) => ({
          key: c.id,
          cells: [
            <Link key="n" href={`/clusters/${c.id}`}>
              {c.name}
            </Link>,
            c.project,
            <StatusLabel key="s" status={c.status} />,
            c.operation && isActiveOperation(c.operation.status) ? (
              <div key="p" style={{ minWidth: "10rem" }}>
                {c.operation.kind}: {c.operation.step ?? "queued"}
                <Progress value={c.operation.done} max={c.operation.total} aria-label={`${c.name} ${c.operation.kind} progress`} measureLocation="outside" label={`${c.operation.done}/${c.operation.total}`} size="sm" />
              </div>
            ) : c.operation?.step ? (
              // an operation that failed or was cancelled: where it stopped
              operationAt(c.operation)
            ) : (
              <span key="p" className="empty">
                —
              </span>
            ),
            age(c.createdAt, now),
            c.createdBy,
          ],
        }))}
      />
      <Pager info={list} testId="clusters-pager" />
    </>
  );
}
