import { Heading } from "@/app/ui/title";
import { administration, orNotFound } from "@/lib/data";
import { DataTable } from "@/app/ui/data-table";

export const dynamic = "force-dynamic";

export default async function AdminPage() {
  const { users, projects } = await orNotFound(administration());
  return (
    <>
      <Heading>Administration</Heading>
      <Heading level={2}>Users</Heading>
      <DataTable
        label="Users"
        testId="users"
        columns={["User", "Role", "Projects"]}
        rows={users.map((u) => ({ key: u.id, cells: [u.username, u.role, u.projects.join(", ") || "—"] }))}
      />
      <Heading level={2}>Projects</Heading>
      <DataTable
        label="Projects"
        testId="projects"
        columns={["Project", "OpenStack project", "Members", "Clusters"]}
        rows={projects.map((p) => ({
          key: p.id,
          cells: [p.name, p.openstackProjectId ?? "—", p.members.map((m) => `${m.username} (${m.role})`).join(", ") || "—", p.clusterCount],
        }))}
      />
    </>
  );
}
