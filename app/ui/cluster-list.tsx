"use client";

import { Checkbox, Flex, FormSelect, FormSelectOption, Progress, SearchInput } from "@patternfly/react-core";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { isActiveOperation } from "@/lib/domain";
import type { ClusterSummary } from "@/lib/data";
import { DataTable } from "./data-table";
import { StatusLabel } from "./status-label";

const REFRESH_MS = 3_000;

function age(iso: string, now: number | null): string {
  if (now === null) return new Date(iso).toISOString().slice(0, 16).replace("T", " ") + " UTC";
  const minutes = Math.max(0, Math.round((now - new Date(iso).getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return `${Math.floor(minutes / 1440)} days`;
}

/** The clusters the viewer may see: filter by text, status and project; deleted hidden unless asked; live while anything runs. */
export function ClusterList({ clusters }: { clusters: ClusterSummary[] }) {
  const router = useRouter();
  const [text, setText] = useState("");
  const [status, setStatus] = useState("");
  const [project, setProject] = useState("");
  const [showDeleted, setShowDeleted] = useState(false);
  const [now, setNow] = useState<number | null>(null);
  const running = clusters.some((c) => c.operation && isActiveOperation(c.operation.status));

  useEffect(() => {
    setNow(Date.now());
    if (!running) return;
    const timer = setInterval(() => {
      router.refresh();
      setNow(Date.now());
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [running, router]);

  const statuses = [...new Set(clusters.map((c) => c.status))].sort();
  const projects = [...new Set(clusters.map((c) => c.project))].sort();
  const needle = text.trim().toLowerCase();
  const shown = clusters.filter(
    (c) =>
      (showDeleted || status === "deleted" || c.status !== "deleted") &&
      (!status || c.status === status) &&
      (!project || c.project === project) &&
      (!needle || [c.name, c.project, c.createdBy].some((x) => x.toLowerCase().includes(needle))),
  );
  const hiddenDeleted = clusters.filter((c) => c.status === "deleted").length;
  return (
    <>
      <Flex spaceItems={{ default: "spaceItemsMd" }} alignItems={{ default: "alignItemsCenter" }} style={{ marginBottom: "0.5rem" }}>
        <div style={{ width: "16rem" }}>
          <SearchInput aria-label="Filter clusters by name, project or owner" placeholder="Name, project or owner" value={text} onChange={(_e, v) => setText(v)} onClear={() => setText("")} />
        </div>
        <div style={{ width: "10rem" }}>
        <FormSelect aria-label="Filter by status" value={status} onChange={(_e, v) => setStatus(v)}>
          <FormSelectOption value="" label="Any status" />
          {statuses.map((s) => (
            <FormSelectOption key={s} value={s} label={s} />
          ))}
        </FormSelect>
        </div>
        <div style={{ width: "10rem" }}>
        <FormSelect aria-label="Filter by project" value={project} onChange={(_e, v) => setProject(v)}>
          <FormSelectOption value="" label="Any project" />
          {projects.map((p) => (
            <FormSelectOption key={p} value={p} label={p} />
          ))}
        </FormSelect>
        </div>
        <Checkbox id="show-deleted" label={`Show deleted (${hiddenDeleted})`} isChecked={showDeleted} onChange={(_e, v) => setShowDeleted(v)} />
      </Flex>
      <p className="empty" aria-live="polite">
        {running ? "Refreshing every few seconds while an operation runs." : ""}
      </p>
      <DataTable
        label="Clusters"
        testId="clusters"
        columns={["Name", "Project", "Status", "Current step", "Age", "Owner"]}
        empty={<span className="empty">No cluster matches the filter.</span>}
        rows={shown.map((c) => ({
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
    </>
  );
}
