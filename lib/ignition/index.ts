export * from "./types";
export * from "./errors";
export { stableStringify } from "./stable-json";
export { loadFakeroot, type Fakeroot, type FakerootSource } from "./fakeroot";
export { renderTree, KNOWN_OVERLAYS, TEMPLATE_SUFFIX, type OverlayName } from "./render";
export { mergeTree, dataUrl, assertSpec3, type MergeResult } from "./transpile";
export { validateGeneratedConfig } from "./validate";
export {
  pointerConfig,
  splitPemBlocks,
  sha512Hex,
  userDataBytes,
  assertFitsUserData,
  NOVA_USER_DATA_LIMIT,
  type PointerOptions,
} from "./pointer";
export {
  buildNodeContext,
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
  overlaysFor,
  serializeConfig,
  bootstrapPointerConfig,
  repoFakeroot,
  DEFAULT_FAKEROOT_DIR,
} from "./generate";
