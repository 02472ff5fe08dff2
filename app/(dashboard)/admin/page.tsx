import { Heading } from "@/app/ui/title";
import Link from "next/link";
import { administration, orNotFound } from "@/lib/data";
import { DataTable } from "@/app/ui/data-table";
import { Pager } from "@/app/ui/pager";

export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** `users.page=2` → { page: "2" } for the list with that prefix. */
function prefixed(params: Record<string, string | string[] | undefined>, prefix: string) {
  return Object.fromEntries(Object.entries(params).flatMap(([k, v]) => (k.startsWith(prefix) ? [[k.slice(prefix.length), v]] : [])));
}

export default async function AdminPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const { users, projects } = await orNotFound(administration({ users: prefixed(params, "users."), projects: prefixed(params, "projects.") }));
  return (
    <>
      <Heading>Administration</Heading>
      <p>
        <Link href="/admin/audit">Audit log</Link>
      </p>
      <Heading level={2}>Users</Heading>
      <DataTable
        label="Users"
        testId="users"
        columns={["User", "Role", "Projects"]}
        rows={users.rows.map((u) => ({ key: u.id, cells: [u.username, u.role, u.projects.join(", ") || "—"] }))}
      />
      <Pager info={users} prefix="users." />
      <Heading level={2}>Projects</Heading>
      <DataTable
        label="Projects"
        testId="projects"
        columns={["Project", "OpenStack project", "Members", "Clusters"]}
        rows={projects.rows.map((p) => ({
          key: p.id,
          cells: [p.name, p.openstackProjectId ?? "—", p.members.map((m) => `${m.username} (${m.role})`).join(", ") || "—", p.clusterCount],
        }))}
      />
      <Pager info={projects} prefix="projects." />
    </>
  );
}
