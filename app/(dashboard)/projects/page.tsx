import { Heading } from "@/app/ui/title";
import { Pager } from "@/app/ui/pager";
import { redirectPastLastPage } from "@/app/ui/last-page";
import { ProjectsTable } from "@/app/ui/projects-table";
import { projectList } from "@/lib/data";

export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ProjectsPage({ searchParams }: { searchParams: SearchParams }) {
  const query = await searchParams;
  const projects = await projectList(query);
  redirectPastLastPage("/projects", query, { info: projects });
  return (
    <>
      <Heading>Projects</Heading>
      <ProjectsTable projects={projects.rows} testId="project-list" empty="You are not a member of any project yet; an administrator or a project lead adds you." />
      <Pager info={projects} testId="project-pager" />
    </>
  );
}
