import { isUtf8 } from "node:buffer";
import { type ConfigProblem, InvalidGeneratedConfigError, UnsupportedIgnitionVersionError } from "./errors";
import type { IgnitionConfig, IgnitionFile, IgnitionLink, TreeEntry } from "./types";

// filetranspiler's merge (facts §1.2, §1.4), for spec 3.x only: a tree entry replaces a base entry of the same
// kind at the same path, everything else in the base passes through; unlike filetranspiler, links are replaced
// too, a path used by a file and a link/directory is refused, entries are sorted by path, and nothing depends
// on the filesystem (modes come from the tree entry, not the checkout).

export function dataUrl(content: Buffer): string {
  // Ignition only reads the ";base64" flag; the media type is informational. Text is valid UTF-8 without NUL, checked
  // on the bytes (no decoded copy, no re-encoding: binary files cost what text files cost).
  const isText = isUtf8(content) && !content.includes(0);
  return `data:${isText ? "text/plain;charset=utf-8" : "application/octet-stream"};base64,${content.toString("base64")}`;
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

export type MergeResult = {
  config: IgnitionConfig;
  /** Translation set: generated config path (e.g. `storage.files.3`) → the fakeroot template it came from. */
  translations: Map<string, string>;
};

/** Merges a rendered tree into a base config (never mutated). Throws InvalidGeneratedConfigError on collisions. */
export function mergeTree(base: IgnitionConfig, tree: TreeEntry[], node = "config"): MergeResult {
  assertSpec3(base);
  const config = structuredClone(base);
  const storage = (config.storage ??= {});
  const files = new Map<string, IgnitionFile>((storage.files ?? []).map((f) => [f.path, f]));
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
      files.set(entry.path, { path: entry.path, mode: entry.mode, overwrite: true, contents: { source: dataUrl(entry.content) } });
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

  storage.files = [...files.values()].sort(byPath);
  if (links.size > 0) storage.links = [...links.values()].sort(byPath);
  const translations = new Map<string, string>();
  storage.files.forEach((f, i) => templateOf.has(f.path) && translations.set(`storage.files.${i}`, templateOf.get(f.path)!));
  storage.links?.forEach((l, i) => templateOf.has(l.path) && translations.set(`storage.links.${i}`, templateOf.get(l.path)!));
  return { config, translations };
}
