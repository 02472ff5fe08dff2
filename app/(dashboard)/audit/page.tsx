import { Heading } from "@/app/ui/title";
import { DataTable } from "@/app/ui/data-table";
import { StatusLabel } from "@/app/ui/status-label";
import { Pager } from "@/app/ui/pager";
import { auditLog, orNotFound } from "@/lib/data";

export const dynamic = "force-dynamic";

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const view = await orNotFound(auditLog(await searchParams));
  const filter = view.filters;
  return (
    <>
      <Heading>Audit log</Heading>
      <form method="get" className="card" style={{ display: "flex", flexWrap: "wrap", gap: "0.6rem", alignItems: "end" }} data-testid="audit-filters">
        <label>
          Actor (exact)
          <input name="actor" defaultValue={filter.actor} />
        </label>
        <label>
          Action (exact)
          <input name="action" defaultValue={filter.action} placeholder="e.g. cloud.register" />
        </label>
        <label>
          Target (a prefix)
          <input name="target" defaultValue={filter.target} />
        </label>
        <label>
          Outcome
          <select name="outcome" defaultValue={filter.outcome ?? ""}>
            <option value="">any</option>
            <option>succeeded</option>
            <option>failed</option>
            <option>denied</option>
            <option>allowed</option>
          </select>
        </label>
        <label>
          Project
          <select name="projectId" defaultValue={filter.projectId ?? ""}>
            <option value="">any</option>
            {view.projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="date" name="from" defaultValue={filter.from} />
        </label>
        <label>
          To
          <input type="date" name="to" defaultValue={filter.to} />
        </label>
        <input type="hidden" name="size" value={view.size} />
        <button type="submit">Filter</button>
      </form>
      <DataTable
        label="Audit log"
        testId="audit"
        columns={["Time (UTC)", "Actor", "Action", "Target", "Outcome", "Project", "Source", "Detail"]}
        empty="No entries match."
        rows={view.rows.map((r) => ({
          key: r.id,
          cells: [r.at.replace("T", " ").slice(0, 19), r.actor, r.action, r.target, <StatusLabel key="o" status={r.outcome} />, r.project ?? "—", r.source ?? "—", r.detail ?? ""],
        }))}
      />
      <Pager info={view} testId="audit-pager" />
    </>
  );
}
