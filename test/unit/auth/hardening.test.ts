import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { verifyLogin } from "@/lib/auth/credentials";
import { MAX_FAILURES, MAX_FAILURES_PER_SOURCE } from "@/lib/auth/login-throttle";
import { safeCallbackPath, safeRedirect } from "@/lib/auth/options";
import { passwordProblem } from "@/lib/auth/password-rules";
import { sourceAddress } from "@/lib/auth/source";
import { openStoredSpec, sealStoredSpec } from "@/lib/cluster-spec/sealed";
import { MAX_JSON_DEPTH, parseJsonText, tooDeepAt } from "@/lib/cluster-spec";
import { clusterApiHosts, kubeApiServerProblem } from "@/lib/lifecycle/bootstrap-complete";
import { planCluster } from "@/lib/plan";
import { demoSpec, demoSpecInput } from "../../support/demo-spec";
import { makeUser, testDb, uniq } from "../../support/db";

const db = testDb();
afterAll(() => db.$disconnect());

describe("sign-in hardening", () => {
  it("evaluates at most 5 of 20 parallel guesses (the check and the record are one statement)", async () => {
    const user = await makeUser(db, { password: "right" });
    const source = uniq("10.0.0");
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => verifyLogin(db, user.username, `guess-${i}`, { source })));
    expect(results.filter((r) => !r.ok && r.reason === "invalid")).toHaveLength(MAX_FAILURES);
    expect(results.filter((r) => !r.ok && r.reason === "throttled")).toHaveLength(20 - MAX_FAILURES);
  });

  it("locks a name out only from the address that failed; an address that sprays names is stopped", async () => {
    const user = await makeUser(db, { password: "right" });
    for (let i = 0; i < MAX_FAILURES; i++) await verifyLogin(db, user.username, "wrong", { source: "attacker-1" });
    expect(await verifyLogin(db, user.username, "right", { source: "attacker-1" })).toEqual({ ok: false, reason: "throttled" });
    expect(await verifyLogin(db, user.username, "right", { source: "colleague" })).toMatchObject({ ok: true });
    const sprayer = uniq("sprayer");
    for (let i = 0; i < MAX_FAILURES_PER_SOURCE; i++) await verifyLogin(db, uniq("nobody"), "x", { source: sprayer });
    expect(await verifyLogin(db, user.username, "right", { source: sprayer })).toEqual({ ok: false, reason: "sourceThrottled" });
  });

  it("prunes failures older than the window", async () => {
    const old = new Date(Date.now() - 10 * 60_000);
    await db.loginFailure.create({ data: { username: uniq("old"), source: "s", at: old } });
    await verifyLogin(db, uniq("anyone"), "x", { source: uniq("s") });
    expect(await db.loginFailure.count({ where: { at: { lte: old } } })).toBe(0);
  });

  it("refuses a disabled user as it refuses a wrong password", async () => {
    const user = await makeUser(db, { password: "right" });
    await db.user.update({ where: { id: user.id }, data: { disabled: true } });
    expect(await verifyLogin(db, user.username, "right", { source: uniq("s") })).toEqual({ ok: false, reason: "invalid" });
  });

  it("sends people after sign-in only to paths of this site", () => {
    for (const evil of ["//evil.example/x", "/\\evil.example", "https://evil.example/", "/\\/evil", "javascript:alert(1)", "/\tevil", ""]) {
      expect(safeCallbackPath(evil), evil).toBe("/clusters");
    }
    expect(safeCallbackPath("/clusters/abc?x=1")).toBe("/clusters/abc?x=1");
    expect(safeRedirect("https://evil.example/", "http://127.0.0.1:3000")).toBe("http://127.0.0.1:3000/clusters");
    expect(safeRedirect("http://127.0.0.1:3000/admin", "http://127.0.0.1:3000")).toBe("http://127.0.0.1:3000/admin");
    expect(safeRedirect("http://127.0.0.1:3000//evil.example", "http://127.0.0.1:3000")).toBe("http://127.0.0.1:3000/clusters");
  });

  it("takes the address the nearest proxy appended", () => {
    expect(sourceAddress("1.1.1.1, 203.0.113.7")).toBe("203.0.113.7");
    expect(sourceAddress(null)).toBe("unknown");
  });

  it("states and checks the password rules", () => {
    expect(passwordProblem("short")).toMatch(/at least 12/);
    expect(passwordProblem("password1234")).toMatch(/breach lists/);
    expect(passwordProblem("alice-is-here-2026", "alice")).toMatch(/user name/);
    expect(passwordProblem("a sentence nobody guesses")).toBeNull();
  });
});

describe("request and spec hardening", () => {
  it("seals the installer configs of a stored spec and opens them again", () => {
    const spec = demoSpecInput();
    const stored = sealStoredSpec(spec);
    expect(stored).not.toContain(JSON.stringify(spec.installerConfigs).slice(1, 60));
    expect(JSON.parse(stored).installerConfigs.sealed).toMatch(/^v1\./);
    expect(openStoredSpec(stored)).toEqual(JSON.parse(JSON.stringify(spec)));
    expect(openStoredSpec(JSON.stringify(spec))).toEqual(JSON.parse(JSON.stringify(spec)));
  });

  it("stores a drafted cluster's installer configs sealed (read from the SQLite file)", async () => {
    const { draftCluster } = await import("@/lib/data/clusters");
    const { loadActor } = await import("@/lib/data/actor");
    const project = await db.project.create({ data: { name: uniq("seal") } });
    const cloud = await db.cloud.create({ data: { projectId: project.id, name: "c", authUrl: "http://127.0.0.1:5000/v3", credentialsSealed: "x" } });
    const member = (await loadActor(db, (await makeUser(db, { projects: [{ id: project.id, role: "member" }] })).id))!;
    const spec = { ...demoSpecInput(), name: "sealed" };
    // The networks' Neutron ids as the cloud would answer them (how a draft asks the cloud: test/unit/data/clusters.test.ts).
    const networkIds = { networkId: async (_cloud: unknown, nameOrId: string) => `id-of-${nameOrId}` };
    // a spec nested deeper than any is refused where it is parsed, nothing drafted
    const deep = await draftCluster(db, member, { projectId: project.id, cloudId: cloud.id, specJson: `{"a":${"[".repeat(100)}${"]".repeat(100)}}` }, networkIds);
    expect(deep).toEqual({ ok: false, errors: { specJson: "The spec nests deeper than 64 levels at line 1, column 69" } });
    const draft = await draftCluster(db, member, { projectId: project.id, cloudId: cloud.id, specJson: JSON.stringify(spec) }, networkIds);
    expect(draft.ok).toBe(true);
    const raw = new Database(process.env.DATABASE_URL!.replace(/^file:/, ""), { readonly: true });
    const row = raw.prepare("SELECT id, specJson, resolvedSpecJson FROM Cluster WHERE projectId = ?").get(project.id) as { id: string; specJson: string; resolvedSpecJson: string };
    // The configs are the draft's installer files (as the wizard's uploads), the spec refers to them.
    const files = raw.prepare("SELECT kind, sealed FROM InstallerFile WHERE clusterId = ? ORDER BY kind").all(row.id) as { kind: string; sealed: string }[];
    raw.close();
    const ignition = JSON.stringify(spec.installerConfigs.bootstrap);
    expect(row.specJson).not.toContain(ignition.slice(1, 80));
    expect(row.resolvedSpecJson).not.toContain(ignition.slice(1, 80));
    expect(JSON.parse(row.resolvedSpecJson).installerConfigs).toEqual({ bootstrap: "@bootstrap.ign", master: "@master.ign" });
    expect(files.map((f) => f.kind)).toEqual(["bootstrap", "master"]);
    for (const f of files) {
      expect(f.sealed).toMatch(/^v1\./);
      expect(f.sealed).not.toContain(ignition.slice(1, 80));
    }
  });

  it("finds JSON nested too deeply without parsing it, and refuses to parse it", () => {
    const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
    expect(tooDeepAt('{"a":[1,{"b":"[[[[\\"["}]}')).toBeNull();
    expect(tooDeepAt(nested(MAX_JSON_DEPTH))).toBeNull();
    expect(tooDeepAt(nested(MAX_JSON_DEPTH + 1))).toBe(5 * MAX_JSON_DEPTH);
    expect(parseJsonText(nested(MAX_JSON_DEPTH))).toMatchObject({ ok: true });
    // a few hundred KiB of it would overflow JSON.stringify's stack once parsed
    expect(parseJsonText(nested(100_000))).toEqual({ ok: false, message: "nests deeper than 64 levels at line 1, column 321", line: 1, column: 321 });
  });

  it("lets the dashboard fetch only the cluster's own API addresses", () => {
    const spec = demoSpec();
    const hosts = clusterApiHosts(spec, planCluster(spec, { clusterId: "c", infraId: "i" }), {});
    expect(kubeApiServerProblem(`https://${spec.networks.public.apiVip}:6443`, hosts)).toBeNull();
    expect(kubeApiServerProblem(`https://api.${spec.name}.${spec.baseDomain}:6443`, hosts)).toBeNull();
    expect(kubeApiServerProblem("https://169.254.169.254/latest", hosts)).toMatch(/not one of this cluster's API addresses/);
    expect(kubeApiServerProblem("https://127.0.0.1:6443", hosts)).toMatch(/not one of/);
    expect(kubeApiServerProblem(`http://${spec.networks.public.apiVip}:6443`, hosts)).toMatch(/not https/);
    expect(kubeApiServerProblem("https://10.0.0.1:6443", clusterApiHosts(spec, planCluster(spec, { clusterId: "c", infraId: "i" }), { TRIPOD_KUBE_API_ALLOWED_HOSTS: "10.0.0.1" }))).toBeNull();
  });
});
