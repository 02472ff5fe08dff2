import { expect, test } from "@playwright/test";

test("npm run demo serves the sign-in page and the seeded tenant user signs in, with the local cloud registered", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("User name").fill("alice");
  await page.getByLabel("Password").fill("tripod-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("user")).toHaveText("alice");
  await page.getByRole("link", { name: "New cluster" }).click();
  await expect(page.getByLabel("Cloud")).toContainText("local (http://127.0.0.1:5000/v3)");
});
