export interface ObjectInfo {
  sizeBytes: number;
  etag: string;
  contentType: string;
  lastModified: string;
  /** Unix seconds at which Swift deletes the object (X-Delete-At), if set. */
  deleteAt?: number;
}

export function toObjectInfo(headers: Record<string, string>): ObjectInfo {
  return {
    sizeBytes: Number(headers["content-length"] ?? 0),
    etag: headers["etag"] ?? "",
    contentType: headers["content-type"] ?? "",
    lastModified: headers["last-modified"] ?? "",
    deleteAt: headers["x-delete-at"] ? Number(headers["x-delete-at"]) : undefined,
  };
}
