import { readdirSync } from "node:fs";
import path from "node:path";

export interface AppRoute {
  kind: "page" | "api";
  url: string;
}

// Every page and route handler in app/, as URLs: route groups dropped, dynamic segments filled with a dummy id.
export function discoverRoutes(appDir = "app"): AppRoute[] {
  const out: AppRoute[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        const seg = entry.name;
        const urlSeg = /^\(.*\)$/.test(seg) ? null : /^\[\.\.\..*\]$/.test(seg) ? "x" : /^\[.*\]$/.test(seg) ? "no-such-id" : seg;
        walk(path.join(dir, seg), urlSeg === null ? segments : [...segments, urlSeg]);
      } else if (/^page\.tsx?$/.test(entry.name)) {
        out.push({ kind: "page", url: "/" + segments.join("/") });
      } else if (/^route\.ts$/.test(entry.name)) {
        out.push({ kind: "api", url: "/" + segments.join("/") });
      }
    }
  };
  walk(appDir, []);
  return out;
}
