import { Heading } from "@/app/ui/title";
import { ActionForm } from "@/app/ui/action-form";
import { DataTable } from "@/app/ui/data-table";
import { orNotFound, projectDetail } from "@/lib/data";
import { addMemberAction, cloudAction, projectSettingsAction, removeCloudAction, removeMemberAction, rotateCloudAction, setMemberRoleAction } from "../actions";
import { CloudFields, CredentialFields } from "@/app/ui/cloud-fields";

export const dynamic = "force-dynamic";

export default async function ProjectPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const p = await orNotFound(projectDetail(id));
  return (
    <>
      <Heading>Project {p.name}</Heading>
      <p className="empty">OpenStack project: {p.openstackProjectId ?? "not bound yet (set when its first cloud is registered)"}</p>
      <Heading level={2}>Members</Heading>
      <DataTable
        label="Members"
        testId="members"
        columns={p.may.manageMembers ? ["User", "Role", "From", "Change"] : ["User", "Role", "From"]}
        empty="No members."
        rows={p.members.map((m) => ({
          key: m.userId,
          testId: `member-${m.username}`,
          cells: [
            m.username,
            m.role,
            m.source === "keystone" ? "Keystone role" : "Tripod",
            ...(p.may.manageMembers
              ? [
                  <div key="c">
                    <ActionForm inline action={setMemberRoleAction} submit="Set role" testId={`member-role-${m.username}`}>
                      <input type="hidden" name="projectId" value={p.id} />
                      <input type="hidden" name="userId" value={m.userId} />
                      <select name="role" defaultValue={m.role} aria-label={`Project role of ${m.username}`}>
                        <option>member</option>
                        <option>lead</option>
                      </select>
                    </ActionForm>
                    <ActionForm inline action={removeMemberAction} submit="Remove" testId={`member-remove-${m.username}`}>
                      <input type="hidden" name="projectId" value={p.id} />
                      <input type="hidden" name="userId" value={m.userId} />
                    </ActionForm>
                  </div>,
                ]
              : []),
          ],
        }))}
      />
      {p.may.manageMembers && (
        <div className="cols">
          <ActionForm action={addMemberAction} submit="Add member" testId="add-member">
            <Heading level={3}>Add a member</Heading>
            <input type="hidden" name="projectId" value={p.id} />
            <label>
              User name
              <input name="username" autoComplete="off" required />
            </label>
            <label>
              Project role
              <select name="role" defaultValue="member">
                <option>member</option>
                <option>lead</option>
              </select>
            </label>
          </ActionForm>
          <ActionForm action={projectSettingsAction} submit="Save settings" testId="project-settings">
            <Heading level={3}>Settings</Heading>
            <input type="hidden" name="projectId" value={p.id} />
            <label style={{ display: "flex", gap: "0.5rem" }}>
              <input type="checkbox" name="twoPersonTeardown" defaultChecked={p.twoPersonTeardown} />
              Two-person teardown (a second person approves every teardown)
            </label>
            {p.may.bindOpenStack && (
              <label>
                OpenStack project id (Keystone sign-in maps role assignments by it)
                <input name="openstackProjectId" defaultValue={p.openstackProjectId ?? ""} autoComplete="off" />
              </label>
            )}
          </ActionForm>
        </div>
      )}
      <Heading level={2}>Clouds</Heading>
      <DataTable
        label="Clouds"
        testId="clouds"
        columns={["Cloud", "Keystone", "Region", "Interface", "Clusters", ...(p.may.manageClouds ? ["Change"] : [])]}
        empty="No cloud registered."
        rows={p.clouds.map((c) => ({
          key: c.id,
          testId: `cloud-${c.name}`,
          cells: [
            c.name,
            c.authUrl,
            c.region ?? "—",
            c.interface,
            c.clusters,
            ...(p.may.manageClouds
              ? [
                  <div key="c">
                    <details>
                      <summary>Rotate credentials</summary>
                      <ActionForm action={rotateCloudAction} submit="Test and replace" testId={`rotate-${c.name}`}>
                        <input type="hidden" name="cloudId" value={c.id} />
                        <CredentialFields />
                      </ActionForm>
                    </details>
                    <ActionForm inline action={removeCloudAction} submit="Remove" testId={`remove-cloud-${c.name}`}>
                      <input type="hidden" name="cloudId" value={c.id} />
                    </ActionForm>
                  </div>,
                ]
              : []),
          ],
        }))}
      />
      {p.may.manageClouds && (
        <ActionForm
          action={cloudAction}
          testId="register-cloud"
          submit={
            <div style={{ display: "flex", gap: "0.5rem" }}>
              <button type="submit" name="intent" value="test">
                Test connection
              </button>
              <button type="submit" name="intent" value="register">
                Test and register
              </button>
            </div>
          }
        >
          <Heading level={3}>Register a cloud</Heading>
          <input type="hidden" name="projectId" value={p.id} />
          <CloudFields />
        </ActionForm>
      )}
    </>
  );
}
