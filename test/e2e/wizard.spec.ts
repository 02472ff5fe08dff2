import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { expect as baseExpect, test, type Page } from "@playwright/test";
import { field } from "./fields";
import { signIn } from "./sign-in";
import { BOOTSTRAP_OBJECT, ignitionContainerName, NETWORK_ROLES } from "@/lib/domain";
import { createSession } from "@/lib/openstack/client";
import * as objects from "@/lib/openstack/swift/objects/requests";
import { cloudOptions } from "../integration/openstack/cloud";

// Every save reads the cloud (ports in use, pickers): on a loaded machine that takes seconds.
const expect = baseExpect.configure({ timeout: 30_000 });

// The create wizard, as a tenant uses it against the local cloud: only pickers and uploads, every mistake refused
// next to its field with everything else still there, the draft's plan, then a real create up to the control plane,
// cancelled, and torn down by the project's lead. One cluster for all of it: the demo quota holds one.


/** Every input of the page by id: what the test compares before and after each error (it never refills). */
async function fieldValues(page: Page): Promise<Record<string, string>> {
  return page.locator("main input[id^=field-], main select[id^=field-], main textarea[id^=field-]").evaluateAll((els) =>
    Object.fromEntries(els.map((e) => [e.id, (e as HTMLInputElement).value])),
  );
}

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/wizard-${name}.png`, fullPage: true });
const MIB = 1024 * 1024;

/** bootstrap.ign of the fixtures, padded with a file to `bytes` (a real one carries certificates and a pull secret). */
function paddedBootstrap(bytes: number): string {
  const config = JSON.parse(readFileSync("test/fixtures/bootstrap.ign", "utf8")) as { storage: { files: unknown[] } };
  const base = JSON.stringify(config).length;
  config.storage.files.push({ path: "/opt/openshift/padding", mode: 420, contents: { source: `data:,${"x".repeat(Math.max(0, bytes - base - 120))}` } });
  return JSON.stringify(config);
}

test("a tenant walks the wizard with pickers and uploads, every mistake refused in place, creates up to the control plane; the lead tears it down", async ({ page }) => {
  test.setTimeout(900_000);
  mkdirSync("test-results/wizard-files", { recursive: true });
  const bootstrap15 = "test-results/wizard-files/bootstrap.ign";
  writeFileSync(bootstrap15, paddedBootstrap(1.5 * MIB));
  const bootstrap20 = "test-results/wizard-files/huge/bootstrap.ign";
  mkdirSync("test-results/wizard-files/huge", { recursive: true });
  writeFileSync(bootstrap20, paddedBootstrap(20 * MIB));
  const wizKubeconfig = "test-results/wizard-files/auth/kubeconfig";
  mkdirSync("test-results/wizard-files/auth", { recursive: true });
  writeFileSync(wizKubeconfig, readFileSync("test/fixtures/auth/kubeconfig", "utf8").replace("api.demo.tripod.test", "api.wiz.tripod.test"));

  await signIn(page, "alice", "tripod-demo");
  await page.getByRole("link", { name: "New cluster" }).click();

  // 1 — project, cloud, name.
  await expect(page.getByTestId("wizard")).toBeVisible();
  await page.getByLabel("Cluster name").fill("wiz");
  await page.getByLabel("Base domain").fill("tripod.test");
  await page.getByLabel("SSH public key").fill("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINezAl0K386TPF7FgCorThoxw1y1cwwPjkdV39sXuQTe wizard");
  await page.getByLabel("DNS upstream resolvers").fill("198.18.10.1");
  await shot(page, "1-cluster");
  await page.getByRole("button", { name: "Next" }).click();

  // 2 — networks: picked from the cloud; the subnet's facts are read from it.
  await expect(page).toHaveURL(/\/edit\/networks$/);
  for (const role of NETWORK_ROLES) {
    await field(page, `networks-${role}-network`).selectOption({ label: `tripod-${role}` });
    await expect(field(page, `networks-${role}-subnet`)).toHaveValue(/.+/);
  }
  await expect(page.getByTestId("subnet-facts-public")).toContainText("198.18.40.10–198.18.40.199");
  await expect(page.getByTestId("subnet-facts-public")).toContainText("198.18.40.0/24");
  await shot(page, "2-networks");
  await page.getByRole("button", { name: "Next" }).click();

  // 3 — addresses: filled with free addresses; the VIPs outside the DHCP pool.
  await expect(page).toHaveURL(/\/edit\/addresses$/);
  const apiVip = field(page, "networks-public-apiVip");
  await expect(apiVip).toHaveValue(/^198\.18\.40\.\d+$/);
  const good = await fieldValues(page);
  const goodVip = good["field-networks-public-apiVip"];
  expect(Number(goodVip.split(".")[3])).toBeLessThan(10); // outside .10–.199

  // A wrong VIP (not in the subnet): refused next to it, everything else as it was.
  await apiVip.fill("10.99.0.5");
  await apiVip.blur();
  await expect(page.getByTestId("error-networks.public.apiVip")).toContainText("inside 198.18.40.0/24");
  await expect(page.getByTestId("error-summary")).toBeFocused();
  expect(await fieldValues(page)).toEqual({ ...good, "field-networks-public-apiVip": "10.99.0.5" });
  await shot(page, "3-addresses-wrong-vip");

  // A VIP inside the DHCP pool.
  await apiVip.fill("198.18.40.50");
  await apiVip.blur();
  await expect(page.getByTestId("error-networks.public.apiVip")).toContainText("DHCP allocation pools");
  expect(await fieldValues(page)).toEqual({ ...good, "field-networks-public-apiVip": "198.18.40.50" });
  await apiVip.fill(goodVip);
  await apiVip.blur();
  await expect(page.getByTestId("error-networks.public.apiVip")).toHaveCount(0);

  // A duplicate node IP.
  const master1 = field(page, "networks-public-ips-master1");
  await master1.fill(good["field-networks-public-ips-master0"]);
  await master1.blur();
  await expect(page.getByTestId("error-networks.public.ips.master1")).toContainText("is already master-0's address on this network");
  expect(await fieldValues(page)).toEqual({ ...good, "field-networks-public-ips-master1": good["field-networks-public-ips-master0"] });
  await shot(page, "3-addresses-duplicate-ip");
  await master1.fill(good["field-networks-public-ips-master1"]);
  await master1.blur();
  await expect(page.getByTestId("error-networks.public.ips.master1")).toHaveCount(0);

  // The internal API VIP: the local cloud's Cluster subnet is one DHCP pool (Neutron's default), so no address is
  // suggested, and one typed in is refused as inside the pool; left empty, api-int is the API VIP.
  const apiIntVip = field(page, "networks-cluster-apiIntVip");
  await expect(apiIntVip).toHaveValue("");
  await apiIntVip.fill("198.18.20.200"); // no node's address, inside the pool
  await apiIntVip.blur();
  await expect(page.getByTestId("error-networks.cluster.apiIntVip")).toContainText("DHCP allocation pools");
  expect(await fieldValues(page)).toEqual({ ...good, "field-networks-cluster-apiIntVip": "198.18.20.200" });
  await shot(page, "3-addresses-api-int-in-pool");
  await apiIntVip.fill("");
  await apiIntVip.blur();
  await expect(page.getByTestId("error-networks.cluster.apiIntVip")).toHaveCount(0);

  // Next refuses while a node IP is wrong, and keeps the input.
  await master1.fill(good["field-networks-public-ips-master0"]);
  await master1.blur();
  await expect(page.getByTestId("error-networks.public.ips.master1")).toBeVisible();
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByTestId("error-networks.public.ips.master1")).toBeVisible();
  await expect(page).toHaveURL(/\/edit\/addresses$/);
  await master1.fill(good["field-networks-public-ips-master1"]);
  await master1.blur();
  await expect(page.getByTestId("error-summary")).toHaveCount(0);
  // A reload loses nothing: the draft is on the server.
  await page.reload();
  expect(await fieldValues(page)).toEqual(good);
  await shot(page, "3-addresses");
  await page.getByRole("button", { name: "Next" }).click();

  // 4 — flavor and image, against the control-plane minimums.
  await expect(page).toHaveURL(/\/edit\/machines$/);
  await field(page, "flavor").selectOption({ label: "tripod.master — 4 vCPU, 16 GiB RAM, 100 GB disk" });
  await field(page, "image").selectOption("rhcos-standin");
  await expect(page.getByTestId("flavors")).toContainText("meets the minimum");
  await shot(page, "4-machines");
  await page.getByRole("button", { name: "Next" }).click();

  // 5 — installer files, uploaded; 20 MiB is refused and nothing is stored.
  await expect(page).toHaveURL(/\/edit\/files$/);
  const uploadInput = (key: string) => page.getByTestId(`upload-${key}`).locator("input[type=file]");
  await uploadInput("bootstrap").setInputFiles(bootstrap15);
  await expect(page.getByTestId("status-files.bootstrap")).toContainText("stored sealed");
  await expect(page.getByTestId("upload-bootstrap").locator("input[type=text]")).toHaveValue(/1\.5 MiB/);
  await uploadInput("master").setInputFiles("test/fixtures/master.ign");
  // The fixture's kubeconfig is the demo cluster's (api.demo.tripod.test): refused, since the dashboard fetches its
  // server; this cluster's own (api.wiz.tripod.test) is taken.
  await uploadInput("kubeconfig").setInputFiles("test/fixtures/auth/kubeconfig");
  await expect(page.getByTestId("error-files.kubeconfig")).toContainText("is not one of this cluster's API addresses");
  await uploadInput("kubeconfig").setInputFiles(wizKubeconfig);
  await expect(page.getByTestId("status-files.kubeconfig")).toContainText("stored sealed");
  await uploadInput("kubeadminPassword").setInputFiles("test/fixtures/auth/kubeadmin-password");
  await expect(page.getByTestId("status-files.kubeadminPassword")).toContainText("stored sealed");
  await expect(page.getByTestId("status-files.master")).toContainText("stored sealed");
  await expect(page.getByTestId("error-summary")).toHaveCount(0);
  const uploaded = await fieldValues(page);
  await uploadInput("bootstrap").setInputFiles(bootstrap20);
  await expect(page.getByTestId("error-files.bootstrap")).toContainText("20.0 MiB; the limit is 16.0 MiB. Nothing was stored.");
  expect(await fieldValues(page)).toEqual(uploaded);
  await expect(page.getByTestId("error-summary").locator("li")).toHaveCount(1);
  // the sentence names its file once, the name linking to the field
  await expect(page.getByTestId("error-summary").locator("li")).toHaveText("bootstrap.ign is 20.0 MiB; the limit is 16.0 MiB. Nothing was stored.");
  await expect(page.getByTestId("error-summary").getByRole("link", { name: "bootstrap.ign" })).toHaveAttribute("href", "#field-files-bootstrap");
  await shot(page, "5-files-too-large");
  // The route refuses it as well (nothing in the browser to trust), and the 1.5 MiB one stays.
  const draftId = /\/clusters\/([^/]+)\/edit/.exec(page.url())![1];
  const refused = await page.request.put(`/api/clusters/${draftId}/files/bootstrap`, { data: readFileSync(bootstrap20) });
  expect(refused.status()).toBe(413);
  expect((await refused.json()).error).toMatch(/limit is 16\.0 MiB\. Nothing was stored/);
  await page.reload();
  await expect(page.getByTestId("upload-bootstrap").locator("input[type=text]")).toHaveValue(/1\.5 MiB/);
  await shot(page, "5-files");
  await page.getByRole("button", { name: "Next" }).click();

  // 6 — review: every port, the VIP ports, the rules, the quota, a real preflight.
  await expect(page).toHaveURL(/\/edit\/review$/);
  await expect(page.getByTestId("preflight-summary")).toContainText("Preflight passed", { timeout: 60_000 });
  await expect(page.getByTestId("review-ports").locator("tbody tr")).toHaveCount(16);
  await expect(page.getByTestId("review-vip-ports").locator("tbody tr")).toHaveCount(2); // API and Ingress; no api-int
  await expect(page.getByTestId("review-vip-ports")).toContainText(goodVip);
  await expect(page.getByTestId("review-vip-ports")).toContainText("Ingress VIP");
  await expect(page.getByTestId("quota")).toContainText("instances (Nova)");
  await shot(page, "6-review");
  await page.getByRole("button", { name: "Next" }).click();

  // 7 — create. First the draft's own page: the plan, nothing in the cloud yet.
  await expect(page).toHaveURL(/\/edit\/create$/);
  await shot(page, "7-create");
  await page.getByRole("link", { name: "Cluster page" }).click();
  await expect(page.getByTestId("cluster-status")).toHaveText("draft");
  await expect(page.getByTestId("ports").locator("tbody tr")).toHaveCount(6); // 4 nodes + the API and Ingress VIP ports
  await expect(page.getByTestId("ports")).toContainText("planned");
  await page.screenshot({ path: "test-results/cluster-draft.png", fullPage: true });
  await page.goBack();
  await expect(page).toHaveURL(/\/edit\/create$/);
  // The cluster page follows the create live, up to the control plane.
  await page.getByRole("button", { name: "Create cluster" }).click();
  await expect(page.getByTestId("cluster-status")).toBeVisible();
  await expect(page.getByTestId("step-ignition-upload")).toContainText("succeeded", { timeout: 240_000 });
  const infraId = (await page.locator("p.empty code").first().textContent())!.trim();
  const stored = await objects.head(createSession(cloudOptions()), ignitionContainerName(infraId), BOOTSTRAP_OBJECT);
  expect(stored.sizeBytes).toBeGreaterThan(1.5 * MIB); // the uploaded 1.5 MiB config, with Tripod's files merged in
  await expect(page.getByTestId("step-control-plane")).toContainText("succeeded", { timeout: 400_000 });
  await shot(page, "8-control-plane");
  // the wizard's address of a cluster no longer a draft says so, and where to go instead
  const clusterPage = page.url();
  await page.goto(`${clusterPage}/edit/cluster`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("wiz");
  await expect(page.getByTestId("not-a-draft")).toContainText("This cluster is creating; only a draft can be edited.");
  await page.getByTestId("not-a-draft").getByRole("link", { name: "Cluster page" }).click();
  await expect(page).toHaveURL(clusterPage);

  // Alice cancels the wait for bootstrap-complete; the project's lead tears her cluster down to nothing and is
  // recorded as its approver.
  // Cancel asks once; a cancelled create shows as cancelled, not failed.
  await page.getByRole("button", { name: "Cancel create" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Cancel create" }).click();
  await expect(page.getByTestId("operation-create").getByTestId("operation-status")).toHaveText("cancelled", { timeout: 180_000 });
  await expect(page.getByTestId("cluster-status")).toHaveText("cancelled");
  await expect(page.getByRole("button", { name: "Tear down" })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/); // the sign-out's own redirect first, or the next navigation is aborted
  await signIn(page, "lena", "tripod-lead");
  await page.getByRole("link", { name: "wiz", exact: true }).click();
  // Tear down needs the cluster's name typed.
  await page.getByRole("button", { name: "Tear down" }).click();
  const confirm = page.getByRole("dialog");
  await expect(confirm.getByRole("button", { name: "Tear down" })).toBeDisabled();
  await confirm.getByLabel("Cluster name").fill("wiz");
  await confirm.getByRole("button", { name: "Tear down" }).click();
  await expect(page.getByTestId("operation-teardown")).toContainText("requested by lena, approved by lena");
  await expect(page.getByTestId("cluster-status")).toHaveText("deleted", { timeout: 400_000 });
  await expect(page.getByTestId("step-verify-empty")).toContainText("succeeded");
  await page.screenshot({ path: "test-results/cluster-deleted.png", fullPage: true });
  await page.getByRole("link", { name: "Oversight" }).click();
  await expect(page.getByTestId("oversight")).toContainText("wiz");
});

test("drafts: import a spec, edit, export byte-stable, clone, delete; the name and the VRRP ids are free again", async ({ page, browser }) => {
  test.setTimeout(180_000);
  await signIn(page, "alice", "tripod-demo");
  await page.goto("/clusters/new");
  await page.getByRole("button", { name: "Import a spec (JSON)" }).click();
  // JSON errors name line and column.
  await page.getByRole("textbox", { name: "Spec JSON" }).fill('{\n  "name": "x",\n  oops\n}');
  await page.getByRole("button", { name: "Import into the wizard" }).click();
  await expect(page.getByTestId("error-specText")).toContainText("line 3, column 3");
  const spec = JSON.parse(readFileSync("test/fixtures/demo-spec.json", "utf8")) as Record<string, unknown> & { networks: { public: { apiVip: string } } };
  spec.name = "drafty";
  spec.networks.public.apiVip = "198.18.40.77"; // inside the pool: imported, shown as wrong on its step
  await page.getByRole("textbox", { name: "Spec JSON" }).fill(JSON.stringify(spec));
  await page.getByRole("button", { name: "Import into the wizard" }).click();
  await expect(page).toHaveURL(/\/edit\/cluster$/);
  await expect(field(page, "name")).toHaveValue("drafty");
  await page.getByRole("button", { name: "Nodes and addresses" }).click();
  await expect(page.getByTestId("error-networks.public.apiVip")).toContainText("DHCP allocation pools");
  await field(page, "networks-public-apiVip").fill("198.18.40.9"); // below the pool, no node's address
  await field(page, "networks-public-apiVip").blur();
  await expect(page.getByTestId("error-networks.public.apiVip")).toHaveCount(0);
  const draftId = /\/clusters\/([^/]+)\/edit/.exec(page.url())![1];

  // Export → import → export gives the same bytes (secrets left out: the installer configs are references).
  const exported = await (await page.request.get(`/api/clusters/${draftId}/spec`)).text();
  expect(JSON.parse(exported).installerConfigs).toEqual({ bootstrap: "@bootstrap.ign", master: "@master.ign" });
  await page.goto("/clusters/new");
  await page.getByRole("button", { name: "Import a spec (JSON)" }).click();
  await page.getByRole("textbox", { name: "Spec JSON" }).fill(exported.replace('"drafty"', '"drafty-rt"'));
  await page.getByRole("button", { name: "Import into the wizard" }).click();
  await expect(page).toHaveURL(/\/edit\/cluster$/);
  const roundTripId = /\/clusters\/([^/]+)\/edit/.exec(page.url())![1];
  expect(await (await page.request.get(`/api/clusters/${roundTripId}/spec`)).text()).toBe(exported.replace('"drafty"', '"drafty-rt"'));

  // The draft's page: its VRRP ids; clone it.
  await page.goto(`/clusters/${draftId}`);
  const vrrpText = async () => (await page.locator("p.empty").first().textContent())!.match(/API (\d+) \/ Ingress (\d+)/)!.slice(1);
  const ids = await vrrpText();
  await page.getByRole("button", { name: "New cluster like this" }).click();
  await expect(field(page, "name")).toHaveValue("drafty-2");
  const cloneId = /\/clusters\/([^/]+)\/edit/.exec(page.url())![1];
  await page.goto(`/clusters/${cloneId}`);
  expect(await vrrpText()).not.toEqual(ids);

  // Delete the original: the name and its router ids can be taken again.
  const deleteDraft = async (id: string) => {
    await page.goto(`/clusters/${id}`);
    await page.getByRole("button", { name: "Delete draft" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete draft" }).click();
    await expect(page).toHaveURL(/\/clusters$/);
    expect((await page.request.get(`/api/clusters/${id}`)).status()).toBe(404);
  };
  await deleteDraft(draftId);
  await page.goto("/clusters/new");
  await page.getByRole("button", { name: "Import a spec (JSON)" }).click();
  spec.networks.public.apiVip = "198.18.40.5";
  await page.getByRole("textbox", { name: "Spec JSON" }).fill(JSON.stringify(spec));
  await page.getByRole("button", { name: "Import into the wizard" }).click();
  await expect(page).toHaveURL(/\/edit\/cluster$/);
  const againId = /\/clusters\/([^/]+)\/edit/.exec(page.url())![1];
  await page.goto(`/clusters/${againId}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("drafty");
  expect(await vrrpText()).toEqual(ids);

  // A create that preflight refuses changed nothing in the cloud: "Back to editing" makes it a draft again, its
  // failed operation kept in the history.
  await page.goto("/clusters/new");
  await page.getByRole("button", { name: "Import a spec (JSON)" }).click();
  await page.getByRole("textbox", { name: "Spec JSON" }).fill(JSON.stringify({ ...spec, name: "drafty-pf", flavor: "no-such-flavor" }));
  await page.getByRole("button", { name: "Import into the wizard" }).click();
  await expect(page).toHaveURL(/\/edit\/cluster$/);
  const refusedId = /\/clusters\/([^/]+)\/edit/.exec(page.url())![1];
  await page.goto(`/clusters/${refusedId}`);
  await page.getByRole("button", { name: "Create cluster" }).click();
  await expect(page.getByTestId("operation-create").getByTestId("operation-status")).toHaveText("failed", { timeout: 120_000 });
  await expect(page.getByTestId("step-preflight")).toContainText("failed");
  // the clusters list says where it stopped
  await page.goto("/clusters?q=drafty-pf");
  await expect(page.getByTestId("clusters").getByRole("row", { name: /drafty-pf/ })).toContainText("create failed at preflight");
  // and the project's lead sees on Oversight what preflight found first, not the step's name again
  const lead = await (await browser.newContext()).newPage();
  await signIn(lead, "lena", "tripod-lead");
  await lead.goto("/oversight?q=drafty-pf");
  const row = lead.getByTestId("oversight").getByRole("row", { name: /drafty-pf/ });
  await expect(row).toContainText("create failed at preflight by alice");
  await expect(row).toContainText("flavor");
  await expect(row).not.toContainText("preflight found");
  await lead.context().close();
  await page.goto(`/clusters/${refusedId}`);
  await page.getByRole("button", { name: "Back to editing" }).click();
  await expect(page.getByTestId("cluster-status")).toHaveText("draft");
  await expect(page.getByRole("button", { name: "Create cluster" })).toBeVisible();
  await expect(page.getByTestId("operation-create").getByTestId("operation-status")).toHaveText("failed");

  // Clean up the drafts (nothing of them is in the cloud).
  for (const id of [againId, cloneId, roundTripId, refusedId]) await deleteDraft(id);
});
