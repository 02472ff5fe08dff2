/** Nova's absolute limits and usage of the project; a max of -1 means unlimited. */
export interface ComputeLimits {
  maxInstances: number;
  instancesUsed: number;
  maxCores: number;
  coresUsed: number;
  maxRamMiB: number;
  ramUsedMiB: number;
  maxServerGroups: number;
  serverGroupsUsed: number;
  maxServerGroupMembers: number;
  maxServerMetaItems: number;
}

export function toComputeLimits(absolute: Record<string, number>): ComputeLimits {
  const n = (k: string) => absolute[k] ?? -1;
  return {
    maxInstances: n("maxTotalInstances"),
    instancesUsed: n("totalInstancesUsed"),
    maxCores: n("maxTotalCores"),
    coresUsed: n("totalCoresUsed"),
    maxRamMiB: n("maxTotalRAMSize"),
    ramUsedMiB: n("totalRAMUsed"),
    maxServerGroups: n("maxServerGroups"),
    serverGroupsUsed: n("totalServerGroupsUsed"),
    maxServerGroupMembers: n("maxServerGroupMembers"),
    maxServerMetaItems: n("maxServerMeta"),
  };
}
