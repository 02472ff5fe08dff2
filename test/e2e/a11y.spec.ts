import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect as baseExpect, test, type Browser, type Locator, type Page, type Request } from "@playwright/test";
import { WIZARD_STEPS } from "@/lib/domain";
import { field } from "./fields";
import { discoverRoutes } from "./routes";
import { signIn } from "./sign-in";

// Accessibility: axe-core's WCAG 2.0/2.1 A and AA rules and its best practices (one h1, no skipped heading level,
// everything in a landmark…) on every page a user reaches, each dialog and form that opens in place, as the demo users
// (admin, lena the lead, alice a member) see them. Cheap fixtures only: drafts imported from the demo spec and one
// create that preflight refuses (nothing is made in the cloud), for a cluster page with an operation, its steps and
// events; two of the widest pages also 800 px wide. Every violation of every page is reported at the end, with the
// rule, its impact, its help and the offending elements; so is anything the page's content security policy refused.

// Every save and the review step read the cloud: on a loaded machine that takes seconds.
const expect = baseExpect.configure({ timeout: 30_000 });

// None of their rules is turned off. Axe runs its page-wide ones (one h1, one <main>…) only on a whole page, not on an
// open dialog alone.
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];
const DIALOG = '[role="dialog"]';
const demoSpec = JSON.parse(readFileSync("test/fixtures/demo-spec.json", "utf8")) as Record<string, unknown>;

/** What a page route of app/ looks like as a path: discoverRoutes' dummy ids stand for any segment. */
const pageRoutes = discoverRoutes()
  .filter((r) => r.kind === "page")
  .map((r) => ({ url: r.url, pattern: new RegExp(`^${r.url.replace(/no-such-id|\bx\b/g, "[^/]+")}$`) }));

const checked: string[] = [];
const reached = new Set<string>();
const failures: string[] = [];

/** Per page, the requests of Next.js in flight: a server action's, and the refresh of the page that follows it. */
const inFlight = new WeakMap<Page, Set<Request>>();

/** A page in a context of its own, whose Next.js requests are followed (see check). */
async function newPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  const requests = new Set<Request>();
  inFlight.set(page, requests);
  page.on("request", (r) => {
    const h = r.headers();
    if (h["rsc"] || h["next-action"]) requests.add(r);
  });
  page.on("requestfinished", (r) => requests.delete(r));
  page.on("requestfailed", (r) => requests.delete(r));
  // what the answer's content security policy refused (lib/security-headers.ts): a script of the page without its nonce
  page.on("console", (m) => {
    if (m.type() === "error" && m.text().includes("Content Security Policy")) failures.push(`${page.url()}: ${m.text()}`);
  });
  return page;
}

/** Marks the page routes `path` is (a static route wins over a dynamic one: /clusters/new is not a cluster). */
function reach(path: string) {
  const exact = pageRoutes.find((r) => r.url === path);
  for (const r of exact ? [exact] : pageRoutes.filter((r) => r.pattern.test(path))) reached.add(r.url);
}

/** Runs axe on what the page shows now (`within`: only that part, e.g. an open dialog) and keeps its violations. */
async function check(page: Page, name: string, within?: string) {
  await page.waitForLoadState("load");
  // app/(dashboard)/error.tsx would pass axe, and check nothing of the page
  await expect(page.getByText("This page could not be shown"), name).toHaveCount(0);
  if (within) await expect(page.locator(within)).toBeVisible();
  // a table is a skeleton until the page has hydrated (app/ui/data-table.tsx): check the table, not its stand-in
  await expect(page.locator(".pf-v6-c-skeleton"), name).toHaveCount(0);
  // While the page is refreshed (router.refresh() after a server action), Next.js takes its <title> out until the new
  // one has arrived: check the page as it is once that is done.
  await expect.poll(() => inFlight.get(page)?.size ?? 0, { message: `${name}: Next.js requests in flight` }).toBe(0);
  await page.waitForFunction(() => document.title !== "", null, { timeout: 5_000 }).catch(() => {});
  // a section still fading in has the page's colours blended with the background: axe would measure those
  await page.evaluate(() => Promise.all(document.getAnimations().filter((a) => a.effect?.getTiming().iterations !== Infinity).map((a) => a.finished.catch(() => {}))));
  reach(new URL(page.url()).pathname);
  // Only the violations in detail (collecting what passed would cost as much again); options() replaces every option,
  // so the tags come after it.
  let builder = new AxeBuilder({ page }).options({ resultTypes: ["violations"] }).withTags(TAGS);
  if (within) builder = builder.include(within);
  const { violations } = await builder.analyze();
  checked.push(name);
  for (const v of violations) {
    const nodes = v.nodes.map((n) => `      ${n.target.join(" ")}${n.failureSummary ? `\n        ${n.failureSummary.replace(/\n/g, "\n        ")}` : ""}`).join("\n");
    failures.push(`${name} (${new URL(page.url()).pathname}): ${v.id} [${v.impact}] ${v.help}\n${nodes}`);
  }
}

async function visit(page: Page, path: string, name: string) {
  reach(path.split("?")[0]);
  await page.goto(path);
  await check(page, name);
}

/** Opens every collapsed section of <main> (what it hides, axe does not see); how many it opened. */
async function expandAll(page: Page): Promise<number> {
  let opened = 0;
  for (const toggle of await page.locator("main button[id^=expandable-section-toggle-]").all()) {
    if ((await toggle.getAttribute("aria-expanded")) === "true") continue;
    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-expanded", "true");
    opened++;
  }
  return opened;
}

/** The clusters this spec made (alice's drafts), deleted after it: the next spec finds alice's list as it was. */
const made: string[] = [];

/** A draft from the demo spec (the cloud's own names), imported into the create wizard; its id. */
async function draft(page: Page, spec: Record<string, unknown>): Promise<string> {
  await page.goto("/clusters/new");
  await page.getByRole("button", { name: "Import a spec (JSON)" }).click();
  await page.getByRole("textbox", { name: "Spec JSON" }).fill(JSON.stringify({ ...demoSpec, ...spec }));
  await page.getByRole("button", { name: "Import into the wizard" }).click();
  await expect(page).toHaveURL(/\/clusters\/[^/]+\/edit\/cluster$/);
  const id = new URL(page.url()).pathname.split("/")[2];
  made.push(id);
  return id;
}

/** The same page in a narrow window (tables stack or scroll sideways), then back to the default size. */
async function narrow(page: Page, name: string) {
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 800, height: size.height });
  await check(page, `${name}, 800 px wide`);
  await page.setViewportSize(size);
}

/** Opens the dialog of `button`, checks it, and closes it with `close` (nothing is confirmed). */
async function dialog(page: Page, button: Locator, name: string, close = "Keep it") {
  await button.click();
  const open = page.getByRole("dialog");
  await check(page, name, DIALOG);
  await open.getByRole("button", { name: close }).click();
  await expect(open).toHaveCount(0);
}

test.afterAll(async ({ browser }) => {
  if (made.length === 0) return;
  const page = await newPage(browser);
  await signIn(page, "alice", "tripod-demo");
  for (const id of made) {
    await page.goto(`/clusters/${id}`);
    // a create that preflight refused is made a draft again first
    const reopen = page.getByRole("button", { name: "Back to editing" });
    const remove = page.getByRole("button", { name: "Delete draft" });
    await expect(reopen.or(remove)).toBeVisible();
    if (await reopen.isVisible()) {
      await reopen.click();
      await expect(page.getByTestId("cluster-status")).toHaveText("draft");
    }
    await remove.click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete draft" }).click();
    await expect(page).toHaveURL(/\/clusters$/);
  }
  await page.context().close();
});

test("every page, dialog and form passes axe's WCAG 2.1 A and AA rules and best practices for each kind of user", async ({ browser }) => {
  test.setTimeout(180_000);
  const as = async (username: string, password: string) => {
    const page = await newPage(browser);
    await signIn(page, username, password);
    return page;
  };

  await test.step("signed out: the sign-in page, a refused sign-in", async () => {
    const page = await newPage(browser);
    await visit(page, "/login", "sign-in");
    await page.getByLabel("User name").fill("nobody");
    await page.getByLabel("Password").fill("not-a-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("login-error")).toBeVisible();
    await check(page, "sign-in refused");
    await page.context().close();
  });

  let failedId = "";
  await test.step("alice (member): clusters, the wizard's steps, cluster pages, events, projects, account", async () => {
    const page = await as("alice", "tripod-demo");
    await visit(page, "/", "home → clusters (empty)");
    await visit(page, "/clusters/new", "new cluster");
    await page.getByRole("button", { name: "Import a spec (JSON)" }).click();
    // A wrong spec: the error next to its field.
    await page.getByRole("textbox", { name: "Spec JSON" }).fill('{\n  "name": "x",\n  oops\n}');
    await page.getByRole("button", { name: "Import into the wizard" }).click();
    await expect(page.getByTestId("error-specText")).toBeVisible();
    await check(page, "new cluster, import refused");

    const id = await draft(page, { name: "a11y" });
    for (const step of WIZARD_STEPS) {
      await page.goto(`/clusters/${id}/edit/${step}`);
      if (step === "review") await expect(page.getByTestId("preflight-summary")).toContainText("Preflight passed", { timeout: 60_000 });
      await check(page, `wizard step ${step}`);
      if (await expandAll(page)) await check(page, `wizard step ${step}, sections open`);
    }
    // A mistake on a step: the field marked, the summary on top.
    await page.goto(`/clusters/${id}/edit/addresses`);
    const apiVip = field(page, "networks-public-apiVip");
    const goodVip = await apiVip.inputValue();
    await apiVip.fill("10.99.0.5");
    await apiVip.blur();
    await expect(page.getByTestId("error-networks.public.apiVip")).toBeVisible();
    await check(page, "wizard step addresses, a wrong VIP");
    await apiVip.fill(goodVip); // (the cluster page below shows its planned grid)
    await apiVip.blur();
    await expect(page.getByTestId("error-networks.public.apiVip")).toHaveCount(0);

    await visit(page, `/clusters/${id}`, "cluster page (draft)");
    await dialog(page, page.getByRole("button", { name: "Delete draft" }), "delete-draft dialog");

    // A create that preflight refuses (a flavor the cloud lacks): an operation with its steps and events, nothing in
    // the cloud.
    failedId = await draft(page, { name: "a11y-pf", flavor: "no-such-flavor" });
    await page.goto(`/clusters/${failedId}`);
    await page.getByRole("button", { name: "Create cluster" }).click();
    await expect(page.getByTestId("operation-create").getByTestId("operation-status")).toHaveText("failed", { timeout: 60_000 });
    await check(page, "cluster page (create failed at preflight)");
    await narrow(page, "cluster page (create failed at preflight)");
    await dialog(page, page.getByRole("button", { name: "Tear down" }), "tear-down dialog");
    await visit(page, `/clusters/${failedId}/events`, "events");

    await visit(page, "/clusters", "clusters");
    await visit(page, "/clusters?status=no-such-status", "clusters, a filter refused");
    await visit(page, "/clusters/no-such-id", "cluster not found");
    await visit(page, "/projects", "projects (member)");
    await visit(page, "/projects/no-such-id", "project not found");
    await page.goto("/account");
    await page.getByLabel("New token").fill("a11y");
    await page.getByRole("button", { name: "Create token" }).click();
    await expect(page.getByTestId("new-token")).toBeVisible();
    await check(page, "account, a new token");
    await visit(page, "/no-such-page", "not-found page");
    await page.context().close();
  });

  await test.step("lena (lead): oversight, her project's members and clouds", async () => {
    const page = await as("lena", "tripod-lead");
    await page.goto("/oversight");
    await page.getByTestId("drift-cloud-demo-local").getByRole("button", { name: "Check now" }).click();
    await expect(page.getByText(/^Checked: \d+ findings? in the cloud now/)).toBeVisible();
    await check(page, "oversight, the cloud checked");
    await page.goto("/projects");
    await page.getByTestId("project-list").getByRole("link", { name: "demo", exact: true }).click();
    await expect(page.getByTestId("add-member")).toBeVisible();
    await check(page, "project demo (lead): add-member and register-cloud forms");
    // The add-member form refusing a user that does not exist.
    const add = page.getByTestId("add-member");
    await add.getByLabel("User name").fill("nobody-here");
    await add.getByRole("button", { name: "Add member" }).click();
    await expect(page.getByTestId("add-member-message")).toBeVisible();
    await check(page, "add-member refused");
    await dialog(page, page.getByTestId("member-remove-alice").getByRole("button", { name: "Remove" }), "remove-member dialog", "Cancel");
    await page.getByRole("button", { name: "Rotate credentials" }).click();
    await check(page, "rotate-credentials dialog", DIALOG);
    await page.keyboard.press("Escape");
    await page.context().close();
  });

  await test.step("admin: administration, audit", async () => {
    const page = await as("admin", "tripod-admin");
    await visit(page, "/admin", "admin");
    await narrow(page, "admin");
    await dialog(page, page.getByTestId("disable-alice").getByRole("button", { name: "Disable" }), "disable-user dialog", "Cancel");
    // The create-user form refusing a breached password: the field marked, the summary linking to it.
    const user = page.getByTestId("create-user");
    await user.getByLabel("User name").fill("a11y-user");
    await user.getByLabel("Password").fill("password1234");
    await user.getByRole("button", { name: "Create user" }).click();
    await expect(page.getByTestId("create-user-errors")).toBeVisible();
    await check(page, "admin, create-user refused");
    await visit(page, "/audit", "audit");
    await page.context().close();
  });

  const missed = pageRoutes.map((r) => r.url).filter((url) => !reached.has(url));
  expect(missed, "page routes of app/ this spec never checked").toEqual([]);
  console.log(`a11y: ${checked.length} views checked, ${failures.length} violations`);
  expect(failures, `axe violations:\n${failures.join("\n")}`).toEqual([]);
});
