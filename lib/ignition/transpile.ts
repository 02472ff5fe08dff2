import { isUtf8 } from "node:buffer";
import { type ConfigProblem, InvalidGeneratedConfigError, UnsupportedIgnitionVersionError } from "./errors";
import { StreamedString } from "./stable-json";
import type { IgnitionConfig, IgnitionFile, IgnitionLink, PlannedEntry, TreeEntry, TreeLink } from "./types";

// filetranspiler's merge (facts §1.2, §1.4), for spec 3.x only: a tree entry replaces a base entry of the same
// kind at the same path, everything else in the base passes through; unlike filetranspiler, links are replaced
// too, a path used by a file and a link/directory is refused, entries are sorted by path, and nothing depends
// on the filesystem (modes come from the tree entry, not the checkout).

// Ignition only reads the ";base64" flag; the media type is informational. Text is valid UTF-8 without NUL, checked
// on the bytes (no decoded copy, no re-encoding: binary files cost what text files cost).
function dataUrlPrefix(content: Buffer): string {
  const isText = isUtf8(content) && !content.includes(0);
  return `data:${isText ? "text/plain;charset=utf-8" : "application/octet-stream"};base64,`;
}

export function dataUrl(content: Buffer): string {
  return `${dataUrlPrefix(content)}${content.toString("base64")}`;
}

// Base64 of whole 3-byte groups: the pieces of one content join to exactly its base64.
const BASE64_PIECE_BYTES = 3 * 16 * 1024;

/** dataUrl(read()) made while it is written: the content read then, its base64 written in pieces. */
export class StreamedDataUrl extends StreamedString {
  constructor(private readonly read: () => Buffer) {
    super();
  }

  *pieces(): Iterable<string> {
    const content = this.read();
    yield dataUrlPrefix(content);
    for (let start = 0; start < content.length; start += BASE64_PIECE_BYTES) {
      yield content.toString("base64", start, Math.min(start + BASE64_PIECE_BYTES, content.length));
    }
  }
}

export function assertSpec3(config: IgnitionConfig): void {
  const version = config?.ignition?.version;
  if (typeof version !== "string" || !/^3\.\d+\.\d+(-experimental)?$/.test(version)) {
    throw new UnsupportedIgnitionVersionError(String(version));
  }
}

function byPath<T extends { path: string }>(a: T, b: T): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

export type MergeResult<Source = string> = {
  config: IgnitionConfig<Source>;
  /** Translation set: generated config path (e.g. `storage.files.3`) → the fakeroot template it came from. */
  translations: Map<string, string>;
};

type TreeFile = Exclude<TreeEntry | PlannedEntry, TreeLink>;

/** Merges a rendered tree into a base config (never mutated). Throws InvalidGeneratedConfigError on collisions. */
export function mergeTree(base: IgnitionConfig, tree: TreeEntry[], node = "config"): MergeResult {
  return mergeEntries(base, tree, node, (file) => dataUrl(file.content));
}

/**
 * mergeTree for any tree: `sourceOf` makes the `contents.source` of each of the tree's files, once the merge has
 * found no collision (a data URL string, or a StreamedDataUrl to be made while the config is written).
 */
export function mergeEntries<File extends TreeFile, Source>(
  base: IgnitionConfig,
  tree: (File | TreeLink)[],
  node: string,
  sourceOf: (file: File) => Source,
): MergeResult<Source | string> {
  assertSpec3(base);
  const { storage = {}, ...rest } = structuredClone(base);
  // A file of the base passes through as it is; the tree's files become entries once nothing collides.
  const files = new Map<string, { base: IgnitionFile } | { tree: File }>((storage.files ?? []).map((f) => [f.path, { base: f }]));
  const links = new Map<string, IgnitionLink>((storage.links ?? []).map((l) => [l.path, l]));
  const directories = new Set((storage.directories ?? []).map((d) => d.path));
  const templateOf = new Map<string, string>();
  const problems: ConfigProblem[] = [];

  for (const entry of tree) {
    templateOf.set(entry.path, entry.template);
    const clash =
      directories.has(entry.path) ? "a directory" : entry.kind === "file" && links.has(entry.path) ? "a link" : entry.kind === "link" && files.has(entry.path) ? "a file" : null;
    if (clash) {
      problems.push({ path: entry.path, template: entry.template, message: `the installer config already has ${clash} at this path` });
      continue;
    }
    if (entry.kind === "file") {
      files.set(entry.path, { tree: entry });
    } else {
      links.set(entry.path, { path: entry.path, target: entry.target, hard: false, overwrite: true });
    }
  }

  // Ignition refuses any entry below a symlink (ErrFileUsedSymlink, ErrLinkUsedSymlink); one below a file fails
  // at boot when the directory cannot be created.
  const allPaths = [...files.keys(), ...links.keys(), ...directories];
  for (const path of allPaths) {
    for (let cut = path.lastIndexOf("/"); cut > 0; cut = path.lastIndexOf("/", cut - 1)) {
      const parent = path.slice(0, cut);
      const kind = links.has(parent) ? "link" : files.has(parent) ? "file" : null;
      if (kind) {
        problems.push({ path, template: templateOf.get(path), message: `lies under the ${kind} ${parent}` });
        break;
      }
    }
  }
  if (problems.length > 0) throw new InvalidGeneratedConfigError(node, problems);

  const mergedFiles = [...files.keys()].sort().map((path): IgnitionFile<Source | string> => {
    const file = files.get(path)!;
    return "tree" in file ? { path, mode: file.tree.mode, overwrite: true, contents: { source: sourceOf(file.tree) } } : file.base;
  });
  if (links.size > 0) storage.links = [...links.values()].sort(byPath);
  const translations = new Map<string, string>();
  mergedFiles.forEach((f, i) => templateOf.has(f.path) && translations.set(`storage.files.${i}`, templateOf.get(f.path)!));
  storage.links?.forEach((l, i) => templateOf.has(l.path) && translations.set(`storage.links.${i}`, templateOf.get(l.path)!));
  return { config: { ...rest, storage: { ...storage, files: mergedFiles } }, translations };
}
