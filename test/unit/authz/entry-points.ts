import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

// Every entry point of app/, read from the source tree: pages and layouts (default export), server actions (every
// exported function of a "use server" file) and route handlers (every exported HTTP method). Keys are
// "<file>" for pages and layouts and "<file>#<export>" for actions and handlers: the authorization matrix is keyed
// the same way, so a new entry point without a row fails the matrix by name.

export type EntryKind = "page" | "layout" | "action" | "route";

export interface EntryPoint {
  key: string;
  file: string;
  kind: EntryKind;
  exportName: string;
}

const ROOT = path.resolve(__dirname, "../../..");
const HTTP_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

function files(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.posix.join(dir, e.name);
    return e.isDirectory() ? files(rel) : /\.tsx?$/.test(e.name) ? [rel] : [];
  });
}

/** The names a module exports (functions, consts, re-exports). */
function exportNames(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), "utf8"), ts.ScriptTarget.Latest, true);
  const names: string[] = [];
  for (const node of source.statements) {
    const exported = ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (ts.isFunctionDeclaration(node) && exported && node.name) names.push(node.name.text);
    if (ts.isVariableStatement(node) && exported) {
      for (const d of node.declarationList.declarations) {
        if (ts.isIdentifier(d.name)) names.push(d.name.text);
        else if (ts.isObjectBindingPattern(d.name)) for (const e of d.name.elements) if (ts.isIdentifier(e.name)) names.push(e.name.text);
      }
    }
    if (ts.isExportDeclaration(node) && node.exportClause && ts.isNamedExports(node.exportClause)) for (const e of node.exportClause.elements) names.push(e.name.text);
  }
  return names;
}

function isUseServer(file: string): boolean {
  return /^\s*(\/\/[^\n]*\n\s*)*["']use server["']/.test(readFileSync(path.join(ROOT, file), "utf8"));
}

export function discoverEntryPoints(): EntryPoint[] {
  const out: EntryPoint[] = [];
  for (const file of files("app")) {
    const base = path.posix.basename(file);
    if (/^page\.tsx?$/.test(base)) out.push({ key: file, file, kind: "page", exportName: "default" });
    else if (/^layout\.tsx?$/.test(base)) out.push({ key: file, file, kind: "layout", exportName: "default" });
    else if (/^route\.ts$/.test(base)) {
      for (const name of exportNames(file).filter((n) => HTTP_METHODS.has(n))) out.push({ key: `${file}#${name}`, file, kind: "route", exportName: name });
    } else if (isUseServer(file)) {
      for (const name of exportNames(file)) out.push({ key: `${file}#${name}`, file, kind: "action", exportName: name });
    }
  }
  return out;
}
