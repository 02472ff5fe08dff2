import { createHash, randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { isNotFound } from "@/lib/openstack/errors";
import * as account from "@/lib/openstack/swift/account/requests";
import * as containers from "@/lib/openstack/swift/containers/requests";
import * as info from "@/lib/openstack/swift/info/requests";
import * as objects from "@/lib/openstack/swift/objects/requests";
import * as tempUrls from "@/lib/openstack/swift/tempurl/requests";
import { recordingSession, RUN, sweep } from "./cloud";

const TAG = `${RUN}-swift`;
const { session } = recordingSession();
const { session: admin } = recordingSession({}, "tripod-admin");
let adminKeyBefore: string | undefined;

afterAll(async () => {
  await sweep(session, TAG);
  await sweep(admin, TAG);
  // Give the admin account back the temp-URL key state it had before this file ran.
  if (adminKeyBefore) await account.setTempUrlKey(admin, adminKeyBefore);
  else await admin.request({ service: "object-store", method: "POST", path: "", headers: { "X-Remove-Account-Meta-Temp-URL-Key": "x" } });
}, 120_000);

describe("Swift against the local cloud", { timeout: 120_000 }, () => {
  const blob = randomBytes(300 * 1024);
  const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

  it("container and object: create, head, get, list, delete", async () => {
    await containers.create(session, TAG);
    await containers.create(session, TAG); // PUT again: no error, nothing changes
    const { etag } = await objects.put(session, TAG, "dir/bootstrap.ign", blob, { contentType: "application/vnd.coreos.ignition+json" });
    expect(etag).toBe(createHash("md5").update(blob).digest("hex"));
    expect(await objects.head(session, TAG, "dir/bootstrap.ign")).toMatchObject({ sizeBytes: blob.length, contentType: "application/vnd.coreos.ignition+json" });
    expect(sha(await objects.get(session, TAG, "dir/bootstrap.ign"))).toBe(sha(blob));
    expect((await containers.listObjects(session, TAG)).map((o) => [o.name, o.bytes])).toEqual([["dir/bootstrap.ign", blob.length]]);
    expect(await containers.head(session, TAG)).toEqual({ objectCount: 1, bytesUsed: blob.length });
    expect(isNotFound(await objects.head(session, TAG, "missing").catch((e: unknown) => e))).toBe(true);
  });

  it("/info announces sha512, so temp URLs are signed with it; Node fetches one without a token, a bad signature is refused", async () => {
    expect((await info.get(session)).tempurl?.allowedDigests).toContain("sha512");
    const signed = await tempUrls.create(session, { container: TAG, object: "dir/bootstrap.ign", ttlSeconds: 300 });
    expect(signed.digest).toBe("sha512");
    expect(signed.url).toMatch(/temp_url_sig=sha512%3A/);

    const ok = await fetch(signed.url);
    expect(ok.status).toBe(200);
    expect(sha(Buffer.from(await ok.arrayBuffer()))).toBe(sha(blob));

    const forged = new URL(signed.url);
    forged.searchParams.set("temp_url_sig", `sha512:${Buffer.alloc(64, 7).toString("base64url")}`);
    expect((await fetch(forged)).status).toBe(401);
    const otherObject = new URL(signed.url.replace("bootstrap.ign", "other.ign"));
    expect((await fetch(otherObject)).status).toBe(401);
    const anonymous = new URL(signed.url);
    anonymous.search = "";
    expect((await fetch(anonymous)).status).toBe(401);
  });

  it("an expired temp URL is refused", async () => {
    const signed = await tempUrls.create(session, { container: TAG, object: "dir/bootstrap.ign", ttlSeconds: -5 });
    expect((await fetch(signed.url)).status).toBe(401);
  });

  it("sets a temp-URL key on an account that has none (the admin account, restored afterwards)", async () => {
    adminKeyBefore = (await account.head(admin)).tempUrlKey;
    await admin.request({ service: "object-store", method: "POST", path: "", headers: { "X-Remove-Account-Meta-Temp-URL-Key": "x" } });
    expect((await account.head(admin)).tempUrlKey).toBeUndefined();
    await containers.create(admin, TAG);
    await objects.put(admin, TAG, "o", "hello");
    const signed = await tempUrls.create(admin, { container: TAG, object: "o", ttlSeconds: 120 });
    const key = (await account.head(admin)).tempUrlKey;
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(await (await fetch(signed.url)).text()).toBe("hello");
    expect(await account.ensureTempUrlKey(admin)).toBe(key);
  });

  it("deletes: object then container; a second delete reports it was already gone", async () => {
    expect(await objects.remove(session, TAG, "dir/bootstrap.ign")).toBe(true);
    expect(await objects.remove(session, TAG, "dir/bootstrap.ign")).toBe(false);
    expect(await containers.remove(session, TAG)).toBe(true);
    expect(await containers.remove(session, TAG)).toBe(false);
  });
});
