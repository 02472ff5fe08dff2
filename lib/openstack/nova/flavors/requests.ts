import type { CallOptions, Session } from "../../client";
import { listAll } from "../../pagination";
import { computeRequest, withMicroversion } from "../versions/requests";
import { toFlavor, type Flavor } from "./results";
import { flavorsDetailUrl, flavorUrl } from "./urls";

export async function list(session: Session, call: CallOptions = {}): Promise<Flavor[]> {
  const req = await withMicroversion(session, { ...call, method: "GET", path: flavorsDetailUrl() });
  return (await listAll<Record<string, unknown>>(session, req, "flavors")).map(toFlavor);
}

export async function get(session: Session, id: string, call: CallOptions = {}): Promise<Flavor> {
  const res = await computeRequest(session, { ...call, method: "GET", path: flavorUrl(id) });
  return toFlavor((res.data as { flavor: Record<string, unknown> }).flavor);
}

/** The flavor with this name, or undefined. */
export async function findByName(session: Session, name: string, call: CallOptions = {}): Promise<Flavor | undefined> {
  return (await list(session, call)).find((f) => f.name === name);
}
