import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/api/clusters/[id]/route";
import { GET as GET_CLOUD } from "@/app/api/clusters/[id]/cloud/route";
import { authSecret } from "@/lib/auth/secret";
import { prisma } from "@/lib/db";
import { clusterPage } from "@/lib/data";
import { NotFoundError } from "@/lib/data/errors";
import { loadActor } from "@/lib/data/actor";
import { draftCluster } from "@/lib/data/clusters";
import { requestOperation } from "@/lib/lifecycle/operations";
import { config, proxy } from "@/proxy";
import { demoSpecInput } from "../../support/demo-spec";
import { makeUser, standInNetworks, uniq } from "../../support/db";

// The cluster page's poll, /api/clusters/<id>, through its route handler with a real session cookie: 304 while
// nothing changed, the view again after a change, and the session checked against the database on every request.
// proxy.ts does not run for this route nor for the grid's poll (/api/clusters/<id>/cloud) when a session cookie comes
// with them (proxy.ts says why): the routes answer a missing or ended session themselves, exactly as the proxy would.

afterAll(() => prisma.$disconnect());

// The page's request, as next/headers gives it to a page: its session cookie.
const pageCookie = vi.hoisted(() => ({ value: "" }));
vi.mock("next/headers", async () => {
  const { NextRequest } = await import("next/server");
  const request = () => new NextRequest("http://127.0.0.1/", { headers: { cookie: pageCookie.value } });
  return { headers: async () => request().headers, cookies: async () => request().cookies };
});

const cookieOf = async (userId: string, sessionVersion = 0) =>
  `next-auth.session-token=${await encode({ token: { sub: userId, sv: sessionVersion }, secret: authSecret })}`;

const poll = (clusterId: string, headers: Record<string, string> = {}) =>
  GET(new NextRequest(`http://127.0.0.1/api/clusters/${clusterId}`, { headers }), { params: Promise.resolve({ id: clusterId }) });
// The grid's route reads the session through next/headers, as a page does: the request's cookie, given as the page's.
const gridPoll = (clusterId: string, headers: Record<string, string> = {}) => {
  pageCookie.value = headers.cookie ?? "";
  return GET_CLOUD(new NextRequest(`http://127.0.0.1/api/clusters/${clusterId}/cloud`, { headers }), { params: Promise.resolve({ id: clusterId }) });
};

describe("the cluster page's poll", () => {
  let lead: { id: string };
  let outsider: { id: string };
  let clusterId: string;

  beforeAll(async () => {
    const project = await prisma.project.create({ data: { name: uniq("p") } });
    const cloudId = (await prisma.cloud.create({ data: { projectId: project.id, name: "c", authUrl: "http://127.0.0.1:5000/v3", credentialsSealed: "x" } })).id;
    lead = await makeUser(prisma, { role: "lead", projects: [{ id: project.id, role: "lead" }] });
    outsider = await makeUser(prisma, { role: "lead", projects: [{ id: (await prisma.project.create({ data: { name: uniq("p") } })).id, role: "lead" }] });
    const draft = await draftCluster(prisma, (await loadActor(prisma, lead.id))!, { projectId: project.id, cloudId, specJson: JSON.stringify({ ...demoSpecInput(), name: uniq("poll").toLowerCase() }) }, standInNetworks);
    if (!draft.ok) throw new Error(JSON.stringify(draft.errors));
    clusterId = draft.value.clusterId;
  });

  it("answers 304 while the cluster is unchanged, and the view with a new ETag after a change", async () => {
    const cookie = await cookieOf(lead.id);
    const first = await poll(clusterId, { cookie });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ id: clusterId, status: "draft" });
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^W\/"/);

    const unchanged = await poll(clusterId, { cookie, "if-none-match": etag });
    expect(unchanged.status).toBe(304);
    expect(await unchanged.text()).toBe("");
    expect(unchanged.headers.get("etag")).toBe(etag);

    await requestOperation(prisma, { clusterId, kind: "create", requestedById: lead.id });
    const changed = await poll(clusterId, { cookie, "if-none-match": etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
    expect(((await changed.json()) as { operations: unknown[] }).operations).toHaveLength(1);
    expect((await poll(clusterId, { cookie, "if-none-match": changed.headers.get("etag")! })).status).toBe(304);
  });

  it("checks the session against the database on every poll: an ended session gets 401, not 304", async () => {
    const user = await makeUser(prisma, { role: "admin" });
    const cookie = await cookieOf(user.id);
    const etag = (await poll(clusterId, { cookie })).headers.get("etag")!;
    expect((await poll(clusterId, { cookie, "if-none-match": etag })).status).toBe(304);

    await prisma.user.update({ where: { id: user.id }, data: { sessionVersion: { increment: 1 } } });
    expect((await poll(clusterId, { cookie, "if-none-match": etag })).status).toBe(401);
    await prisma.user.update({ where: { id: user.id }, data: { sessionVersion: 0, disabled: true } });
    expect((await poll(clusterId, { cookie, "if-none-match": etag })).status).toBe(401);
  });

  it("answers another project's lead not found, whatever ETag they hold", async () => {
    const cookie = await cookieOf(outsider.id);
    const held = (await poll(clusterId, { cookie: await cookieOf(lead.id) })).headers.get("etag")!;
    expect((await poll(clusterId, { cookie })).status).toBe(404);
    expect((await poll(clusterId, { cookie, "if-none-match": held })).status).toBe(404);
  });

  it("comes with the cluster page, whose first poll is then a 304 while nothing changed", async () => {
    pageCookie.value = await cookieOf(lead.id);
    const page = await clusterPage({ id: clusterId });
    expect(page.data.id).toBe(clusterId);
    const first = await poll(clusterId, { cookie: pageCookie.value, "if-none-match": page.etag });
    expect(first.status).toBe(304);
    expect(first.headers.get("etag")).toBe(page.etag);
    // another project's lead: not found, as the poll answers
    pageCookie.value = await cookieOf(outsider.id);
    await expect(clusterPage({ id: clusterId })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("answers a request without a session as proxy.ts answers its other APIs, the grid's poll too", async () => {
    const byProxy = await proxy(new NextRequest(`http://127.0.0.1/api/clusters/${clusterId}/files/kubeconfig`));
    for (const ask of [poll, gridPoll]) {
      for (const answer of [await ask(clusterId), await ask(clusterId, { cookie: "next-auth.session-token=forged" })]) {
        expect(answer.status).toBe(byProxy.status);
        expect(await answer.json()).toEqual(await byProxy.clone().json());
      }
    }
    expect(byProxy.status).toBe(401);
  });

  it("checks the grid's poll as the view's: the session against the database, another project's cluster not found", async () => {
    const user = await makeUser(prisma, { role: "member", projects: [{ id: (await prisma.cluster.findUniqueOrThrow({ where: { id: clusterId } })).projectId, role: "member" }] });
    const cookie = await cookieOf(user.id);
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const grid = await gridPoll(clusterId, { cookie });
    expect(grid.status).toBe(200);
    // the cluster is being created, but its cloud's credentials cannot be opened: the plan while the listing is
    // asked, then the plan with why the cloud could not be read (in a sentence, not a 500)
    expect(await grid.json()).toMatchObject({ source: "pending", fetchedAt: null, apiCalls: 0 });
    expect(await (await gridPoll(clusterId, { cookie })).json()).toMatchObject({ source: "plan", error: expect.stringMatching(/^The cloud could not be read just now: not a sealed secret\. /) });
    expect(logged).toHaveBeenCalledTimes(1);
    logged.mockRestore();
    expect((await gridPoll(clusterId, { cookie: await cookieOf(outsider.id) })).status).toBe(404);
    await prisma.user.update({ where: { id: user.id }, data: { sessionVersion: { increment: 1 } } });
    expect((await gridPoll(clusterId, { cookie })).status).toBe(401);
    await prisma.user.update({ where: { id: user.id }, data: { sessionVersion: 0, disabled: true } });
    expect((await gridPoll(clusterId, { cookie })).status).toBe(401);
  });

  it("runs proxy.ts for every API but the two polls and the VIP agents' ingest, and for pages, actions and the polls only without a session cookie", async () => {
    // the matcher compiled as Next's build compiles it (exported by next, not in its type declarations)
    const { getMiddlewareMatchers } = (await import("next/dist/build/analysis/get-page-static-info")) as unknown as {
      getMiddlewareMatchers: (matcher: typeof config.matcher, nextConfig: object) => { regexp: string; missing?: { type: string; key: string }[] }[];
    };
    const matchers = getMiddlewareMatchers(config.matcher, {}).map((m) => ({ regexp: new RegExp(m.regexp), missing: m.missing ?? [] }));
    // Next runs the proxy when a matcher's pattern matches and none of its `missing` cookies is present
    const proxied = (path: string, cookies: string[] = []) =>
      matchers.some((m) => m.regexp.test(path) && !m.missing.some((c) => c.type === "cookie" && cookies.includes(c.key)));
    const selfChecked = ["/", "/clusters", "/clusters/abc", "/clusters/abc/events", "/clusters/new", "/oversight", "/admin", "/api/clusters/abc", "/api/clusters/abc/cloud"];
    const apis = ["/api/clusters", "/api/clusters/abc/cloudy", "/api/clusters/abc/cloud/x", "/api/clusters/abc/files/kubeconfig", "/api/clusters/abc/spec", "/api/clusters/abc/lab", "/api/v1/clusters", "/api/auth/session"];
    for (const path of [...selfChecked, ...apis]) expect(proxied(path), `${path} without a session cookie`).toBe(true);
    for (const cookie of ["next-auth.session-token", "__Secure-next-auth.session-token"]) {
      for (const path of selfChecked) expect(proxied(path, [cookie]), `${path} with ${cookie}`).toBe(false);
      for (const path of apis) expect(proxied(path, [cookie]), `${path} with ${cookie}`).toBe(true);
    }
    expect(proxied("/api/vrrp/ingest")).toBe(false);
    expect(proxied("/api/vrrp/ingestx")).toBe(true);
    expect(proxied("/_next/static/chunks/x.js")).toBe(false);
    expect(proxied("/favicon.svg")).toBe(false);
  });
});
