export {
  ClusterSpecSchema,
  ClusterSpecInputSchema,
  ACCEPTED_IGNITION_VERSIONS,
  MIN_OPENSHIFT_MINOR,
  type ClusterSpec,
  type ClusterSpecInput,
  type IgnitionConfig,
} from "./schema";
export { validateClusterSpec, toFieldErrors, ROOT_PATH, type SpecFieldError, type SpecValidation } from "./validate";
export { allocateVrrpId, allocateVrrpIds, VrrpIdsExhaustedError, VRRP_ID_MIN, VRRP_ID_MAX } from "./vrrp";
export { allocateNodeIps } from "./allocate";
export type { NodeIps, ContainerImages } from "./resolve";
