// OpenShift's minimum resources for a control-plane (and bootstrap) machine, from "Minimum resource requirements
// for cluster installation" of the OpenShift installation docs: 4 vCPU, 16 GB RAM, 100 GB storage. In a
// hyperconverged cluster the masters also run the workloads, so these are a floor, not a size.

export const CONTROL_PLANE_MINIMUMS = { vcpus: 4, ramMiB: 16 * 1024, diskGiB: 100 } as const;

export interface FlavorSize {
  vcpus: number;
  ramMiB: number;
  diskGiB: number;
}

/** What a flavor lacks for a control-plane node, one sentence per resource (empty: it fits). */
export function flavorShortfalls(flavor: FlavorSize): string[] {
  const out: string[] = [];
  const min = CONTROL_PLANE_MINIMUMS;
  if (flavor.vcpus < min.vcpus) out.push(`${flavor.vcpus} vCPU, needs ${min.vcpus}`);
  if (flavor.ramMiB < min.ramMiB) out.push(`${flavor.ramMiB / 1024} GiB RAM, needs ${min.ramMiB / 1024}`);
  // Disk 0 means the root disk comes from a volume (boot from volume): nothing to compare.
  if (flavor.diskGiB !== 0 && flavor.diskGiB < min.diskGiB) out.push(`${flavor.diskGiB} GB disk, needs ${min.diskGiB}`);
  return out;
}
