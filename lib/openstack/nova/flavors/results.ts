export interface Flavor {
  id: string;
  name: string;
  vcpus: number;
  ramMiB: number;
  diskGiB: number;
}

interface RawFlavor {
  id: string;
  name: string;
  vcpus: number;
  ram: number;
  disk: number;
}

export function toFlavor(raw: Record<string, unknown>): Flavor {
  const f = raw as unknown as RawFlavor;
  return { id: f.id, name: f.name, vcpus: f.vcpus, ramMiB: f.ram, diskGiB: f.disk };
}
