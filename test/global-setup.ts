import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";

// A fresh SQLite file per vitest run (named after the run's process, so runs side by side do not share one),
// schema applied with the committed migrations as production does. vitest.config.mts points DATABASE_URL at it.
export const testDbFile = (pid = process.pid) => `.tmp/vitest-${pid}.db`;

export default function setup() {
  const file = testDbFile();
  mkdirSync(".tmp", { recursive: true });
  rmSync(file, { force: true });
  execFileSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: `file:./${file}` },
    stdio: "pipe",
  });
  return () => rmSync(file, { force: true });
}
