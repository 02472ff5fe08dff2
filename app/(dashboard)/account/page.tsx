import { DataTable } from "@/app/ui/data-table";
import { fit } from "@/app/ui/columns";
import { Heading } from "@/app/ui/title";
import { ActionForm } from "@/app/ui/action-form";
import { TextField } from "@/app/ui/form-fields";
import { Columns } from "@/app/ui/page-parts";
import { ApiTokenForm, RevokeTokenButton } from "@/app/ui/api-tokens";
import { apiTokens, navigation, PASSWORD_RULES } from "@/lib/data";
import { changePasswordAction } from "./actions";
import { dateTime } from "@/app/ui/time-text";

export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const [nav, tokens] = await Promise.all([navigation(), apiTokens()]);
  return (
    <>
      <Heading>Your account</Heading>
      <p>
        Signed in as <b>{nav.username}</b> ({nav.role}).
      </p>
      <Columns>
        <ActionForm action={changePasswordAction} submit="Change password" testId="change-password" title="Change password">
          <TextField name="currentPassword" label="Current password" type="password" autoComplete="current-password" isRequired />
          <TextField name="newPassword" label="New password" type="password" autoComplete="new-password" isRequired helper={PASSWORD_RULES} />
        </ActionForm>
      </Columns>
      <Heading level={2}>API tokens</Heading>
      <p>
        A personal API token lets scripts use the automation API (<a href="/api/v1/openapi.json">OpenAPI document</a>) with your rights:
        <code> curl -H &quot;Authorization: Bearer tripod_…&quot; …/api/v1/clusters</code>. Only a hash is kept; revoke a token you no longer use.
      </p>
      <ApiTokenForm />
      <DataTable
        label="API tokens"
        testId="api-tokens"
        columns={["Name", fit("Token"), fit("Created"), fit("Last used"), fit("State"), "Action"]}
        empty="No tokens yet."
        rows={tokens.map((t) => ({
          key: t.id,
          cells: [
            t.name,
            <code key="p">{t.prefix}…</code>,
            dateTime(t.createdAt, "minute"),
            t.lastUsedAt ? dateTime(t.lastUsedAt, "minute") : "never",
            t.revokedAt ? `revoked ${dateTime(t.revokedAt, "day")}` : "active",
            t.revokedAt ? "" : <RevokeTokenButton key="r" tokenId={t.id} name={t.name} />,
          ],
        }))}
      />
    </>
  );
}
