export const ImageStatus = { Active: "active", Queued: "queued", Saving: "saving", Killed: "killed", Deleted: "deleted" } as const;

export interface Image {
  id: string;
  name: string;
  /** "active" is the only status a server can boot from. */
  status: string;
  visibility: string;
  diskFormat?: string;
  sizeBytes?: number;
}

interface RawImage {
  id: string;
  name?: string | null;
  status: string;
  visibility?: string;
  disk_format?: string | null;
  size?: number | null;
}

export function toImage(raw: Record<string, unknown>): Image {
  const i = raw as unknown as RawImage;
  return { id: i.id, name: i.name ?? "", status: i.status, visibility: i.visibility ?? "", diskFormat: i.disk_format ?? undefined, sizeBytes: i.size ?? undefined };
}
