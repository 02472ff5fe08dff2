import { Heading } from "@/app/ui/title";
import { auditLog, orNotFound } from "@/lib/data";
import { DataTable } from "@/app/ui/data-table";
import { Pager } from "@/app/ui/pager";

export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const log = await orNotFound(auditLog(await searchParams));
  return (
    <>
      <Heading>Audit log</Heading>
      <DataTable
        label="Audit log"
        testId="audit"
        columns={["At (UTC)", "Who", "Action", "Target", "Outcome", "Detail"]}
        rows={log.rows.map((r, i) => ({ key: `${r.at}-${i}`, cells: [r.at.replace("T", " ").slice(0, 19), r.actor, r.action, r.target, r.outcome, r.detail ?? ""] }))}
        empty="Nothing recorded."
      />
      <Pager info={log} testId="audit-pager" />
    </>
  );
}
