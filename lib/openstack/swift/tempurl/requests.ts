import type { CallOptions, Session } from "../../client";
import { ensureTempUrlKey } from "../account/requests";
import { get as getInfo } from "../info/requests";
import { objectUrl } from "../urls";
import { chooseDigest, tempUrl, type TempUrlDigest } from "./sign";

export interface CreateTempUrlOpts {
  container: string;
  object: string;
  method?: "GET" | "HEAD" | "PUT";
  ttlSeconds: number;
  ipRange?: string;
}

export interface SignedTempUrl {
  url: string;
  digest: TempUrlDigest;
  /** Unix seconds. */
  expires: number;
}

/** A URL anyone can use until it expires, without a token: the account key is created if missing. */
export async function create(session: Session, opts: CreateTempUrlOpts, call: CallOptions = {}): Promise<SignedTempUrl> {
  const info = await getInfo(session, call);
  if (!info.tempurl) throw new Error("This Swift cluster does not offer temp URLs (no tempurl in /info)");
  const digest = chooseDigest(info.tempurl.allowedDigests);
  const key = await ensureTempUrlKey(session, call);
  const endpoint = new URL(await session.endpoint("object-store", call));
  // Signed over the decoded path: /v1/AUTH_<project>/<container>/<object>.
  const path = decodeURIComponent(endpoint.pathname.replace(/\/+$/, "") + objectUrl(opts.container, opts.object));
  const expires = Math.floor(session.now() / 1000) + opts.ttlSeconds;
  const url = tempUrl(endpoint.origin, { method: opts.method ?? "GET", expires, path, key, digest, ipRange: opts.ipRange });
  return { url, digest, expires };
}
