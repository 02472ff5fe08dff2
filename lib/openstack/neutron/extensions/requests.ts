import type { CallOptions, Session } from "../../client";
import { toCapabilities, type Extension, type NetworkCapabilities } from "./results";
import { extensionsUrl } from "./urls";

export async function list(session: Session, call: CallOptions = {}): Promise<Extension[]> {
  const res = await session.request({ ...call, service: "network", method: "GET", path: extensionsUrl() });
  return (res.data as { extensions: Extension[] }).extensions.map((e) => ({ alias: e.alias, name: e.name }));
}

export async function capabilities(session: Session, call: CallOptions = {}): Promise<NetworkCapabilities> {
  return toCapabilities(new Set((await list(session, call)).map((e) => e.alias)));
}
