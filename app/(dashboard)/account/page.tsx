import { DataTable } from "@/app/ui/data-table";
import { Heading } from "@/app/ui/title";
import { ApiTokenForm, RevokeTokenButton } from "@/app/ui/api-tokens";
import { apiTokens } from "@/lib/data";

export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const tokens = await apiTokens();
  return (
    <>
      <Heading>API tokens</Heading>
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
