import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  assertFitsUserData,
  NOVA_USER_DATA_LIMIT,
  pointerConfig,
  sha512Hex,
  splitPemBlocks,
  stableStringify,
  UserDataTooLargeError,
  userDataBytes,
} from "@/lib/ignition";
import { ignitionValidate, thrownBy } from "./helpers";

const bundle = readFileSync("test/fixtures/demo-ca-bundle.pem", "utf8");
const URL = "https://swift.example:8080/v1/AUTH_p/c/bootstrap.ign?temp_url_sig=abc&temp_url_expires=1900000000";

describe("pointerConfig", () => {
  it("merges the URL with a sha512 verification and one CA entry per PEM block", () => {
    const config = pointerConfig({ url: URL, sha512: sha512Hex("full config"), caBundle: bundle });
    const ignition = config.ignition as Record<string, any>;
    expect(ignition.version).toBe("3.2.0");
    expect(ignition.config.merge).toEqual([{ source: URL, verification: { hash: `sha512-${sha512Hex("full config")}` } }]);
    const authorities = ignition.security.tls.certificateAuthorities as { source: string }[];
    expect(authorities).toHaveLength(2);
    const decoded = authorities.map((a) => Buffer.from(a.source.split(",")[1], "base64").toString());
    expect(decoded).toEqual(splitPemBlocks(bundle));
    expect(decoded.every((pem) => pem.match(/BEGIN CERTIFICATE/g)?.length === 1)).toBe(true);
    expect(ignitionValidate(config)).toEqual({ ok: true, output: "" });
  });

  it("omits security without a CA bundle", () => {
    expect((pointerConfig({ url: URL, sha512: "0".repeat(128) }).ignition as Record<string, unknown>).security).toBeUndefined();
  });
});

describe("user data size", () => {
  it("counts the base64 form and refuses more than 65,535 bytes with a typed error", () => {
    const small = pointerConfig({ url: URL, sha512: "0".repeat(128), caBundle: bundle });
    expect(assertFitsUserData(small, "bootstrap pointer")).toBe(userDataBytes(small));
    expect(userDataBytes(small)).toBe(Math.ceil(Buffer.byteLength(stableStringify(small)) / 3) * 4);

    const hugeBundle = Array(40).fill(bundle).join("");
    const big = pointerConfig({ url: URL, sha512: "0".repeat(128), caBundle: hugeBundle });
    const caught = thrownBy(() => assertFitsUserData(big, "bootstrap pointer"));
    expect(caught).toBeInstanceOf(UserDataTooLargeError);
    expect(caught).toMatchObject({ what: "bootstrap pointer", limit: NOVA_USER_DATA_LIMIT });
    expect((caught as UserDataTooLargeError).base64Bytes).toBeGreaterThan(NOVA_USER_DATA_LIMIT);
  });
});
