// The slice of Ignition spec 3.x that Tripod writes. Everything else in an installer config passes through
// untouched, so the config type keeps unknown keys. `Source` is what a file's `contents.source` holds: a string,
// or while a config is being written, a data URL made as it is written (StreamedString).

export type IgnitionFile<Source = string> = {
  path: string;
  mode?: number;
  overwrite?: boolean;
  contents?: { source?: Source | null } & Record<string, unknown>;
} & Record<string, unknown>;

export type IgnitionLink = { path: string; target: string; hard?: boolean; overwrite?: boolean } & Record<string, unknown>;

export type IgnitionDirectory = { path: string } & Record<string, unknown>;

export type IgnitionStorage<Source = string> = {
  files?: IgnitionFile<Source>[];
  links?: IgnitionLink[];
  directories?: IgnitionDirectory[];
} & Record<string, unknown>;

export type IgnitionConfig<Source = string> = {
  ignition: { version: string } & Record<string, unknown>;
  storage?: IgnitionStorage<Source>;
} & Record<string, unknown>;

export type TreeLink = { kind: "link"; path: string; target: string; template: string };

/** One rendered entry of a node's root tree; `template` is the fakeroot file it came from (for error messages). */
export type TreeEntry = { kind: "file"; path: string; content: Buffer; mode: number; template: string } | TreeLink;

/** An entry of a node's root tree whose file content is made by `read()`: a template rendered, a file read. */
export type PlannedEntry = { kind: "file"; path: string; read: () => Buffer; mode: number; template: string } | TreeLink;
