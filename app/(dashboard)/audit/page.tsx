import { Heading } from "@/app/ui/title";
import { DataTable } from "@/app/ui/data-table";
import { StatusLabel } from "@/app/ui/status-label";
import { auditLog, orNotFound, type AuditFilter } from "@/lib/data";

export const dynamic = "force-dynamic";

const FILTERS = ["actor", "action", "target", "outcome", "projectId", "from", "to"] as const;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const filter: AuditFilter = Object.fromEntries(FILTERS.map((k) => [k, typeof params[k] === "string" ? params[k] : undefined]));
  const view = await orNotFound(auditLog(filter));
  return (
    <>
      <Heading>Audit log</Heading>
      <form method="get" className="card" style={{ display: "flex", flexWrap: "wrap", gap: "0.6rem", alignItems: "end" }} data-testid="audit-filters">
        <label>
          Actor
          <input name="actor" defaultValue={filter.actor} />
        </label>
        <label>
          Action
          <input name="action" defaultValue={filter.action} placeholder="e.g. cloud., sign-in" />
        </label>
        <label>
          Target
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
        <button type="submit">Filter</button>
      </form>
      <p className="empty">The newest {view.limit} entries that match.</p>
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
    </>
  );
}
