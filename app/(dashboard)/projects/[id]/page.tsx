import { Heading } from "@/app/ui/title";
import { ActionForm } from "@/app/ui/action-form";
import { DataTable } from "@/app/ui/data-table";
import { fit } from "@/app/ui/columns";
import { CheckboxField, SelectField, TextField } from "@/app/ui/form-fields";
import { Columns, Note } from "@/app/ui/page-parts";
import { orNotFound, projectDetail } from "@/lib/data";
import { addMemberAction, cloudAction, projectSettingsAction, removeCloudAction, removeMemberAction, rotateCloudAction, setMemberRoleAction } from "../actions";
import { CloudFields, RotateCredentials } from "@/app/ui/cloud-fields";

export const dynamic = "force-dynamic";

const PROJECT_ROLES = ["member", "lead"];

export default async function ProjectPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const p = await orNotFound(projectDetail(id));
  return (
    <>
      <Heading>Project {p.name}</Heading>
      <Note>OpenStack project: {p.openstackProjectId ?? "not bound yet (set when its first cloud is registered)"}</Note>
      <Heading level={2}>Members</Heading>
      <DataTable
        label="Members"
        testId="members"
        columns={[fit("User"), fit("Role"), fit("From"), ...(p.may.manageMembers ? ["Change"] : [])]}
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
                    <ActionForm inline action={setMemberRoleAction} submit="Set role" testId={`member-role-${m.username}`} values={{ projectId: p.id, userId: m.userId }}>
                      <SelectField name="role" label={`Project role of ${m.username}`} defaultValue={m.role} options={PROJECT_ROLES} />
                    </ActionForm>
                    <ActionForm
                      inline
                      action={removeMemberAction}
                      submit="Remove"
                      testId={`member-remove-${m.username}`}
                      values={{ projectId: p.id, userId: m.userId }}
                      confirm={{ title: `Remove ${m.username} from ${p.name}?`, body: `${m.username} will no longer be a member of ${p.name}.` }}
                    />
                  </div>,
                ]
              : []),
          ],
        }))}
      />
      {p.may.manageMembers && (
        <Columns>
          <ActionForm action={addMemberAction} submit="Add member" testId="add-member" title="Add a member" headingLevel={3} values={{ projectId: p.id }}>
            <TextField name="username" label="User name" isRequired />
            <SelectField name="role" label="Project role" defaultValue="member" options={PROJECT_ROLES} />
          </ActionForm>
          <ActionForm action={projectSettingsAction} submit="Save settings" testId="project-settings" title="Settings" headingLevel={3} values={{ projectId: p.id }}>
            <CheckboxField name="twoPersonTeardown" label="Two-person teardown" helper="A second person approves every teardown." defaultChecked={p.twoPersonTeardown} />
            {p.may.bindOpenStack && (
              <TextField
                name="openstackProjectId"
                label="OpenStack project id"
                helper="Keystone sign-in maps role assignments by it."
                defaultValue={p.openstackProjectId ?? ""}
              />
            )}
          </ActionForm>
        </Columns>
      )}
      <Heading level={2}>Clouds</Heading>
      <DataTable
        label="Clouds"
        testId="clouds"
        columns={[fit("Cloud"), "Keystone", fit("Region"), fit("Interface"), fit("Clusters"), ...(p.may.manageClouds ? ["Change"] : [])]}
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
                    <RotateCredentials action={rotateCloudAction} cloudId={c.id} cloudName={c.name} />
                    <ActionForm
                      inline
                      action={removeCloudAction}
                      submit="Remove"
                      testId={`remove-cloud-${c.name}`}
                      values={{ cloudId: c.id }}
                      confirm={{ title: `Remove the cloud ${c.name}?`, body: `Tripod forgets ${c.name} and its credentials; nothing in the cloud itself changes.` }}
                    />
                  </div>,
                ]
              : []),
          ],
        }))}
      />
      {p.may.manageClouds && (
        <Columns>
          <ActionForm
            action={cloudAction}
            testId="register-cloud"
            title="Register a cloud"
            headingLevel={3}
            values={{ projectId: p.id }}
            submit={[
              { label: "Test connection", name: "intent", value: "test", variant: "secondary" },
              { label: "Test and register", name: "intent", value: "register", variant: "primary" },
            ]}
          >
            <CloudFields />
          </ActionForm>
        </Columns>
      )}
    </>
  );
}
