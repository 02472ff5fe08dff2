import { createHash } from "node:crypto";
import { UserDataTooLargeError } from "./errors";
import { stableStringify } from "./stable-json";
import type { IgnitionConfig } from "./types";

/** Nova's limit on user_data, checked on its base64 form. */
export const NOVA_USER_DATA_LIMIT = 65_535;
const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

export function sha512Hex(bytes: string | Buffer): string {
  return createHash("sha512").update(bytes).digest("hex");
}

/** One entry per PEM block: Ignition trusts only the first certificate of a multi-PEM data URL. */
export function splitPemBlocks(bundle: string): string[] {
  return (bundle.match(PEM_BLOCK) ?? []).map((block) => `${block}\n`);
}

export type PointerOptions = {
  /** Where the full config is fetched from (a Swift temp URL). */
  url: string;
  /** Hex SHA-512 of the exact bytes served at `url`. */
  sha512: string;
  /** PEM bundle of the CA that signs the URL's TLS certificate. */
  caBundle?: string;
  version?: string;
};

/** The small config passed as user data that makes Ignition fetch, verify and merge the full one. */
export function pointerConfig({ url, sha512, caBundle, version = "3.2.0" }: PointerOptions): IgnitionConfig {
  const authorities = caBundle ? splitPemBlocks(caBundle) : [];
  return {
    ignition: {
      version,
      config: { merge: [{ source: url, verification: { hash: `sha512-${sha512}` } }] },
      // Swift behind a slow proxy can take a while to send headers; Ignition's default is 10 s.
      timeouts: { httpResponseHeaders: 120 },
      ...(authorities.length > 0
        ? {
            security: {
              tls: {
                certificateAuthorities: authorities.map((pem) => ({
                  source: `data:text/plain;charset=utf-8;base64,${Buffer.from(pem).toString("base64")}`,
                })),
              },
            },
          }
        : {}),
    },
  };
}

/** The base64 size Nova counts for user data of `jsonBytes` bytes. */
export function userDataBytesOf(jsonBytes: number): number {
  return Math.ceil(jsonBytes / 3) * 4;
}

export function userDataBytes(config: IgnitionConfig): number {
  return userDataBytesOf(Buffer.byteLength(stableStringify(config), "utf8"));
}

/** Throws UserDataTooLargeError when the config would not fit in Nova user data. Returns the base64 size. */
export function assertFitsUserData(config: IgnitionConfig, what: string): number {
  const bytes = userDataBytes(config);
  if (bytes > NOVA_USER_DATA_LIMIT) throw new UserDataTooLargeError(what, bytes, NOVA_USER_DATA_LIMIT);
  return bytes;
}
