import { execFileSync } from "node:child_process";
import { E2E_DATABASE_URL, E2E_SECRET_KEY } from "./settings";

export default function globalTeardown() {
  execFileSync(process.execPath, ["--import", "tsx", "test/e2e/cleanup.ts"], {
    env: { ...process.env, DATABASE_URL: E2E_DATABASE_URL, TRIPOD_SECRET_KEY: E2E_SECRET_KEY },
    stdio: "inherit",
  });
}
