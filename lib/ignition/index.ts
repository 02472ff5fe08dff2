// Ignition generation for Tripod's nodes. How the lifecycle engine uses it:
//   const configs = renderNodeConfigs({ spec, vrrp, vipAgent, infraId });      // throws typed errors, naming templates
//   writeConfigFile(file, (sink) => writeNodeConfig(input, "bootstrap", sink))  // streamed to a file: upload to Swift,
//     serve by temp URL (the same bytes as serializeConfig(configs.bootstrap)); its size and SHA-512 come back
//   bootstrap user data: serializeConfig(pointerConfig({ url: tempUrl, sha512, caBundle: spec.caBundle }))
//   master-N user data:  serializeConfig(configs["master-N"]), after assertFitsUserData(configs["master-N"], "master-N")
// A master config that does not fit Nova's user data (UserDataTooLargeError, e.g. a large CA bundle) fails the step
// with that error. The demo masters need about 46 KB of the 65,535 bytes.
export * from "./types";
export * from "./errors";
export { stableStringify, writeStableJson, StreamedString, type TextSink } from "./stable-json";
export { writeConfigFile, type WrittenConfig } from "./config-file";
export { loadFakeroot, type Fakeroot, type FakerootSource, type ContentSource } from "./fakeroot";
export { renderTree, KNOWN_OVERLAYS, TEMPLATE_SUFFIX, type OverlayName } from "./render";
export { mergeTree, dataUrl, assertSpec3, type MergeResult } from "./transpile";
export { validateGeneratedConfig } from "./validate";
export {
  pointerConfig,
  splitPemBlocks,
  sha512Hex,
  userDataBytes,
  userDataBytesOf,
  assertFitsUserData,
  NOVA_USER_DATA_LIMIT,
  type PointerOptions,
} from "./pointer";
export {
  buildNodeContext,
  derivedMacs,
  RenderSettingsSchema,
  PORTS,
  PRIORITIES,
  type RenderInput,
  type RenderSettings,
  type NodeContext,
} from "./context";
export {
  renderNodeConfigs,
  renderNodeConfig,
  renderNodeTree,
  writeNodeConfig,
  serializeNodeConfig,
  overlaysFor,
  serializeConfig,
  repoFakeroot,
  DEFAULT_FAKEROOT_DIR,
} from "./generate";
