import Link from "next/link";
import { Heading } from "@/app/ui/title";
import { DataTable } from "@/app/ui/data-table";
import { projectList } from "@/lib/data";

export const dynamic = "force-dynamic";

export default async function ProjectsPage() {
  const projects = await projectList();
  return (
    <>
      <Heading>Projects</Heading>
      <DataTable
        label="Projects"
        testId="project-list"
        columns={["Project", "OpenStack project", "Members", "Clusters"]}
        empty="You are not a member of any project yet; an administrator or a project lead adds you."
        rows={projects.map((p) => ({
          key: p.id,
          cells: [
            <Link key="p" href={`/projects/${p.id}`}>
              {p.name}
            </Link>,
            p.openstackProjectId ?? "—",
            p.members.length,
            p.clusterCount,
          ],
        }))}
      />
    </>
  );
}
