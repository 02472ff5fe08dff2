import { expect, type Page } from "@playwright/test";

/** Fills and submits the sign-in form (with a Keystone domain when given); does not wait for the outcome. */
export async function submitSignIn(page: Page, username: string, password: string, domain = "") {
  await page.goto("/login");
  await page.getByLabel("User name").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByLabel("Keystone domain").fill(domain);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs in through the sign-in form and waits until the header names the user. */
export async function signIn(page: Page, username: string, password: string, domain = "") {
  await submitSignIn(page, username, password, domain);
  await expect(page.getByTestId("user")).toHaveText(domain ? `${username}@${domain}` : username);
}
