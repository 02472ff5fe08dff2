export interface AccountInfo {
  containerCount: number;
  objectCount: number;
  bytesUsed: number;
  tempUrlKey?: string;
  tempUrlKey2?: string;
}

export function toAccountInfo(headers: Record<string, string>): AccountInfo {
  return {
    containerCount: Number(headers["x-account-container-count"] ?? 0),
    objectCount: Number(headers["x-account-object-count"] ?? 0),
    bytesUsed: Number(headers["x-account-bytes-used"] ?? 0),
    tempUrlKey: headers["x-account-meta-temp-url-key"],
    tempUrlKey2: headers["x-account-meta-temp-url-key-2"],
  };
}
