import { afterAll, describe, expect, it } from "vitest";
import { createSession } from "@/lib/openstack/client";
import { isUnknownCloud, loadCloud } from "@/lib/openstack/config";
import { isAuthenticationFailed, isConnectionFailed, isEndpointNotFound, OpenStackError } from "@/lib/openstack/errors";
import * as appCreds from "@/lib/openstack/keystone/application-credentials/requests";
import * as networks from "@/lib/openstack/neutron/networks/requests";
import { CLOUDS_YAML, cloudOptions, recordingSession, RUN, seed } from "./cloud";

const createdCredentials: string[] = [];
const projectName = (cloudOptions().auth as { projectName?: string }).projectName;
const { session: demo } = recordingSession();

afterAll(async () => {
  for (const id of createdCredentials) await appCreds.remove(demo, id);
});

async function failure(p: Promise<unknown>): Promise<OpenStackError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof OpenStackError) return err;
    throw err;
  }
  throw new Error("expected a failure");
}

describe("Keystone v3 against the local cloud", { timeout: 60_000 }, () => {
  it("password auth scoped to the project returns a token and a catalog with every service", async () => {
    const token = await demo.currentToken();
    expect(token.projectName).toBe(projectName);
    expect(token.expiresAt).toBeGreaterThan(Date.now());
    for (const service of ["compute", "network", "image", "object-store"] as const) {
      expect(await demo.endpoint(service)).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    }
  });

  it("a wrong password is AuthenticationFailed, naming the user and project, never the password", async () => {
    const opts = cloudOptions();
    const bad = createSession({ ...opts, auth: { ...opts.auth, type: "password", password: "wrong-password" } });
    const err = await failure(bad.currentToken());
    expect(isAuthenticationFailed(err)).toBe(true);
    expect(err.status).toBe(401);
    expect(err.message).toContain(`in project ${projectName}`);
    expect(err.message).not.toContain("wrong-password");
  });

  it("an unknown cloud name is a CloudConfigError listing the known clouds", () => {
    let caught: unknown;
    try {
      loadCloud({ cloud: "tripod-nope", env: { OS_CLIENT_CONFIG_FILE: CLOUDS_YAML } });
    } catch (err) {
      caught = err;
    }
    expect(isUnknownCloud(caught)).toBe(true);
    expect((caught as Error).message).toContain("tripod-demo");
  });

  it("an unreachable Keystone is ConnectionFailed with its URL, after bounded retries", async () => {
    const s = createSession({ ...cloudOptions(), authUrl: "http://127.0.0.1:9/v3", retry: { maxElapsedMs: 1500, baseDelayMs: 50 } });
    const started = Date.now();
    const err = await failure(s.currentToken());
    expect(isConnectionFailed(err)).toBe(true);
    expect(err.message).toContain("Keystone at http://127.0.0.1:9/v3/auth/tokens is unreachable");
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("a service missing from the catalog (here: the region) is EndpointNotFound naming what the cloud offers", async () => {
    const s = createSession({ ...cloudOptions(), region: "RegionNowhere" });
    const err = await failure(networks.list(s));
    expect(isEndpointNotFound(err)).toBe(true);
    expect(err.message).toMatch(/no network endpoint \(public, RegionNowhere\).*compute/);
  });

  it("application credential: create, authenticate with it alone, delete", async () => {
    const cred = await appCreds.create(demo, { name: `${RUN}-ac`, description: "lib/openstack integration test" });
    createdCredentials.push(cred.id);
    expect(cred.secret).toBeTruthy();
    const s = createSession({
      authUrl: seed.authUrl,
      region: seed.region,
      auth: { type: "application_credential", applicationCredentialId: cred.id, applicationCredentialSecret: cred.secret! },
    });
    expect(await s.projectId()).toBe(await demo.projectId());
    expect((await networks.list(s, { name: "tripod-public" })).map((n) => n.id)).toEqual([seed.networks.find((n) => n.role === "public")!.id]);
    expect(await appCreds.remove(demo, cred.id)).toBe(true);
    expect(await appCreds.remove(demo, cred.id)).toBe(false);
    createdCredentials.pop();
  });

  it("a token close to expiry is renewed before use, and concurrent callers share one re-authentication", async () => {
    // The clock jumps to one minute before the first token expires (inside the refresh margin) until a new token
    // has been issued.
    let skew = 0;
    const { session, events } = recordingSession({
      now: () => Date.now() + skew,
      onRequest: (e) => {
        if (e.service === "identity") skew = 0;
      },
    });
    const first = await session.currentToken();
    events.length = 0;
    skew = first.expiresAt - Date.now() - 60_000;
    await Promise.all([networks.list(session, { name: "tripod-public" }), networks.list(session, { name: "tripod-cluster" }), session.currentToken()]);
    expect(events.filter((e) => e.service === "identity")).toHaveLength(1);
    expect(events.filter((e) => e.status === 401)).toHaveLength(0);
    expect((await session.currentToken()).value).not.toBe(first.value);
  });
});
