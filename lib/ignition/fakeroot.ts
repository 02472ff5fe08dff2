import { lstatSync, readFileSync, readdirSync, readlinkSync } from "node:fs";
import path from "node:path";
import { TemplateError } from "./errors";

// Reading the fakeroot from disk is the generator's only effect. Loading records the tree (paths, kinds, exec bits,
// link targets) and the partials; file contents are read when a node's config is written, one file at a time, so a
// large tree is never held in memory whole.

export type FakerootSource =
  | { kind: "file"; overlay: string; relPath: string; executable: boolean }
  | { kind: "link"; overlay: string; relPath: string; target: string };

/** The bytes of a fakeroot file, by its path relative to the fakeroot (`all/etc/keepalived.conf.hbs`). */
export interface ContentSource {
  read(file: string): Buffer;
}

/**
 * `sources` sorted by overlay, then path (code-unit order), whatever order the filesystem lists them in;
 * `partials` are the Handlebars partials of `_partials/NAME.hbs`, used as `{{> NAME}}`; `content` gives the files' bytes.
 */
export type Fakeroot = { sources: FakerootSource[]; partials: Record<string, string>; content: ContentSource };

export const PARTIALS_DIR = "_partials";

/** The fakeroot path of a source, as error messages name it: `overlay/relPath`. */
export function sourceFile(source: FakerootSource): string {
  return `${source.overlay}/${source.relPath}`;
}

/** A file's bytes; a file that cannot be read (removed since loading) is a TemplateError naming it. */
export function readSource(fakeroot: Fakeroot, source: FakerootSource): Buffer {
  try {
    return fakeroot.content.read(sourceFile(source));
  } catch (error) {
    throw new TemplateError(sourceFile(source), `cannot be read: ${(error as Error).message}`);
  }
}

/** Files beside the overlays (README.md) are documentation, not part of any node. */
export function loadFakeroot(dir: string): Fakeroot {
  const sources: FakerootSource[] = [];
  const partials: Record<string, string> = {};
  const overlays = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  for (const overlay of overlays) {
    if (overlay === PARTIALS_DIR) {
      for (const name of readdirSync(path.join(dir, overlay)).sort()) {
        if (name.endsWith(".hbs")) partials[name.slice(0, -4)] = readFileSync(path.join(dir, overlay, name), "utf8");
      }
    } else walk(path.join(dir, overlay), overlay, "", sources);
  }
  return { sources, partials, content: { read: (file) => readFileSync(path.join(dir, file)) } };
}

function walk(root: string, overlay: string, relDir: string, out: FakerootSource[]): void {
  const names = readdirSync(path.join(root, relDir)).sort();
  for (const name of names) {
    const relPath = relDir ? `${relDir}/${name}` : name;
    const full = path.join(root, relPath);
    const stat = lstatSync(full);
    if (stat.isDirectory()) walk(root, overlay, relPath, out);
    else if (stat.isSymbolicLink()) out.push({ kind: "link", overlay, relPath, target: readlinkSync(full) });
    else if (stat.isFile()) {
      // Only the owner's exec bit counts: git records 0755 or 0644, nothing finer, whatever the umask.
      out.push({ kind: "file", overlay, relPath, executable: (stat.mode & 0o100) !== 0 });
    } else throw new TemplateError(`${overlay}/${relPath}`, "is neither a regular file, a directory nor a symlink");
  }
}
