import type { CallOptions, Session } from "../../client";
import { infoUrl } from "../urls";
import { toSwiftInfo, type SwiftInfo } from "./results";

/** The cluster's capabilities, read once per session. */
export function get(session: Session, call: CallOptions = {}): Promise<SwiftInfo> {
  return session.memo("swift-info", async () => {
    const url = infoUrl(await session.endpoint("object-store", call));
    const res = await session.request({ ...call, service: "object-store", method: "GET", path: "", url });
    return toSwiftInfo(res.data);
  });
}
