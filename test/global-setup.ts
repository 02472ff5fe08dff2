import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import type { TestProject } from "vitest/node";

// A fresh SQLite file per vitest run (vitest.config.mts names it after the run's process, so runs side by side
// do not share one), schema applied with the committed migrations as production does.
export default function setup(project: TestProject) {
  const url = project.config.env.DATABASE_URL;
  if (!url?.startsWith("file:")) throw new Error("vitest.config.mts must set test.env.DATABASE_URL to a file: URL");
  const file = url.replace(/^file:/, "");
  mkdirSync(".tmp", { recursive: true });
  rmSync(file, { force: true });
  execFileSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: "pipe",
  });
  return () => rmSync(file, { force: true });
}
