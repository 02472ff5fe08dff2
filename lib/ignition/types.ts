// The slice of Ignition spec 3.x that Tripod writes. Everything else in an installer config passes through
// untouched, so the config type keeps unknown keys.

export type IgnitionFile = {
  path: string;
  mode?: number;
  overwrite?: boolean;
  contents?: { source?: string | null } & Record<string, unknown>;
} & Record<string, unknown>;

export type IgnitionLink = { path: string; target: string; hard?: boolean; overwrite?: boolean } & Record<string, unknown>;

export type IgnitionDirectory = { path: string } & Record<string, unknown>;

export type IgnitionStorage = {
  files?: IgnitionFile[];
  links?: IgnitionLink[];
  directories?: IgnitionDirectory[];
} & Record<string, unknown>;

export type IgnitionConfig = {
  ignition: { version: string } & Record<string, unknown>;
  storage?: IgnitionStorage;
} & Record<string, unknown>;

/** One rendered entry of a node's root tree; `template` is the fakeroot file it came from (for error messages). */
export type TreeEntry =
  | { kind: "file"; path: string; content: Buffer; mode: number; template: string }
  | { kind: "link"; path: string; target: string; template: string };
