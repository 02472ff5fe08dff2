export {
  ClusterSpecSchema,
  ClusterSpecInputSchema,
  ACCEPTED_IGNITION_VERSIONS,
  installerConfigProblem,
  type ClusterSpec,
  type ClusterSpecInput,
  type IgnitionConfig,
} from "./schema";
export { validateClusterSpec, toFieldErrors, ROOT_PATH, type SpecFieldError, type SpecValidation } from "./validate";
export { allocateVrrpId, allocateVrrpIds, VrrpIdsExhaustedError, VRRP_ID_MIN, VRRP_ID_MAX } from "./vrrp";
export { allocateNodeIps, freeAddresses } from "./allocate";
export { cidrProblem, parseCidr, isIpv4, ipv4ToInt } from "./net";
export { parseJsonText, lineAndColumn, MAX_JSON_DEPTH, nestsTooDeep, tooDeepAt, type JsonParse } from "./json";
export { draftIssues, exportSpecText, stepOfPath, stepsWithIssues, withInstallerConfigs, EMPTY_IGNITION_CONFIG, INSTALLER_CONFIG_REFERENCES } from "./draft";
export type { NodeIps, ContainerImages } from "./resolve";
export { CONTROL_PLANE_MINIMUMS, flavorShortfalls, type FlavorSize } from "./machines";
