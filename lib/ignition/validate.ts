import type { ConfigProblem } from "./errors";
import type { IgnitionConfig } from "./types";

// The Ignition rules a merged config can break (config/v3_x/types: path.go, mode.go, storage.go and
// config/shared/errors). Schema shape is left to `ignition-validate` in the tests; these are the rules a
// template or an installer config can trip, reported with the template that produced the entry. Only metadata is
// read (paths, modes, link targets, the translation set) and the data URLs of the installer config: the tree's own
// files may still be unmade (StreamedDataUrl), and their data URLs are well-formed by construction.

const DATA_URL = /^data:[^,]*?(;base64)?,/;

function pathProblem(path: unknown): string | null {
  if (typeof path !== "string" || !path.startsWith("/")) return "path not absolute";
  if (path !== "/" && (path.endsWith("/") || /\/\.{0,2}(\/|$)/.test(path))) return "path not canonical (empty, . or .. segment, or trailing /)";
  return null;
}

export function validateGeneratedConfig(config: IgnitionConfig<unknown>, translations: Map<string, string>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const owners = new Map<string, string>();
  const sections = [
    ["files", config.storage?.files ?? []],
    ["links", config.storage?.links ?? []],
    ["directories", config.storage?.directories ?? []],
  ] as const;
  for (const [section, entries] of sections) {
    entries.forEach((entry, index) => {
      const at = `storage.${section}.${index}`;
      const report = (message: string) => problems.push({ path: at, message, template: translations.get(at) });
      const problem = pathProblem(entry.path);
      if (problem) report(problem);
      const owner = owners.get(entry.path);
      if (owner) report(`duplicate entry defined: ${entry.path} is also ${owner}`);
      owners.set(entry.path, at);
      const mode = (entry as { mode?: unknown }).mode;
      if (mode !== undefined && (!Number.isInteger(mode) || (mode as number) < 0 || (mode as number) > 0o7777)) {
        report("illegal file mode");
      }
      if (section === "files") {
        const source = (entry as { contents?: { source?: unknown } }).contents?.source;
        if (typeof source === "string" && source.startsWith("data:") && !DATA_URL.test(source)) report("invalid data URL");
      }
      if (section === "links" && typeof (entry as { target?: unknown }).target !== "string") report("link has no target");
    });
  }
  return problems;
}
