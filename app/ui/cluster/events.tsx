"use client";

import type { ClusterView } from "@/lib/data";
import { DataTable } from "../data-table";
import { StatusLabel } from "../status-label";
import { clockTime } from "./time";

/** The newest events of the cluster's operations. */
export function EventList({ events }: { events: ClusterView["events"] }) {
  return (
    <DataTable
      label="Events"
      testId="events"
      columns={["Time (UTC)", "Level", "Step", "Message"]}
      rows={events.slice(0, 50).map((e, i) => ({ key: `${e.at}-${i}`, cells: [clockTime(e.at), <StatusLabel key="l" status={e.level} />, e.step, e.message] }))}
    />
  );
}
