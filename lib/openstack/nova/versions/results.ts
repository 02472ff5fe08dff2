export interface ComputeVersion {
  /** Highest microversion the server supports ("2.93"); empty on a pre-microversion (v2.0) endpoint. */
  version: string;
  minVersion: string;
}

export function toComputeVersion(data: unknown): ComputeVersion {
  const v = (data as { version?: { version?: string; min_version?: string } }).version ?? {};
  return { version: v.version ?? "", minVersion: v.min_version ?? "" };
}
