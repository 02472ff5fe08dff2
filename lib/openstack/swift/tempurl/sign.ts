// Temp-URL signing as Swift's tempurl middleware checks it: HMAC over "<METHOD>\n<expires>\n<path>" (prefixed with
// "ip=<range>\n" when locked to addresses; path prefixed with "prefix:" for prefix URLs), the path unencoded and
// starting at /v1/. sha1 and sha256 signatures are hex; sha512 must be "sha512:<urlsafe base64>".
import { createHmac } from "node:crypto";

export type TempUrlDigest = "sha1" | "sha256" | "sha512";

const PREFERENCE: readonly TempUrlDigest[] = ["sha512", "sha256", "sha1"];

/**
 * The strongest digest the cluster allows. `allowedDigests` undefined means an old cluster that announces tempurl
 * without the list: only sha1 is supported there.
 */
export function chooseDigest(allowedDigests: readonly string[] | undefined): TempUrlDigest {
  if (!allowedDigests) return "sha1";
  const chosen = PREFERENCE.find((d) => allowedDigests.includes(d));
  if (!chosen) throw new Error(`Swift allows no temp-URL digest this client knows (${allowedDigests.join(", ")})`);
  return chosen;
}

export interface TempUrlSigningInput {
  method: string;
  /** Unix seconds. */
  expires: number;
  /** The object's path from /v1/ on, not URL-encoded (for a prefix URL: the path of the prefix). */
  path: string;
  key: string;
  digest: TempUrlDigest;
  /** Lock the URL to a client address or CIDR (temp_url_ip_range). */
  ipRange?: string;
  /** Sign for every object under `path` (temp_url_prefix). */
  prefix?: boolean;
}

export function tempUrlSignature(i: TempUrlSigningInput): string {
  const body = `${i.ipRange ? `ip=${i.ipRange}\n` : ""}${i.method}\n${i.expires}\n${i.prefix ? "prefix:" : ""}${i.path}`;
  const mac = createHmac(i.digest, i.key).update(body);
  if (i.digest === "sha512") return `sha512:${mac.digest("base64").replace(/\+/g, "-").replace(/\//g, "_")}`;
  return mac.digest("hex");
}

/** The full URL of one object: origin + encoded path + temp_url_* query parameters. */
export function tempUrl(origin: string, i: Omit<TempUrlSigningInput, "prefix">): string {
  const encodedPath = i.path.split("/").map(encodeURIComponent).join("/");
  const params = new URLSearchParams({ temp_url_sig: tempUrlSignature(i), temp_url_expires: String(i.expires) });
  if (i.ipRange) params.set("temp_url_ip_range", i.ipRange);
  return `${origin}${encodedPath}?${params.toString()}`;
}
