import { administration, orNotFound } from "@/lib/data";

export const dynamic = "force-dynamic";

export default async function AdminPage() {
  const { users, projects } = await orNotFound(administration());
  return (
    <>
      <h1>Administration</h1>
      <h2>Users</h2>
      <table data-testid="users">
        <thead>
          <tr>
            <th>User</th>
            <th>Role</th>
            <th>Projects</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>{u.username}</td>
              <td>{u.role}</td>
              <td>{u.projects.join(", ") || "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Projects</h2>
      <table data-testid="projects">
        <thead>
          <tr>
            <th>Project</th>
            <th>OpenStack project</th>
            <th>Members</th>
            <th>Clusters</th>
          </tr>
        </thead>
        <tbody>
          {projects.map((p) => (
            <tr key={p.id}>
              <td>{p.name}</td>
              <td>{p.openstackProjectId ?? "—"}</td>
              <td>{p.members.map((m) => `${m.username} (${m.role})`).join(", ") || "—"}</td>
              <td>{p.clusterCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
