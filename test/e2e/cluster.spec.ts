import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { signIn } from "./session";


const demoSpec = () => JSON.parse(readFileSync("test/fixtures/demo-spec.json", "utf8")) as { name: string; networks: { public: { apiVip: string } } };

test("a tenant drafts a cluster, sees the plan, starts and cancels the create; the lead tears it down", async ({ page }) => {
  test.setTimeout(600_000);
  await signIn(page, "alice", "tripod-demo");
  await page.getByRole("link", { name: "New cluster" }).click();

  // Bad input: one clear message per field, nothing saved.
  await page.getByLabel("Cluster spec (JSON)").fill("{ not json");
  await page.getByRole("button", { name: "Validate and show the plan" }).click();
  await expect(page.getByTestId("error-specJson")).toContainText("not valid JSON");
  const bad = demoSpec();
  bad.networks.public.apiVip = "198.18.40.50"; // inside the DHCP pool
  await page.getByLabel("Cluster spec (JSON)").fill(JSON.stringify(bad));
  await page.getByRole("button", { name: "Validate and show the plan" }).click();
  await expect(page.getByTestId("spec-errors")).toContainText("networks.public.apiVip");

  // A valid spec becomes a draft: the plan, nothing in the cloud yet.
  await page.getByLabel("Cluster spec (JSON)").fill(JSON.stringify({ ...demoSpec(), name: "e2e" }));
  await page.getByRole("button", { name: "Validate and show the plan" }).click();
  await expect(page.getByTestId("cluster-status")).toHaveText("draft");
  await expect(page.getByTestId("ports").locator("tbody tr")).toHaveCount(7); // 4 nodes + 3 VIP reservation ports (API, Ingress, internal API)
  await expect(page.getByTestId("ports")).toContainText("planned");
  await page.screenshot({ path: "test-results/cluster-draft.png", fullPage: true });

  // Live progress: the create runs in the dashboard's worker against the local cloud.
  await page.getByRole("button", { name: "Create cluster" }).click();
  await expect(page.getByTestId("step-preflight")).toContainText("succeeded", { timeout: 120_000 });
  // Cancel asks once; a cancelled create reads "cancelled", not "failed".
  await page.getByRole("button", { name: "Cancel create" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Cancel create" }).click();
  await expect(page.getByTestId("operation-create").getByTestId("operation-status")).toHaveText("cancelled", { timeout: 180_000 });
  await expect(page.getByTestId("cluster-status")).toHaveText("cancelled");
  await expect(page.getByTestId("state-banner")).toContainText("Cancelled: the create stopped at");
  await expect(page.getByRole("button", { name: "Tear down" })).toBeVisible();

  // The project's lead tears down alice's cluster, and is recorded as its approver.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/login/);
  await signIn(page, "lena", "tripod-lead");
  await page.getByRole("link", { name: "e2e" }).click();
  // Tearing down needs the cluster's name typed.
  await page.getByRole("button", { name: "Tear down" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("button", { name: "Tear down" })).toBeDisabled();
  await dialog.getByLabel("Cluster name").fill("e2e");
  await dialog.getByRole("button", { name: "Tear down" }).click();
  await expect(page.getByTestId("operation-teardown")).toContainText("requested by lena, approved by lena");
  await expect(page.getByTestId("cluster-status")).toHaveText("deleted", { timeout: 300_000 });
  await expect(page.getByTestId("step-verify-empty")).toContainText("succeeded");
  await page.screenshot({ path: "test-results/cluster-deleted.png", fullPage: true });

  await page.getByRole("link", { name: "Oversight" }).click();
  await expect(page.getByTestId("oversight")).toContainText("e2e");
});
