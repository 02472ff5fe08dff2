import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// The layers, read from the source: app/ renders and calls lib/data (the only door to the database, the session and
// the policy); the pure cores below never reach back up into lib/data.

const ROOT = path.resolve(__dirname, "../../..");
const CORES = ["lib/lifecycle", "lib/openstack", "lib/ignition", "lib/plan", "lib/cluster-spec", "lib/domain", "lib/vip"];
const DATABASE = ["lib/db", "lib/generated/prisma", "lib/generated/prisma-pg", "@prisma/client", "@prisma/adapter-pg", "@prisma/adapter-better-sqlite3"];

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = path.posix.join(dir, name);
    if (statSync(path.join(ROOT, rel)).isDirectory()) return rel === "lib/generated" ? [] : sourceFiles(rel);
    return /\.tsx?$/.test(name) ? [rel] : [];
  });
}

/** An import specifier as a repository path (without extension) or a package name. */
function resolve(from: string, specifier: string): string {
  const local = specifier.startsWith("@/") ? specifier.slice(2) : specifier.startsWith(".") ? path.posix.join(path.posix.dirname(from), specifier) : null;
  if (local === null) return specifier;
  const file = [".ts", ".tsx", "/index.ts", "/index.tsx"].map((ext) => local + ext).find((f) => existsSync(path.join(ROOT, f)));
  return (file ?? local).replace(/(\/index)?\.tsx?$/, "");
}

const files = [...sourceFiles("app"), ...sourceFiles("lib"), "proxy.ts", "instrumentation.ts"];
const graph = new Map(
  files.map((file) => {
    const { importedFiles } = ts.preProcessFile(readFileSync(path.join(ROOT, file), "utf8"), true, true);
    return [file.replace(/(\/index)?\.tsx?$/, ""), importedFiles.map((i) => resolve(file, i.fileName))];
  }),
);
const under = (module: string, dirs: string[]) => dirs.some((d) => module === d || module.startsWith(`${d}/`));

/** Everything a module reaches, following imports inside the repository. */
function reach(start: string, seen = new Set<string>()): Set<string> {
  for (const next of graph.get(start) ?? []) {
    if (seen.has(next)) continue;
    seen.add(next);
    reach(next, seen);
  }
  return seen;
}

describe("the layers", () => {
  it("reads the import graph of app/ and lib/", () => {
    expect(graph.size).toBeGreaterThan(150);
    expect(graph.get("app/(dashboard)/clusters/page")).toContain("lib/data");
    expect(graph.get("lib/data/clusters")).toContain("lib/lifecycle/operations");
  });

  it("no file under app/ imports the database or anything of lib/ but the door and the vocabulary", () => {
    const allowed = ["lib/data", "lib/domain"];
    const offending = [...graph].flatMap(([file, imports]) =>
      file.startsWith("app/") ? imports.filter((i) => under(i, DATABASE) || (i.startsWith("lib/") && !allowed.includes(i))).map((i) => `${file} → ${i}`) : [],
    );
    expect(offending).toEqual([]);
  });

  it("the cores never reach lib/data, not even through another module", () => {
    const offending = [...graph.keys()]
      .filter((file) => under(file, CORES))
      .flatMap((file) => [...reach(file)].filter((m) => under(m, ["lib/data"])).map((m) => `${file} → ${m}`));
    expect(offending).toEqual([]);
  });
});
