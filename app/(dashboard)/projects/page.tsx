import { Heading } from "@/app/ui/title";
import { ProjectsTable } from "@/app/ui/projects-table";
import { projectList } from "@/lib/data";

export const dynamic = "force-dynamic";

export default async function ProjectsPage() {
  const projects = await projectList();
  return (
    <>
      <Heading>Projects</Heading>
      <ProjectsTable projects={projects} testId="project-list" empty="You are not a member of any project yet; an administrator or a project lead adds you." />
    </>
  );
}
