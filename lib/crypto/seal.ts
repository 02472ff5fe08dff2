import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

// Secrets at rest (cloud credentials, VRRP agent keys) are sealed with AES-256-GCM under TRIPOD_SECRET_KEY
// (32 bytes, base64). Format: "v1.<iv>.<tag>.<ciphertext>", each part base64url — self-describing so the
// key or algorithm can be rotated later by version.
const VERSION = "v1";

export class SealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SealError";
  }
}

export function parseKey(encoded: string | undefined): Buffer {
  if (!encoded) throw new SealError("TRIPOD_SECRET_KEY is not set (32 random bytes, base64)");
  const key = Buffer.from(encoded, "base64");
  if (key.length !== 32) throw new SealError("TRIPOD_SECRET_KEY must decode to exactly 32 bytes");
  return key;
}

function envKey(): Buffer {
  return parseKey(process.env.TRIPOD_SECRET_KEY);
}

export function sealSecret(plaintext: string, key: Buffer = envKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), data].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

export function openSecret(sealed: string, key: Buffer = envKey()): string {
  const [version, iv, tag, data] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || data === undefined) throw new SealError("not a sealed secret");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  try {
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SealError("sealed secret does not open with this key (wrong TRIPOD_SECRET_KEY or tampered data)");
  }
}

export function generateKey(): string {
  return randomBytes(32).toString("base64");
}
