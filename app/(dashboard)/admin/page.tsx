import { Heading } from "@/app/ui/title";
import Link from "next/link";
import { ActionForm } from "@/app/ui/action-form";
import { DataTable } from "@/app/ui/data-table";
import { Pager } from "@/app/ui/pager";
import { ProjectsTable } from "@/app/ui/projects-table";
import { administration, orNotFound, PASSWORD_RULES } from "@/lib/data";
import { createProjectAction, createUserAction, resetPasswordAction, setUserDisabledAction, setUserRoleAction, signInDomainsAction } from "./actions";

export const dynamic = "force-dynamic";

const ROLES = ["member", "lead", "admin"];

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** `users.page=2` → { page: "2" } for the list with that prefix. */
function prefixed(params: Record<string, string | string[] | undefined>, prefix: string) {
  return Object.fromEntries(Object.entries(params).flatMap(([k, v]) => (k.startsWith(prefix) ? [[k.slice(prefix.length), v]] : [])));
}

export default async function AdminPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const { users, projects, clouds } = await orNotFound(administration({ users: prefixed(params, "users."), projects: prefixed(params, "projects.") }));
  return (
    <>
      <Heading>Administration</Heading>
      <p>
        <Link href="/audit">Audit log</Link>
      </p>
      <div className="cols">
        <ActionForm action={createUserAction} submit="Create user" testId="create-user">
          <Heading level={2}>New user</Heading>
          <label>
            User name
            <input name="username" autoComplete="off" required />
          </label>
          <label>
            Password
            <input name="password" type="password" autoComplete="new-password" required />
          </label>
          <small className="empty">{PASSWORD_RULES}</small>
          <label>
            Global role
            <select name="role" defaultValue="member">
              {ROLES.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
        </ActionForm>
        <ActionForm action={createProjectAction} submit="Create project" testId="create-project">
          <Heading level={2}>New project</Heading>
          <label>
            Project name
            <input name="name" autoComplete="off" required />
          </label>
          <label>
            OpenStack project id (optional: set when its first cloud is registered)
            <input name="openstackProjectId" autoComplete="off" />
          </label>
        </ActionForm>
      </div>
      <Heading level={2}>Users</Heading>
      <DataTable
        label="Users"
        testId="users"
        columns={["User", "Role", "Projects", "Status", "Change"]}
        rows={users.rows.map((u) => ({
          key: u.id,
          testId: `user-${u.username}`,
          cells: [
            u.username,
            u.role,
            u.projects.join(", ") || "—",
            `${u.disabled ? "disabled" : "enabled"}${u.source === "keystone" ? " (Keystone)" : ""}`,
            <div key="change">
              <ActionForm inline action={setUserRoleAction} submit="Set role" testId={`role-${u.username}`}>
                <input type="hidden" name="userId" value={u.id} />
                <select name="role" defaultValue={u.role} aria-label={`Role of ${u.username}`}>
                  {ROLES.map((r) => (
                    <option key={r}>{r}</option>
                  ))}
                </select>
              </ActionForm>
              <ActionForm inline action={setUserDisabledAction} submit={u.disabled ? "Enable" : "Disable"} testId={`disable-${u.username}`}>
                <input type="hidden" name="userId" value={u.id} />
                <input type="hidden" name="disabled" value={u.disabled ? "false" : "true"} />
              </ActionForm>
              {u.source === "local" && (
                <ActionForm inline action={resetPasswordAction} submit="Reset password" testId={`reset-${u.username}`}>
                  <input type="hidden" name="userId" value={u.id} />
                  <input name="password" type="password" autoComplete="new-password" aria-label={`New password for ${u.username}`} placeholder="new password" />
                </ActionForm>
              )}
            </div>,
          ],
        }))}
      />
      <Pager info={users} prefix="users." />
      <Heading level={2}>Projects</Heading>
      <ProjectsTable projects={projects.rows} testId="projects" />
      <Pager info={projects} prefix="projects." />
      <Heading level={2}>Keystone sign-in</Heading>
      <p className="empty">
        Users of the listed Keystone domains sign in with their Keystone user name and password, checked by that cloud&apos;s Keystone; they become
        members of the Tripod projects whose OpenStack project id they hold a role in.
      </p>
      <DataTable
        label="Keystone sign-in"
        testId="sign-in-clouds"
        columns={["Cloud", "Project", "Keystone", "Domains that may sign in"]}
        empty="No cloud is registered yet."
        rows={clouds.map((c) => ({
          key: c.id,
          cells: [
            c.name,
            c.project,
            c.authUrl,
            <ActionForm key="d" inline action={signInDomainsAction} submit="Save" testId={`sign-in-${c.project}-${c.name}`}>
              <input type="hidden" name="cloudId" value={c.id} />
              <input name="domains" defaultValue={c.signInDomains ?? ""} aria-label={`Sign-in domains of ${c.name}`} placeholder="e.g. Default, tenants" />
            </ActionForm>,
          ],
        }))}
      />
    </>
  );
}
