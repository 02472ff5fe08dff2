import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { spawn } from "node:child_process";
import { expect, test, type Page } from "@playwright/test";
import { field } from "./fields";
import { signIn, submitSignIn } from "./sign-in";
import { decode, encode } from "next-auth/jwt";
import { isPublicPath } from "../../lib/auth/public-paths";
import { SESSION_MAX_AGE_S, SESSION_RENEW_AFTER_S } from "../../lib/auth/session-renewal";
import { KeystoneAdmin } from "./keystone";
import { E2E_DATABASE_URL, E2E_SECRET_KEY } from "./settings";
import { discoverRoutes } from "./routes";
import { expectTablesReadWhole } from "./tables";

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
}

const run = randomBytes(3).toString("hex");
const names = { project: `e2e-${run}`, user: `e2e-user-${run}`, lead: `e2e-lead-${run}` };
const passwords = { user: `First-pass-${run}-okay`, user2: `Second-pass-${run}-okay`, lead: `Lead-pass-${run}-okay` };
const demoSpec = JSON.parse(readFileSync("test/fixtures/demo-spec.json", "utf8")) as Record<string, unknown>;

/** A draft from the demo spec, imported into the create wizard (its first step picks the project). */
async function draft(page: Page, project: string, name: string) {
  await page.goto("/clusters/new");
  await field(page, "projectId").selectOption({ label: project });
  await page.getByRole("button", { name: "Import a spec (JSON)" }).click();
  await page.getByRole("textbox", { name: "Spec JSON" }).fill(JSON.stringify({ ...demoSpec, name }));
  await page.getByRole("button", { name: "Import into the wizard" }).click();
  await expect(page).toHaveURL(/\/clusters\/[^/]+\/edit\/cluster$/, { timeout: 30_000 });
}

test("the seeded tenant user signs in and sees the empty clusters page", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
  await submitSignIn(page, "alice", "tripod-demo");
  await expect(page.getByTestId("user")).toHaveText("alice");
  await expect(page).toHaveURL(/\/clusters$/);
  await expect(page.getByTestId("no-clusters")).toBeVisible();
  await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);
  const admin = await page.goto("/admin");
  expect(admin?.status()).toBe(404);
});

test("without a session every page redirects to the sign-in page and every API answers 401", async ({ page, request }) => {
  const routes = discoverRoutes().filter((r) => !isPublicPath(r.url));
  expect(routes.filter((r) => r.kind === "page").length).toBeGreaterThanOrEqual(3);
  for (const route of routes) {
    if (route.kind === "page") {
      await page.goto(route.url);
      await expect(page, route.url).toHaveURL(/\/login\?callbackUrl=/);
    } else {
      for (const method of ["GET", "POST"] as const) {
        const res = await request.fetch(route.url, { method, maxRedirects: 0 });
        expect(res.status(), `${method} ${route.url}`).toBe(401);
      }
    }
  }
});

test("the browser renews the session cookie once it is an hour old, not on every page", async ({ page }) => {
  const secret = "e2e-secret"; // playwright.config.ts
  await signIn(page, "alice", "tripod-demo");
  const renewals: string[] = [];
  page.on("request", (r) => {
    if (new URL(r.url()).pathname === "/api/auth/session") renewals.push(r.url());
  });
  // A fresh cookie: pages opened, the tab hidden and shown again, and no renewal.
  for (const path of ["/clusters", "/projects", "/clusters"]) {
    await page.goto(path);
    await expect(page.getByTestId("user")).toHaveText("alice");
  }
  await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
  await page.waitForTimeout(1000);
  expect(renewals).toEqual([]);

  // The same session's cookie as next-auth issued it two hours ago: the next page renews it for another 12 hours.
  const context = page.context();
  const cookie = (await context.cookies()).find((c) => c.name === "next-auth.session-token")!;
  const payload = (await decode({ token: cookie.value, secret }))!;
  const aged = await encode({ token: payload, secret, maxAge: SESSION_MAX_AGE_S - 2 * SESSION_RENEW_AFTER_S });
  await context.addCookies([{ ...cookie, value: aged }]);
  const renewed = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/auth/session");
  await page.goto("/clusters");
  expect((await renewed).status()).toBe(200);
  const now = Math.floor(Date.now() / 1000);
  await expect
    .poll(async () => {
      const value = (await context.cookies()).find((c) => c.name === "next-auth.session-token")!.value;
      return ((await decode({ token: value, secret }))?.exp as number) - now;
    })
    .toBeGreaterThan(SESSION_MAX_AGE_S - 60);
  expect(renewals).toHaveLength(1);
  // Renewed: neither a return to the tab nor the next page renews it again.
  await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
  await page.goto("/projects");
  await expect(page.getByTestId("user")).toHaveText("alice");
  await page.waitForTimeout(1000);
  expect(renewals).toHaveLength(1);

  // A tab kept in view, worked in through clicks alone (the frame stays mounted): renewed an hour after the last
  // renewal, with no page opened and no return to the tab.
  await page.clock.install();
  // (ending on the projects page: a list with a running operation on it would refresh the frame, renewal and all)
  await page.goto("/clusters");
  await page.getByRole("link", { name: "Projects" }).click();
  await expect(page).toHaveURL(/\/projects$/);
  await page.clock.fastForward("59:00");
  await page.waitForTimeout(500);
  expect(renewals).toHaveLength(1);
  const inView = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/auth/session");
  await page.clock.fastForward("02:00");
  expect((await inView).status()).toBe(200);
  expect(renewals).toHaveLength(2);
});

test("the admin page lists users and projects; the accounts pages render without a console error or warning", async ({ page }) => {
  const console: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") console.push(`${page.url()}: ${m.text()}`);
  });
  await submitSignIn(page, "admin", "tripod-admin");
  await page.getByRole("link", { name: "Admin" }).click();
  await expect(page.getByTestId("users")).toContainText("alice");
  await expect(page.getByTestId("projects")).toContainText("demo");
  await expectTablesReadWhole(page);
  await page.screenshot({ path: "test-results/admin.png", fullPage: true });
  // A destructive row action asks first; Cancel changes nothing.
  await page.getByTestId("disable-alice").getByRole("button", { name: "Disable" }).click();
  const dialog = page.getByRole("dialog", { name: "Disable alice?" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId("user-alice")).toContainText("enabled");
  await page.getByTestId("projects").getByRole("link", { name: "demo", exact: true }).click();
  await expect(page.getByTestId("cloud-local")).toBeVisible();
  await expectTablesReadWhole(page);
  for (const path of ["/account", "/audit", "/projects"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectTablesReadWhole(page);
  }
  expect(console).toEqual([]);
});

test("an admin creates a project, a user and a lead, and registers the local cloud through the form", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, "admin", "tripod-admin");
  await page.goto("/admin");
  const project = page.getByTestId("create-project");
  await project.getByLabel("Project name").fill(names.project);
  await project.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByTestId("create-project-message")).toContainText("Project created.");

  const user = page.getByTestId("create-user");
  await user.getByLabel("User name").fill(names.user);
  await user.getByLabel("Password").fill("password1234");
  await user.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByTestId("create-user-errors")).toContainText("breach lists");
  // The field itself is marked and says why, and the summary's link leads to it.
  await expect(user.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
  await expect(user.getByLabel("Password")).toHaveAccessibleDescription(/This password is on the breach lists/);
  await page.getByTestId("create-user-errors").getByRole("link", { name: "Password" }).click();
  await expect(user.getByLabel("Password")).toBeFocused();
  await user.getByLabel("Password").fill(passwords.user);
  await user.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByTestId("create-user-message")).toContainText("User created.");
  await expect(user.getByLabel("Password")).toHaveAttribute("aria-invalid", "false");
  await user.getByLabel("User name").fill(names.lead);
  await user.getByLabel("Password").fill(passwords.lead);
  await user.getByLabel("Global role").selectOption("lead");
  await user.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByTestId("users")).toContainText(names.lead);
  // Disabling asks first (a modal whose danger button submits); enabling again does not.
  await page.getByTestId(`disable-${names.user}`).getByRole("button", { name: "Disable" }).click();
  await page.getByRole("dialog", { name: `Disable ${names.user}?` }).getByRole("button", { name: "Disable" }).click();
  await expect(page.getByTestId(`user-${names.user}`)).toContainText("disabled");
  await page.getByTestId(`disable-${names.user}`).getByRole("button", { name: "Enable" }).click();
  await expect(page.getByTestId(`user-${names.user}`)).toContainText("enabled");

  await page.getByTestId("projects").getByRole("link", { name: names.project }).click();
  await expect(page.getByRole("heading", { name: `Project ${names.project}` })).toBeVisible();
  const add = page.getByTestId("add-member");
  await add.getByLabel("User name").fill(names.user);
  await add.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByTestId(`member-${names.user}`)).toContainText("member");
  await add.getByLabel("User name").fill(names.lead);
  await add.getByLabel("Project role").selectOption("lead");
  await add.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByTestId(`member-${names.lead}`)).toContainText("lead");

  // The local cloud through the form: a wrong password fails the test with Keystone's own words and saves nothing.
  const cloud = page.getByTestId("register-cloud");
  await cloud.getByLabel("Name in Tripod").fill("local");
  await cloud.getByLabel("Keystone URL").fill("http://127.0.0.1:5000/v3");
  await cloud.getByLabel("Region").fill("RegionOne");
  await cloud.getByLabel("User name").fill("demo");
  await cloud.getByLabel("Password", { exact: true }).fill("not-the-password");
  await cloud.getByLabel("User domain").fill("tripod");
  await cloud.getByLabel("Project name").fill("demo");
  await cloud.getByLabel("Project domain").fill("tripod");
  await cloud.getByRole("button", { name: "Test connection" }).click();
  const message = page.getByTestId("register-cloud-message");
  await expect(message).toContainText("Test connection failed", { timeout: 30_000 });
  await expect(message).toContainText("The request you have made requires authentication.");
  await cloud.getByRole("button", { name: "Test and register" }).click();
  await expect(message).toContainText("Nothing was saved", { timeout: 30_000 });
  await expect(page.getByTestId("clouds")).toContainText("No cloud registered.");

  await cloud.getByLabel("Password", { exact: true }).fill("tripod-demo-pass");
  await cloud.getByRole("button", { name: "Test connection" }).click();
  await expect(message).toContainText("Test connection passed", { timeout: 30_000 });
  await expect(message).toContainText("✓ extensions");
  await cloud.getByRole("button", { name: "Test and register" }).click();
  await expect(message).toContainText("Cloud registered.", { timeout: 30_000 });
  await expect(page.getByTestId("cloud-local")).toContainText("http://127.0.0.1:5000/v3");
  // Credentials are write-only: the page never carries them.
  expect(await page.content()).not.toContain("tripod-demo-pass");
  await page.screenshot({ path: "test-results/project.png", fullPage: true });
});

test("the new user signs in, changes their password and sees only their project's clusters", async ({ page }) => {
  // A cluster in project demo (alice) and one in the new project (its lead): drafts only, nothing in the cloud.
  await signIn(page, "alice", "tripod-demo");
  await draft(page, "demo", `hidden-${run}`);
  await signOut(page);
  await signIn(page, names.lead, passwords.lead);
  await draft(page, names.project, `mine-${run}`);
  await signOut(page);

  await signIn(page, names.user, passwords.user);
  await page.goto("/account");
  await page.getByLabel("Current password").fill(passwords.user);
  await page.getByLabel("New password").fill(passwords.user2);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByTestId("change-password-message")).toContainText("Password changed");
  // Every session of theirs has ended, this one included.
  await page.goto("/clusters");
  await expect(page).toHaveURL(/\/login/);
  await submitSignIn(page, names.user, passwords.user);
  await expect(page.getByTestId("login-error")).toContainText("Wrong user name or password.");
  await signIn(page, names.user, passwords.user2);
  await expect(page.locator("main")).toContainText(`mine-${run}`);
  await expect(page.locator("main")).not.toContainText(`hidden-${run}`);

  // No link is prefetched (app/ui/link.tsx), not even on hover: a view of the list costs the server the list alone,
  // and a click renders its target once.
  const rscRequests: string[] = [];
  page.on("request", (r) => {
    if (r.headers()["rsc"]) rscRequests.push(`${r.headers()["next-router-prefetch"] ? "prefetch " : ""}${new URL(r.url()).pathname}`);
  });
  await page.goto("/clusters");
  const mine = page.getByRole("link", { name: `mine-${run}` });
  await mine.hover();
  await page.waitForTimeout(1000);
  expect(rscRequests).toEqual([]);
  await mine.click();
  await expect(page).toHaveURL(/\/clusters\/[^/]+$/);
  expect(rscRequests).toEqual([new URL(page.url()).pathname]);
});

test("the audit viewer shows all of it, with filters", async ({ page }) => {
  await signIn(page, "admin", "tripod-admin");
  await page.goto("/audit");
  const audit = page.getByTestId("audit");
  for (const action of ["project.create", "user.create", "membership.add", "cloud.test", "cloud.register", "user.change-password", "session.sign-in", "cluster.draft"]) {
    await expect(audit, action).toContainText(action);
  }
  await page.goto(`/audit?action=cloud.register`);
  await expect(audit).toContainText("failed");
  await expect(audit).toContainText("succeeded");
  await expect(audit).not.toContainText("user.create");
  await page.goto(`/audit?action=session.sign-in&outcome=failed&actor=anonymous`);
  await expect(audit).toContainText(`user ${names.user}`);
  await page.screenshot({ path: "test-results/audit.png", fullPage: true });
  // A day typed in the filter's date picker (ISO, as the times), applied in UTC; a bad one in the address is named
  // and left out, the rest still filters.
  const today = new Date().toISOString().slice(0, 10);
  await page.goto("/audit?action=cloud.register");
  await page.getByRole("textbox", { name: "From (UTC)" }).fill(today);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`from=${today}`));
  await expect(audit).toContainText("cloud.register");
  await page.goto("/audit?action=cloud.register&from=2026-02-30");
  await expect(page.getByTestId("refused-from")).toHaveText("from=2026-02-30: Not a date (YYYY-MM-DD).");
  await expect(audit).toContainText("cloud.register");
  await expect(audit).not.toContainText("user.create");
  await expect(page.getByRole("textbox", { name: "Action (exact)" })).toHaveValue("cloud.register");
  // A page past the last (a bookmark kept while the list shrank) goes to the last page, filters kept.
  await page.goto("/audit?action=cloud.register&size=10&page=999");
  await expect(page).toHaveURL(/[?&]page=\d(&|$)/);
  await expect(page).toHaveURL(/action=cloud.register/);
  await expect(audit).toContainText("cloud.register");
  // A lead sees their project's entries only.
  await signOut(page);
  await signIn(page, names.lead, passwords.lead);
  await page.goto("/audit");
  await expect(audit).toContainText("cloud.register");
  await expect(audit).not.toContainText(`hidden-${run}`);
});

test("Keystone users sign in against the local cloud's Keystone: a role in the project shows its clusters, none shows none", async ({ page }) => {
  test.setTimeout(180_000);
  const keystone = await KeystoneAdmin.open();
  const password = `Ks-pass-${run}-okay`;
  const withRole = `e2e-ks-${run}`;
  const withoutRole = `e2e-ks-none-${run}`;
  const ids: string[] = [];
  try {
    ids.push(await keystone.createUser("tripod", withRole, password, { project: "demo", role: "member" }));
    ids.push(await keystone.createUser("tripod", withoutRole, password));
    await submitSignIn(page, withRole, password, "tripod");
    await expect(page.getByTestId("login-error")).toContainText("no such domain");
    await signIn(page, "admin", "tripod-admin");
    await page.goto("/admin");
    const row = page.getByTestId(`sign-in-${names.project}-local`);
    await row.getByLabel("Sign-in domains of local").fill("tripod");
    await row.getByRole("button", { name: "Save" }).click();
    await expect(page.getByTestId(`sign-in-${names.project}-local-message`)).toContainText("Keystone sign-in saved.");
    await signOut(page);

    await submitSignIn(page, withRole, "wrong-password", "tripod");
    await expect(page.getByTestId("login-error")).toContainText("Keystone refused that user name and password.");
    await signIn(page, withRole, password, "tripod");
    await expect(page.locator("main")).toContainText(`mine-${run}`);
    await expect(page.locator("main")).toContainText(`hidden-${run}`);
    await signOut(page);

    await signIn(page, withoutRole, password, "tripod");
    await expect(page.getByTestId("no-clusters")).toBeVisible();
  } finally {
    for (const id of ids) await keystone.deleteUser(id);
  }
});

test("the sign-in page sends people only to paths of this site", async ({ page }) => {
  for (const evil of ["//evil.example/x", "/\\evil.example/x", "https://evil.example/", "/%2F%2Fevil.example"]) {
    await page.goto(`/login?callbackUrl=${encodeURIComponent(evil)}`);
    await page.getByLabel("User name").fill("alice");
    await page.getByLabel("Password").fill("tripod-demo");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page, evil).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/(clusters|%2F%2Fevil\.example)/);
    await page.context().clearCookies();
  }
});

test("every answer carries the security headers", async ({ request }) => {
  // a policy the client sends is not the one the page is rendered under
  const res = await request.get("/login", { headers: { "Content-Security-Policy": "script-src 'nonce-chosenbyclient'" } });
  const csp = res.headers()["content-security-policy"];
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain("unsafe-eval");
  // inline scripts run only with this answer's nonce, and every script of the page carries it
  const scriptSrc = csp.split("; ").find((directive) => directive.startsWith("script-src "));
  const nonce = /^script-src 'self' 'nonce-([A-Za-z0-9+/]{22}==)'$/.exec(scriptSrc ?? "")?.[1];
  expect(nonce, scriptSrc).toBeTruthy();
  const scripts = (await res.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const script of scripts) expect(script).toContain(` nonce="${nonce}"`);
  const next = (await request.get("/login")).headers()["content-security-policy"];
  expect(next).not.toContain(nonce);
  expect(res.headers()["x-content-type-options"]).toBe("nosniff");
  expect(res.headers()["referrer-policy"]).toBe("same-origin");
  expect(res.headers()["strict-transport-security"]).toBeUndefined();
});

// Behind a TLS proxy (NEXTAUTH_URL https) the server adds HSTS to every answer itself: Next.js's own headers were
// fixed by `npm run build`, which ran without that setting. A second server of the same build, on its own port,
// without a worker, reading the e2e database.
test("served over TLS, every answer carries HSTS, whatever the build saw", async ({ request }) => {
  const port = Number(process.env.E2E_PORT ?? 3100) + 7;
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, [".next/tripod/cli/serve.js"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      TRIPOD_BIND_ADDRESS: "127.0.0.1",
      PORT: String(port),
      DATABASE_URL: E2E_DATABASE_URL,
      NEXTAUTH_URL: `https://127.0.0.1:${port}`,
      NEXTAUTH_SECRET: "e2e-secret",
      TRIPOD_SECRET_KEY: E2E_SECRET_KEY,
      TRIPOD_WORKER: "off",
    },
    stdio: "ignore",
  });
  try {
    await expect(async () => expect((await request.get(`${base}/api/health`)).ok()).toBe(true)).toPass({ timeout: 30_000 });
    const login = await request.get(`${base}/login`);
    const script = /\/_next\/static\/[^"]+\.js/.exec(await login.text())?.[0];
    expect(script).toBeTruthy();
    const answers = [login, await request.get(`${base}${script}`), await request.get(`${base}/api/health`), await request.get(`${base}/clusters`, { maxRedirects: 0 })];
    for (const res of answers) expect(res.headers()["strict-transport-security"], res.url()).toBe("max-age=31536000");
    expect(answers[0].headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  } finally {
    server.kill("SIGTERM");
  }
});

// It locks the admin account for a minute: last in this file, and no later e2e test signs in as admin.
test("a wrong password gets one clear message; the 6th failure within a minute is refused", async ({ page }) => {
  for (let i = 0; i < 5; i++) {
    await submitSignIn(page, "admin", `wrong-${i}`);
    await expect(page.getByTestId("login-error")).toContainText("Wrong user name or password.");
  }
  await submitSignIn(page, "admin", "tripod-admin");
  await expect(page.getByTestId("login-error")).toContainText(/Too many failed sign-ins/);
  await expect(page).toHaveURL(/\/login/);
});
