import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { chooseDigest, tempUrl, tempUrlSignature } from "@/lib/openstack/swift/tempurl/sign";
import { infoUrl } from "@/lib/openstack/swift/urls";

// Cross-check against OpenSSL's HMAC (a local binary), for the cases Swift's docs give no worked value for.
function opensslHmac(digest: string, key: string, body: string): string {
  return execFileSync("openssl", ["dgst", `-${digest}`, "-hmac", key], { input: body }).toString().trim().split(" ").pop()!;
}

describe("temp URL signatures: the examples in Swift's documentation", () => {
  it("HMAC-SHA512 example of the tempurl middleware docstring (swift/common/middleware/tempurl.py)", () => {
    // key 'mykey', GET, expires 1516741234, path /v1/AUTH_account/container/object →
    // sig 'sha512:ZrSijn0G…yueeXg==' (urlsafe base64, padding kept)
    expect(
      tempUrlSignature({ method: "GET", expires: 1516741234, path: "/v1/AUTH_account/container/object", key: "mykey", digest: "sha512" }),
    ).toBe("sha512:ZrSijn0GyDhsv1ltIj9hWUTrbAeE45NcKXyBaz7aPbSMvROQ4jtYH4nRAmm5ErY2X11Yc1Yhy2OMCyN3yueeXg==");
  });

  it("HMAC-SHA1 value printed by `swift tempurl` in doc/source/api/temporary_url_middleware.rst", () => {
    // The page prints temp_url_sig=5c4cc8886f36a9d0919d708ade98bf0cc71c9e91&temp_url_expires=1374497657. That value is
    // reproduced by the docstring's inputs (key 'mykey', /v1/AUTH_account/container/object), not by the 'MYKEY' and
    // /v1/my_account shown beside it on the page.
    expect(
      tempUrlSignature({ method: "GET", expires: 1374497657, path: "/v1/AUTH_account/container/object", key: "mykey", digest: "sha1" }),
    ).toBe("5c4cc8886f36a9d0919d708ade98bf0cc71c9e91");
  });

  it("builds the docstring's link shape: path, then temp_url_sig and temp_url_expires", () => {
    const url = tempUrl("https://swift-cluster.example.com", {
      method: "GET",
      expires: 1516741234,
      path: "/v1/AUTH_account/container/object",
      key: "mykey",
      digest: "sha512",
    });
    const parsed = new URL(url);
    expect(parsed.origin + parsed.pathname).toBe("https://swift-cluster.example.com/v1/AUTH_account/container/object");
    expect(parsed.searchParams.get("temp_url_sig")).toBe(
      "sha512:ZrSijn0GyDhsv1ltIj9hWUTrbAeE45NcKXyBaz7aPbSMvROQ4jtYH4nRAmm5ErY2X11Yc1Yhy2OMCyN3yueeXg==",
    );
    expect(parsed.searchParams.get("temp_url_expires")).toBe("1516741234");
  });
});

describe("temp URL signatures: bodies Swift documents, checked against OpenSSL", () => {
  it("HMAC-SHA256 is hex over METHOD\\nexpires\\npath", () => {
    const body = "GET\n1323479485\n/v1/my_account/container/object";
    expect(tempUrlSignature({ method: "GET", expires: 1323479485, path: "/v1/my_account/container/object", key: "MYKEY", digest: "sha256" })).toBe(
      opensslHmac("sha256", "MYKEY", body),
    );
  });

  it("an IP-locked signature prefixes the body with ip=<range>", () => {
    const body = "ip=1.2.3.0/24\nGET\n1323479485\n/v1/AUTH_account/container/object";
    expect(
      tempUrlSignature({ method: "GET", expires: 1323479485, path: "/v1/AUTH_account/container/object", key: "mykey", digest: "sha1", ipRange: "1.2.3.0/24" }),
    ).toBe(opensslHmac("sha1", "mykey", body));
  });

  it("a prefix signature signs prefix:<path>", () => {
    const body = "GET\n1323479485\nprefix:/v1/AUTH_account/container/pre";
    expect(
      tempUrlSignature({ method: "GET", expires: 1323479485, path: "/v1/AUTH_account/container/pre", key: "mykey", digest: "sha256", prefix: true }),
    ).toBe(opensslHmac("sha256", "mykey", body));
  });

  it("signs the decoded path but encodes it in the URL", () => {
    const url = new URL(tempUrl("http://127.0.0.1:8080", { method: "GET", expires: 10, path: "/v1/AUTH_a/c/dir/a b.ign", key: "k", digest: "sha256" }));
    expect(url.pathname).toBe("/v1/AUTH_a/c/dir/a%20b.ign");
    expect(url.searchParams.get("temp_url_sig")).toBe(opensslHmac("sha256", "k", "GET\n10\n/v1/AUTH_a/c/dir/a b.ign"));
  });
});

describe("digest choice from /info", () => {
  it.each([
    [["sha1", "sha256", "sha512"], "sha512"],
    [["sha256", "sha512"], "sha512"],
    [["sha1", "sha256"], "sha256"],
    [["sha1"], "sha1"],
    [undefined, "sha1"],
  ] as const)("allowed %j → %s", (allowed, expected) => {
    expect(chooseDigest(allowed)).toBe(expected);
  });

  it("refuses a list with no digest it knows", () => {
    expect(() => chooseDigest(["md5"])).toThrow(/no temp-URL digest/);
  });

  it("finds /info beside /v1", () => {
    expect(infoUrl("http://127.0.0.1:18080/v1/AUTH_abc")).toBe("http://127.0.0.1:18080/info");
    expect(infoUrl("https://os.example.com/swift/v1/AUTH_abc/")).toBe("https://os.example.com/swift/info");
  });
});
