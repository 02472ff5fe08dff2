import type { CallOptions, Session } from "../../client";
import { toCapabilities, type Extension, type NetworkCapabilities } from "./results";
import { extensionsUrl } from "./urls";

/** Read once per session: what a cloud offers does not change within an operation. */
export function list(session: Session, call: CallOptions = {}): Promise<Extension[]> {
  return session.memo("network-extensions", async () => {
    const res = await session.request({ ...call, service: "network", method: "GET", path: extensionsUrl() });
    return (res.data as { extensions: Extension[] }).extensions.map((e) => ({ alias: e.alias, name: e.name }));
  });
}

export async function capabilities(session: Session, call: CallOptions = {}): Promise<NetworkCapabilities> {
  return toCapabilities(new Set((await list(session, call)).map((e) => e.alias)));
}
