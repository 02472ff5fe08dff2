import { Heading } from "@/app/ui/title";
import Link from "@/app/ui/link";
import { ActionForm } from "@/app/ui/action-form";
import { DataTable } from "@/app/ui/data-table";
import { fit } from "@/app/ui/columns";
import { SelectField, TextField } from "@/app/ui/form-fields";
import { Columns, Note } from "@/app/ui/page-parts";
import { Pager } from "@/app/ui/pager";
import { redirectPastLastPage } from "@/app/ui/last-page";
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
  redirectPastLastPage("/admin", params, { info: users, prefix: "users." }, { info: projects, prefix: "projects." });
  return (
    <>
      <Heading>Administration</Heading>
      <p>
        <Link href="/audit">Audit log</Link>
      </p>
      <Columns>
        <ActionForm action={createUserAction} submit="Create user" testId="create-user" title="New user">
          <TextField name="username" label="User name" isRequired />
          <TextField name="password" label="Password" type="password" autoComplete="new-password" isRequired helper={PASSWORD_RULES} />
          <SelectField name="role" label="Global role" defaultValue="member" options={ROLES} />
        </ActionForm>
        <ActionForm action={createProjectAction} submit="Create project" testId="create-project" title="New project">
          <TextField name="name" label="Project name" isRequired />
          <TextField name="openstackProjectId" label="OpenStack project id" helper="Optional: set when its first cloud is registered." />
        </ActionForm>
      </Columns>
      <Heading level={2}>Users</Heading>
      <DataTable
        label="Users"
        testId="users"
        columns={[fit("User"), fit("Role"), "Projects", fit("Status"), "Change"]}
        rows={users.rows.map((u) => ({
          key: u.id,
          testId: `user-${u.username}`,
          cells: [
            u.username,
            u.role,
            u.projects.join(", ") || "—",
            `${u.disabled ? "disabled" : "enabled"}${u.source === "keystone" ? " (Keystone)" : ""}`,
            <div key="change">
              <ActionForm inline action={setUserRoleAction} submit="Set role" testId={`role-${u.username}`} values={{ userId: u.id }}>
                <SelectField name="role" label={`Role of ${u.username}`} defaultValue={u.role} options={ROLES} />
              </ActionForm>
              <ActionForm
                inline
                action={setUserDisabledAction}
                submit={u.disabled ? "Enable" : "Disable"}
                testId={`disable-${u.username}`}
                values={{ userId: u.id, disabled: u.disabled ? "false" : "true" }}
                confirm={u.disabled ? undefined : { title: `Disable ${u.username}?`, body: `${u.username} can no longer sign in, and every session of theirs ends now.` }}
              />
              {u.source === "local" && (
                <ActionForm inline action={resetPasswordAction} submit="Reset password" testId={`reset-${u.username}`} values={{ userId: u.id }}>
                  <TextField name="password" label={`New password for ${u.username}`} type="password" autoComplete="new-password" placeholder="new password" />
                </ActionForm>
              )}
            </div>,
          ],
        }))}
      />
      <Pager info={users} prefix="users." label="Pages of users" />
      <Heading level={2}>Projects</Heading>
      <ProjectsTable projects={projects.rows} testId="projects" />
      <Pager info={projects} prefix="projects." label="Pages of projects" />
      <Heading level={2}>Keystone sign-in</Heading>
      <Note>
        Users of the listed Keystone domains sign in with their Keystone user name and password, checked by that cloud&apos;s Keystone; they become members
        of the Tripod projects whose OpenStack project id they hold a role in.
      </Note>
      <DataTable
        label="Keystone sign-in"
        testId="sign-in-clouds"
        columns={[fit("Cloud"), fit("Project"), "Keystone", "Domains that may sign in"]}
        empty="No cloud is registered yet."
        rows={clouds.map((c) => ({
          key: c.id,
          cells: [
            c.name,
            c.project,
            c.authUrl,
            <ActionForm key="d" inline action={signInDomainsAction} submit="Save" testId={`sign-in-${c.project}-${c.name}`} values={{ cloudId: c.id }}>
              <TextField name="domains" label={`Sign-in domains of ${c.name}`} defaultValue={c.signInDomains ?? ""} placeholder="e.g. Default, tenants" />
            </ActionForm>,
          ],
        }))}
      />
    </>
  );
}
