import { DataTable } from "@/app/ui/data-table";
import { Heading } from "@/app/ui/title";
import { ActionForm } from "@/app/ui/action-form";
import { ApiTokenForm, RevokeTokenButton } from "@/app/ui/api-tokens";
import { apiTokens, navigation, PASSWORD_RULES } from "@/lib/data";
import { changePasswordAction } from "./actions";

export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const [nav, tokens] = await Promise.all([navigation(), apiTokens()]);
  return (
    <>
      <Heading>Your account</Heading>
      <p>
        Signed in as <b>{nav.username}</b> ({nav.role}).
      </p>
      <ActionForm action={changePasswordAction} submit="Change password" testId="change-password">
        <Heading level={2}>Change password</Heading>
        <label>
          Current password
          <input name="currentPassword" type="password" autoComplete="current-password" required />
        </label>
        <label>
          New password
          <input name="newPassword" type="password" autoComplete="new-password" required />
        </label>
        <small className="empty">{PASSWORD_RULES}</small>
      </ActionForm>
      <Heading level={2}>API tokens</Heading>
      <p>
        A personal API token lets scripts use the automation API (<a href="/api/v1/openapi.json">OpenAPI document</a>) with your rights:
        <code> curl -H &quot;Authorization: Bearer tripod_…&quot; …/api/v1/clusters</code>. Only a hash is kept; revoke a token you no longer use.
      </p>
      <ApiTokenForm />
      <DataTable
        label="API tokens"
        testId="api-tokens"
        columns={["Name", "Token", "Created", "Last used", "State", ""]}
        empty="No tokens yet."
        rows={tokens.map((t) => ({
          key: t.id,
          cells: [
            t.name,
            <code key="p">{t.prefix}…</code>,
            t.createdAt.slice(0, 16).replace("T", " "),
            t.lastUsedAt ? t.lastUsedAt.slice(0, 16).replace("T", " ") : "never",
            t.revokedAt ? `revoked ${t.revokedAt.slice(0, 10)}` : "active",
            t.revokedAt ? "" : <RevokeTokenButton key="r" tokenId={t.id} name={t.name} />,
          ],
        }))}
      />
    </>
  );
}
