export interface SwiftInfo {
  /** Undefined when the tempurl middleware is not enabled. */
  tempurl?: { allowedDigests?: string[]; methods?: string[] };
}

export function toSwiftInfo(data: unknown): SwiftInfo {
  const tempurl = (data as { tempurl?: { allowed_digests?: string[]; methods?: string[] } }).tempurl;
  return { tempurl: tempurl ? { allowedDigests: tempurl.allowed_digests, methods: tempurl.methods } : undefined };
}
