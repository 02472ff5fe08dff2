import { randomBytes } from "node:crypto";
import type { CallOptions, Session } from "../../client";
import { toAccountInfo, type AccountInfo } from "./results";

export async function head(session: Session, call: CallOptions = {}): Promise<AccountInfo> {
  const res = await session.request({ ...call, service: "object-store", method: "HEAD", path: "" });
  return toAccountInfo(res.headers);
}

/** Sets the account's first temp-URL key (POST of account metadata: setting the same value twice is harmless). */
export async function setTempUrlKey(session: Session, key: string, call: CallOptions = {}): Promise<void> {
  await session.request({
    ...call,
    service: "object-store",
    method: "POST",
    path: "",
    headers: { "X-Account-Meta-Temp-URL-Key": key },
    idempotent: true,
  });
}

/**
 * The account's temp-URL key, creating a random one when none is set. The key is read back after setting it,
 * so two clients racing to set it both end up signing with the one Swift kept.
 */
export async function ensureTempUrlKey(session: Session, call: CallOptions = {}): Promise<string> {
  const current = await head(session, call);
  if (current.tempUrlKey) return current.tempUrlKey;
  await setTempUrlKey(session, randomBytes(32).toString("hex"), call);
  const stored = (await head(session, call)).tempUrlKey;
  if (!stored) throw new Error("Swift accepted the temp-URL key but does not report it back");
  return stored;
}
