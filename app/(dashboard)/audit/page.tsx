import { Heading } from "@/app/ui/title";
import { DataTable } from "@/app/ui/data-table";
import { fit } from "@/app/ui/columns";
import { StatusLabel } from "@/app/ui/status-label";
import { Pager } from "@/app/ui/pager";
import { AuditFilters } from "@/app/ui/audit-filters";
import { dateTime } from "@/app/ui/time-text";
import { auditLog, orNotFound, withoutRefusedFilters } from "@/lib/data";
import { RefusedFilters } from "@/app/ui/page-parts";
import { redirectPastLastPage } from "@/app/ui/last-page";

export const dynamic = "force-dynamic";

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = await searchParams;
  const { view, refused } = await orNotFound(withoutRefusedFilters(query, auditLog));
  redirectPastLastPage("/audit", query, { info: view });
  const filter = view.filters;
  return (
    <>
      <Heading>Audit log</Heading>
      <RefusedFilters refused={refused} />
      <AuditFilters filter={filter} projects={view.projects} size={view.size} />
      <DataTable
        label="Audit log"
        testId="audit"
        columns={[fit("Time (UTC)"), fit("Actor"), fit("Action"), "Target", fit("Outcome"), fit("Project"), fit("Source"), "Detail"]}
        empty="No entries match."
        rows={view.rows.map((r) => ({
          key: r.id,
          cells: [dateTime(r.at), r.actor, r.action, r.target, <StatusLabel key="o" status={r.outcome} />, r.project ?? "—", r.source ?? "—", r.detail ?? ""],
        }))}
      />
      <Pager info={view} testId="audit-pager" />
    </>
  );
}
