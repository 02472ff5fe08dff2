import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect, test, type Locator } from "@playwright/test";
import { field } from "./fields";
import { signIn } from "./sign-in";

// `npm run demo` with TRIPOD_DEMO_LAB=1 (playwright.config.ts): a cluster created on the local cloud gets its nodes
// played by network namespaces (test/vrrp/lab/demo.ts). The VIP panel shows the holders the namespaced keepalived
// report, an admin stops the Ingress holder's keepalived and the API stand-in of the bootstrap from the lab control,
// and the panel shows the fail-overs; the bootstrap's node goes with the bootstrap-teardown, every node with the
// teardown. Assertions allow 10 s; the measured seconds are printed ("demo-lab:" lines).

const LAB_PREFIX = "tdemo-";
const labNamespaces = () =>
  execFileSync("ip", ["netns", "list"], { encoding: "utf8" })
    .split("\n")
    .map((line) => line.split(" ")[0])
    .filter((name) => name.startsWith(LAB_PREFIX));

/** The nodes the panel says hold the VIP ("master-0 holds 198.18.40.6.", "bootstrap and master-1 hold …", "No node holds …"). */
const holdersOf = async (panel: Locator) => {
  const sentence = /^(.+?) holds? \d/.exec(await panel.locator(".pf-v6-c-card__body > p").first().innerText())?.[1];
  return sentence ? sentence.split(" and ").map((h) => h.split(" ")[0]) : [];
};
const seconds = (from: number) => ((Date.now() - from) / 1000).toFixed(1);
const print = (line: string) => console.log(`demo-lab: ${line}`);

test("the demo's nodes are namespaces: the VIP panel shows their holders and a stopped holder's fail-over", async ({ page }) => {
  test.setTimeout(900_000);
  await signIn(page, "admin", "tripod-admin");
  // The demo spec imported into the create wizard (it holds both installer configs), in project demo.
  await page.goto("/clusters/new");
  await field(page, "projectId").selectOption({ label: "demo" });
  await page.getByRole("button", { name: "Import a spec (JSON)" }).click();
  await page.getByRole("textbox", { name: "Spec JSON" }).fill(readFileSync("test/fixtures/demo-spec.json", "utf8"));
  await page.getByRole("button", { name: "Import into the wizard" }).click();
  await expect(page).toHaveURL(/\/clusters\/[^/]+\/edit\/cluster$/, { timeout: 60_000 });
  await page.goto(`/clusters/${new URL(page.url()).pathname.split("/")[2]}`);
  await expect(page.getByTestId("cluster-status")).toHaveText("draft", { timeout: 60_000 });
  await page.getByRole("button", { name: "Create cluster" }).click();

  // The masters run: within 10 s the panel shows the API holder (the bootstrap, priority 70, while its API is ready)
  // and an Ingress holder among the masters, from the namespaced keepalived's reports.
  await expect(page.getByTestId("step-control-plane")).toContainText("succeeded", { timeout: 600_000 });
  const reached = Date.now();
  const api = page.getByTestId("vip-api");
  const ingress = page.getByTestId("vip-ingress");
  await expect(async () => expect((await holdersOf(api)).join()).toMatch(/^(bootstrap|master-\d)$/)).toPass({ timeout: 10_000, intervals: [100] });
  await expect(async () => expect((await holdersOf(ingress)).join()).toMatch(/^master-\d$/)).toPass({ timeout: 10_000, intervals: [100] });
  print(`API and Ingress holders shown ${seconds(reached)} s after the control-plane step succeeded`);
  await expect(page.getByTestId("lab-control").locator("tbody tr")).toHaveCount(4);
  expect(labNamespaces().sort()).toEqual(["tdemo-bootstrap", "tdemo-br", "tdemo-cl", "tdemo-master-0", "tdemo-master-1", "tdemo-master-2"]);

  // Stop keepalived on the Ingress holder: another master takes the VIP over.
  const [holder] = await holdersOf(ingress);
  await page.getByRole("button", { name: `Stop keepalived on ${holder}` }).click();
  const stopped = Date.now();
  await expect(async () => {
    const now = (await holdersOf(ingress)).join();
    expect(now).toMatch(/^master-\d$/);
    expect(now).not.toBe(holder);
  }).toPass({ timeout: 10_000, intervals: [100] });
  print(`Ingress fail-over from ${holder} to ${await holdersOf(ingress)} shown ${seconds(stopped)} s after its keepalived was stopped`);
  await expect(page.getByTestId(`lab-${holder}`)).toContainText("stopped");
  await page.getByRole("button", { name: `Start keepalived on ${holder}` }).click();
  await expect(page.getByRole("button", { name: `Stop keepalived on ${holder}` })).toBeVisible();

  // bootkube is done: the bootstrap's API stand-in stops and the API VIP moves to a master.
  if ((await holdersOf(api)).includes("bootstrap")) {
    await page.getByRole("button", { name: "Stop API stand-in on bootstrap" }).click();
    const handOff = Date.now();
    await expect(async () => expect((await holdersOf(api)).join()).toMatch(/^master-\d$/)).toPass({ timeout: 10_000, intervals: [100] });
    print(`API VIP handed from the bootstrap to ${await holdersOf(api)} shown ${seconds(handOff)} s after the bootstrap's API stopped`);
  }

  // The bootstrap-teardown takes the bootstrap's node away; the teardown every node and the lab's networks.
  await page.getByRole("button", { name: "Mark bootstrap complete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Mark complete" }).click();
  await expect(page.getByTestId("step-bootstrap-teardown")).toContainText("succeeded", { timeout: 300_000 });
  await expect(page.getByTestId("lab-control").locator("tbody tr")).toHaveCount(3, { timeout: 30_000 });
  await page.getByRole("button", { name: "Tear down" }).click();
  await page.getByRole("dialog").getByLabel("Cluster name").fill("demo");
  await page.getByRole("dialog").getByRole("button", { name: "Tear down" }).click();
  await expect(page.getByTestId("cluster-status")).toHaveText("deleted", { timeout: 600_000 });
  await expect.poll(labNamespaces, { timeout: 30_000 }).toEqual([]);
});
