// Microversion negotiation: the highest version both this client and the server speak, asked once per session.
import type { CallOptions, ServiceRequest, ServiceResponse, Session } from "../../client";
import { toComputeVersion } from "./results";
import { versionUrl } from "./urls";

/** The newest compute microversion whose request and response shapes this library knows. */
export const CLIENT_MAX_MICROVERSION = "2.90";
/** The base of the v2.1 API: what a server without microversions speaks. */
export const BASE_MICROVERSION = "2.1";

export function parseMicroversion(v: string): [number, number] {
  const m = /^(\d+)\.(\d+)$/.exec(v.trim());
  if (!m) throw new Error(`Not a microversion: ${JSON.stringify(v)}`);
  return [Number(m[1]), Number(m[2])];
}

export function compareMicroversions(a: string, b: string): number {
  const [am, an] = parseMicroversion(a);
  const [bm, bn] = parseMicroversion(b);
  return am !== bm ? am - bm : an - bn;
}

export const atLeast = (negotiated: string, wanted: string) => compareMicroversions(negotiated, wanted) >= 0;

/** min(client max, server max, optional cap); the base version when the server announces none. */
export function negotiate(serverMax: string, serverMin: string, cap?: string): string {
  if (!serverMax) return BASE_MICROVERSION;
  const candidates = [CLIENT_MAX_MICROVERSION, serverMax, ...(cap ? [cap] : [])];
  const chosen = candidates.reduce((lo, v) => (compareMicroversions(v, lo) < 0 ? v : lo));
  if (serverMin && compareMicroversions(chosen, serverMin) < 0) {
    throw new Error(`Nova supports microversions ${serverMin}–${serverMax}, this client at most ${chosen}`);
  }
  return chosen;
}

export function microversion(session: Session, call: CallOptions = {}): Promise<string> {
  return session.memo("compute-microversion", async () => {
    const res = await session.request({ ...call, service: "compute", method: "GET", path: versionUrl() });
    const v = toComputeVersion(res.data);
    return negotiate(v.version, v.minVersion, session.maxComputeMicroversion);
  });
}

/** A compute request carrying the negotiated microversion headers. */
export async function computeRequest(session: Session, req: Omit<ServiceRequest, "service">): Promise<ServiceResponse> {
  return session.request(await withMicroversion(session, req));
}

/** The request with the service set to compute and the negotiated microversion headers added. */
export async function withMicroversion(session: Session, req: Omit<ServiceRequest, "service">): Promise<ServiceRequest> {
  const mv = await microversion(session, req);
  return {
    ...req,
    service: "compute",
    headers: { ...req.headers, "X-OpenStack-Nova-API-Version": mv, "OpenStack-API-Version": `compute ${mv}` },
  };
}
