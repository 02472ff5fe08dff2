import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";

// A fresh SQLite file per vitest run, schema applied with the committed migrations (as production does).
export default function setup() {
  mkdirSync(".tmp", { recursive: true });
  rmSync(".tmp/unit.db", { force: true });
  execFileSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: "file:./.tmp/unit.db" },
    stdio: "pipe",
  });
}
