export interface ContainerInfo {
  objectCount: number;
  bytesUsed: number;
}

export interface ObjectListing {
  name: string;
  bytes: number;
  hash: string;
  contentType: string;
  lastModified: string;
}

export function toContainerInfo(headers: Record<string, string>): ContainerInfo {
  return { objectCount: Number(headers["x-container-object-count"] ?? 0), bytesUsed: Number(headers["x-container-bytes-used"] ?? 0) };
}

export function toObjectListing(raw: { name: string; bytes: number; hash: string; content_type: string; last_modified: string }): ObjectListing {
  return { name: raw.name, bytes: raw.bytes, hash: raw.hash, contentType: raw.content_type, lastModified: raw.last_modified };
}
