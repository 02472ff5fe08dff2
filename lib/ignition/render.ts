import Handlebars from "handlebars";
import { TemplateError } from "./errors";
import { type Fakeroot, type FakerootSource, readSource, sourceFile } from "./fakeroot";
import type { PlannedEntry, TreeEntry } from "./types";

export const TEMPLATE_SUFFIX = ".hbs";

/** Overlay names a fakeroot may hold; an unknown directory is refused so that a typo cannot drop files silently. */
export const KNOWN_OVERLAYS = ["all", "bootstrap", "master", "net-ifcfg", "net-nmkeyfile", "legacy-mdns"] as const;
export type OverlayName = (typeof KNOWN_OVERLAYS)[number];

// Path prefixes of files only root may read: NetworkManager ignores keyfiles that others can read, and Tripod's
// own secrets (the VIP agent's key) live in /etc/sysconfig/tripod-* or under /etc/tripod/.
const PRIVATE_PATH_PREFIXES = ["/etc/NetworkManager/system-connections/", "/etc/tripod/", "/etc/sysconfig/tripod-"];

const handlebars = Handlebars.create();
handlebars.registerHelper("join", (items: unknown, separator: unknown) =>
  Array.isArray(items) ? items.join(typeof separator === "string" ? separator : " ") : "",
);
handlebars.registerHelper("eq", (a: unknown, b: unknown) => a === b);
// 1-based numbering from @index (route1=, DNS1=).
handlebars.registerHelper("inc", (value: unknown) => Number(value) + 1);
// For CoreDNS `match` regular expressions: a dot in a domain must match only a dot.
handlebars.registerHelper("re", (text: unknown) => String(text).replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));

type Compiled = (context: object, options?: { partials: Record<string, string>; allowProtoPropertiesByDefault?: boolean; allowProtoMethodsByDefault?: boolean }) => string;

// Compiled templates of each fakeroot by file, the least recently used dropped beyond COMPILED_TEXT_BUDGET
// characters of template text: the repository's fakeroot (18 KB of templates) stays compiled for the life of the
// process; a large tree's templates are compiled as they are written and not all kept (a compiled template takes
// several times its text in V8's heap).
const COMPILED_TEXT_BUDGET = 1024 * 1024;
type CompiledCache = { byFile: Map<string, { compiled: Compiled; chars: number }>; chars: number };
const compiledCaches = new WeakMap<Fakeroot, CompiledCache>();

function compiledTemplate(fakeroot: Fakeroot, source: FakerootSource): Compiled {
  let cache = compiledCaches.get(fakeroot);
  if (!cache) compiledCaches.set(fakeroot, (cache = { byFile: new Map(), chars: 0 }));
  const file = sourceFile(source);
  const hit = cache.byFile.get(file);
  if (hit) {
    cache.byFile.delete(file); // re-inserted: the Map's order is the recency order
    cache.byFile.set(file, hit);
    return hit.compiled;
  }
  const text = readSource(fakeroot, source).toString("utf8");
  const compiled = compile(text, file);
  cache.byFile.set(file, { compiled, chars: text.length });
  cache.chars += text.length;
  for (const [oldest, entry] of cache.byFile) {
    if (cache.chars <= COMPILED_TEXT_BUDGET) break;
    cache.byFile.delete(oldest);
    cache.chars -= entry.chars;
  }
  return compiled;
}

function compile(source: string, template: string): Compiled {
  try {
    // strict: a missing variable is an error naming it, not an empty string; noEscape: these are config files.
    return handlebars.compile(source, { strict: true, noEscape: true });
  } catch (error) {
    throw new TemplateError(template, (error as Error).message);
  }
}

function run(compiled: Compiled, context: object, template: string, partials: Record<string, string> = {}): string {
  try {
    // Never the prototype's properties or methods (Handlebars' own default, stated here so no option turns it on);
    // the templates are Tripod's fakeroot only: no user supplies one.
    return compiled(context, { partials, allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
  } catch (error) {
    // Handlebars parse errors span lines (message, excerpt, caret, expectation): keep them on one line.
    throw new TemplateError(template, (error as Error).message.split("\n").map((line) => line.trim()).filter(Boolean).join(" "));
  }
}

/** Host path of a source: `{{…}}` in a path segment is rendered too (e.g. `ifcfg-{{node.interfaces.public}}`). */
function hostPath(source: FakerootSource, context: object, template: string): string {
  const relPath = source.kind === "file" && source.relPath.endsWith(TEMPLATE_SUFFIX)
    ? source.relPath.slice(0, -TEMPLATE_SUFFIX.length)
    : source.relPath;
  const segments = relPath.split("/").map((segment) => {
    if (!segment.includes("{{")) return segment;
    const rendered = run(compile(segment, template), context, template);
    if (!/^[^/\0]+$/.test(rendered) || rendered === "." || rendered === "..") {
      throw new TemplateError(template, `file name segment ${JSON.stringify(segment)} rendered to ${JSON.stringify(rendered)}`);
    }
    return rendered;
  });
  return `/${segments.join("/")}`;
}

function fileMode(path: string, executable: boolean): number {
  const isPrivate = PRIVATE_PATH_PREFIXES.some((prefix) => path.startsWith(prefix));
  if (isPrivate) return executable ? 0o700 : 0o600;
  return executable ? 0o755 : 0o644;
}

/**
 * A node's root tree: the union of the given overlays, `.hbs` files rendered with `context` (suffix stripped),
 * other files verbatim, symlinks as links. Two overlays (or two templated names) yielding one path is an error
 * naming both files. Sorted by path. Paths and modes are settled here; a file's content is made only when its
 * `read()` is called (a template rendered then, a verbatim file read then), so that writing a config holds one
 * file at a time.
 */
export function planTree(fakeroot: Fakeroot, overlays: readonly string[], context: object): PlannedEntry[] {
  const { sources, partials } = fakeroot;
  const unknown = sources.find((s) => !(KNOWN_OVERLAYS as readonly string[]).includes(s.overlay));
  if (unknown) throw new TemplateError(unknown.overlay, `is not a known overlay (${KNOWN_OVERLAYS.join(", ")})`);

  const byPath = new Map<string, PlannedEntry>();
  for (const source of sources) {
    if (!overlays.includes(source.overlay)) continue;
    const template = sourceFile(source);
    const path = hostPath(source, context, template);
    const existing = byPath.get(path);
    if (existing) throw new TemplateError(template, `writes ${path}, which ${existing.template} writes too`);
    if (source.kind === "link") {
      byPath.set(path, { kind: "link", path, target: source.target, template });
      continue;
    }
    const read = source.relPath.endsWith(TEMPLATE_SUFFIX)
      ? () => Buffer.from(run(compiledTemplate(fakeroot, source), context, template, partials), "utf8")
      : () => readSource(fakeroot, source);
    byPath.set(path, { kind: "file", path, read, mode: fileMode(path, source.executable), template });
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** planTree with every file's content made: the rendered tree as values. */
export function renderTree(fakeroot: Fakeroot, overlays: readonly string[], context: object): TreeEntry[] {
  return planTree(fakeroot, overlays, context).map((entry) =>
    entry.kind === "file" ? { kind: "file", path: entry.path, content: entry.read(), mode: entry.mode, template: entry.template } : entry,
  );
}
