import Link from "@/app/ui/link";
import type { ProjectSummary } from "@/lib/data";
import { DataTable } from "./data-table";
import { fit } from "./columns";
import { counted, listed } from "./words";

/** Past this many, a row names the leads and counts the members (the project's page lists them all). */
const NAMED_MEMBERS = 6;

/** "alice (lead), bob (member)" (as lib/data orders them); a larger team: "lena and omar (leads), 21 members". */
function membersText(members: ProjectSummary["members"]): string {
  if (members.length === 0) return "—";
  if (members.length <= NAMED_MEMBERS) return members.map((m) => `${m.username} (${m.role})`).join(", ");
  const leads = members.filter((m) => m.role === "lead").map((m) => m.username);
  const others = counted(members.length - leads.length, "member");
  return leads.length ? `${listed(leads, "and")} (${leads.length === 1 ? "lead" : "leads"}), ${others}` : others;
}

/** The projects list (Admin page and Projects page): name linking to the project's page, binding, members, clusters. */
export function ProjectsTable({ projects, testId, empty }: { projects: ProjectSummary[]; testId: string; empty?: string }) {
  return (
    <DataTable
      label="Projects"
      testId={testId}
      columns={[fit("Project"), fit("OpenStack project"), "Members", fit("Clusters")]}
      empty={empty}
      rows={projects.map((p) => ({
        key: p.id,
        cells: [
          <Link key="p" href={`/projects/${p.id}`}>
            {p.name}
          </Link>,
          p.openstackProjectId ?? "—",
          membersText(p.members),
          p.clusterCount,
        ],
      }))}
    />
  );
}
