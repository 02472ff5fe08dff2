import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { DEMO_E2E_DATABASE_URL, E2E_DATABASE_URL, E2E_SECRET_KEY } from "./settings";

function cleanup(databaseUrl: string, secretKey: string) {
  execFileSync(process.execPath, ["--import", "tsx", "test/e2e/cleanup.ts"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, TRIPOD_SECRET_KEY: secretKey },
    stdio: "inherit",
  });
}

export default function globalTeardown() {
  cleanup(E2E_DATABASE_URL, E2E_SECRET_KEY);
  // The demo server's clusters (lab.demo.spec.ts creates one), sealed under the key `npm run demo` wrote into .env.
  const demoKey = existsSync(".env") ? /^TRIPOD_SECRET_KEY=(.*)$/m.exec(readFileSync(".env", "utf8"))?.[1] : undefined;
  if (demoKey && existsSync(DEMO_E2E_DATABASE_URL.slice("file:".length))) cleanup(DEMO_E2E_DATABASE_URL, demoKey);
}
