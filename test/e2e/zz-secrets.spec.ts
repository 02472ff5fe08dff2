import { readFileSync } from "node:fs";
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { parse } from "yaml";
import { openSecret, parseKey } from "../../lib/crypto/seal";
import { isPublicPath } from "../../lib/auth/public-paths";
import { discoverRoutes } from "./routes";
import { E2E_DATABASE_URL, E2E_SECRET_KEY } from "./settings";

// Last of the e2e layer (after the create, the downloads and the teardown): none of the known secret values is in
// the server's log, in a plain (unsealed) column of the database, or in any API response or page a user gets.

const DB_FILE = E2E_DATABASE_URL.replace(/^file:/, "");
const key = parseKey(E2E_SECRET_KEY);
/** Columns that hold sealed values or hashes by design. */
const SEALED = (column: string) => column.endsWith("Sealed") || column === "passwordHash";

function knownSecrets(): Map<string, string> {
  const secrets = new Map<string, string>();
  const clouds = parse(readFileSync(`${process.env.TRIPOD_CLOUD_STATE ?? "/var/tmp/tripod-cloud"}/clouds.yaml`, "utf8")) as { clouds: Record<string, { auth: { password: string } }> };
  for (const [name, c] of Object.entries(clouds.clouds)) secrets.set(`cloud password of ${name}`, c.auth.password);
  secrets.set("session secret", "e2e-secret");
  secrets.set("sealing key", E2E_SECRET_KEY);
  const db = new Database(DB_FILE, { readonly: true });
  try {
    for (const row of db.prepare("SELECT name, credentialsSealed FROM Cloud").all() as { name: string; credentialsSealed: string }[]) {
      const creds = JSON.parse(openSecret(row.credentialsSealed, key)) as Record<string, string>;
      for (const k of ["password", "applicationCredentialSecret"]) if (creds[k]) secrets.set(`${k} of cloud ${row.name}`, creds[k]);
    }
    for (const c of db.prepare("SELECT name, vrrpSecretSealed, authPassSealed, kubeconfigSealed FROM Cluster").all() as Record<string, string | null>[]) {
      if (c.vrrpSecretSealed) secrets.set(`agent key of ${c.name}`, openSecret(c.vrrpSecretSealed, key));
      if (c.authPassSealed) secrets.set(`keepalived auth_pass of ${c.name}`, openSecret(c.authPassSealed, key));
      const kubeconfig = c.kubeconfigSealed && openSecret(c.kubeconfigSealed, key);
      const token = kubeconfig && /client-key-data: (\S+)/.exec(kubeconfig)?.[1];
      if (token) secrets.set(`kubeconfig client key of ${c.name}`, token);
    }
  } finally {
    db.close();
  }
  return secrets;
}

function leaks(where: string, text: string, secrets: Map<string, string>): string[] {
  return [...secrets].filter(([, value]) => value.length >= 6 && text.includes(value)).map(([what]) => `${what} in ${where}`);
}

test("no known secret in the server log, the database's plain columns, or any API response", async ({ page, request }) => {
  const secrets = knownSecrets();
  expect(secrets.size).toBeGreaterThan(5);

  const log = readFileSync(".tmp/e2e-server.log", "utf8");
  const found = leaks("the server log", log, secrets);

  const db = new Database(DB_FILE, { readonly: true });
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_prisma%'").all() as { name: string }[]).map((t) => t.name);
  for (const table of tables) {
    for (const row of db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]) {
      const plain = Object.entries(row).filter(([column]) => !SEALED(column)).map(([, v]) => String(v)).join("\n");
      found.push(...leaks(`table ${table}`, plain, secrets));
    }
  }
  const clusterIds = (db.prepare("SELECT id FROM Cluster").all() as { id: string }[]).map((c) => c.id);
  db.close();

  // Every API route and page, for every cluster, as a lead of project demo (who sees its clusters and oversight).
  await page.goto("/login");
  await page.getByLabel("User name").fill("lena");
  await page.getByLabel("Password").fill("tripod-lead");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("user")).toHaveText("lena");
  const routes = discoverRoutes().filter((r) => !isPublicPath(r.url) || r.url === "/api/health");
  for (const route of routes) {
    const urls = route.url.includes("no-such-id") ? clusterIds.map((id) => route.url.replace("no-such-id", id)) : [route.url];
    for (const url of urls) {
      const res = await page.request.get(url);
      found.push(...leaks(`GET ${url}`, await res.text(), secrets));
    }
  }
  const session = await request.get("/api/auth/session");
  found.push(...leaks("GET /api/auth/session", await session.text(), secrets));
  expect(found).toEqual([]);
});
