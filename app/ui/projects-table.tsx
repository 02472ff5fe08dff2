import Link from "@/app/ui/link";
import type { ProjectSummary } from "@/lib/data";
import { DataTable } from "./data-table";
import { fit } from "./columns";

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
          p.members.map((m) => `${m.username} (${m.role})`).join(", ") || "—",
          p.clusterCount,
        ],
      }))}
    />
  );
}
