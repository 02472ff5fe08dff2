import type { CallOptions, Session } from "./client";
import { isNotFound, type ServiceType } from "./errors";

/**
 * DELETE where "already gone" is success (a retried delete whose first answer was lost sees 404).
 * Returns true if this call deleted it, false if it did not exist.
 */
export async function deleteIfExists(session: Session, service: ServiceType, path: string, call: CallOptions = {}): Promise<boolean> {
  try {
    await session.request({ ...call, service, method: "DELETE", path });
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}
