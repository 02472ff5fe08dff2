"use client";

import { Flex, FormSelect, FormSelectOption } from "@patternfly/react-core";
import type { ClusterView } from "@/lib/data";
import { DataTable } from "../data-table";
import { fit } from "../columns";
import { useAddressFilter } from "../pager";
import { StatusLabel } from "../status-label";
import { dateTime } from "../time-text";

/** Events of the cluster's operations, newest first (the cluster page's newest, or a page of the events page). */
export function EventList({ events }: { events: ClusterView["events"] }) {
  return (
    <DataTable
      label="Events"
      testId="events"
      columns={[fit("Time (UTC)"), fit("Level"), fit("Step"), "Message"]}
      empty={<span className="empty">No events match.</span>}
      rows={events.map((e, i) => ({ key: `${e.at}-${i}`, cells: [dateTime(e.at), <StatusLabel key="l" status={e.level} />, e.step, e.message] }))}
    />
  );
}

/** The events page's filters: step and level, in the address (the server filters; the pager keeps them). */
export function EventFilters({ steps, levels, step, level }: { steps: readonly string[]; levels: readonly string[]; step?: string; level?: string }) {
  const filter = useAddressFilter();
  return (
    <Flex spaceItems={{ default: "spaceItemsMd" }} style={{ marginBottom: "0.5rem" }}>
      <div style={{ width: "14rem" }}>
        <FormSelect aria-label="Filter events by step" value={step ?? ""} onChange={(_e, v) => filter("step", v)}>
          <FormSelectOption value="" label="All steps" />
          {steps.map((s) => (
            <FormSelectOption key={s} value={s} label={s} />
          ))}
        </FormSelect>
      </div>
      <div style={{ width: "10rem" }}>
        <FormSelect aria-label="Filter events by level" value={level ?? ""} onChange={(_e, v) => filter("level", v)}>
          <FormSelectOption value="" label="All levels" />
          {levels.map((l) => (
            <FormSelectOption key={l} value={l} label={l} />
          ))}
        </FormSelect>
      </div>
    </Flex>
  );
}
