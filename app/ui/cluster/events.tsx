"use client";

import { Flex, FormSelect, FormSelectOption, Pagination } from "@patternfly/react-core";
import { useState } from "react";
import type { ClusterView } from "@/lib/data";
import { DataTable } from "../data-table";
import { StatusLabel } from "../status-label";
import { clockTime } from "./time";

const PER_PAGE = 20;

/** The cluster's newest events, filterable by step and level, a page at a time (the full log is a download). */
export function EventList({ events }: { events: ClusterView["events"] }) {
  const [step, setStep] = useState("");
  const [level, setLevel] = useState("");
  const [page, setPage] = useState(1);
  const steps = [...new Set(events.map((e) => e.step).filter((s): s is string => !!s))].sort();
  const shown = events.filter((e) => (!step || e.step === step) && (!level || e.level === level));
  const pageRows = shown.slice((page - 1) * PER_PAGE, page * PER_PAGE);
  return (
    <>
      <Flex spaceItems={{ default: "spaceItemsMd" }} alignItems={{ default: "alignItemsCenter" }}>
        <div style={{ width: "14rem" }}>
        <FormSelect
          aria-label="Filter events by step"
          value={step}
          onChange={(_e, v) => {
            setStep(v);
            setPage(1);
          }}
        >
          <FormSelectOption value="" label="All steps" />
          {steps.map((s) => (
            <FormSelectOption key={s} value={s} label={s} />
          ))}
        </FormSelect>
        </div>
        <div style={{ width: "10rem" }}>
        <FormSelect
          aria-label="Filter events by level"
          value={level}
          onChange={(_e, v) => {
            setLevel(v);
            setPage(1);
          }}
        >
          <FormSelectOption value="" label="All levels" />
          {["info", "warning", "error"].map((l) => (
            <FormSelectOption key={l} value={l} label={l} />
          ))}
        </FormSelect>
        </div>
        <Pagination itemCount={shown.length} perPage={PER_PAGE} page={page} onSetPage={(_e, p) => setPage(p)} isCompact perPageOptions={[]} aria-label="Event pages" />
      </Flex>
      <DataTable
        label="Events"
        testId="events"
        columns={["Time (UTC)", "Level", "Step", "Message"]}
        empty={<span className="empty">No events{step || level ? " match the filter" : ""}.</span>}
        rows={pageRows.map((e, i) => ({ key: `${e.at}-${i}`, cells: [clockTime(e.at), <StatusLabel key="l" status={e.level} />, e.step, e.message] }))}
      />
    </>
  );
}
