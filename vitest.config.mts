import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// One config for every vitest layer; pick the layer by path: `vitest run test/unit`, `test/integration`, `test/vrrp`.
// TEST_SUITE names the layer in the closing "N passed, N failed" line that CI reads.
export default defineConfig({
  resolve: {
    alias: {
      "@": fileURLToPath(new URL(".", import.meta.url)),
      // Tests run server code outside React's server environment; `server-only` answers that environment with its
      // empty module, as Next's server bundles do.
      "server-only": fileURLToPath(new URL("node_modules/server-only/empty.js", import.meta.url)),
    },
  },
  test: {
    include: ["test/{unit,integration,vrrp}/**/*.test.ts"],
    environment: "node",
    reporters: ["default", "./test/reporters/vitest-summary.ts"],
    // A database file per run (test/global-setup.ts migrates it, then removes it), and a fixed key: tests of
    // sealed secrets must not depend on the developer's environment.
    env: { DATABASE_URL: `file:./.tmp/vitest-${process.pid}.db`, TRIPOD_SECRET_KEY: "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktMzJieXQ=" },
    globalSetup: ["test/global-setup.ts"],
    // Integration layers talk to real services; their files set longer per-test timeouts where needed.
    testTimeout: 20_000,
    hookTimeout: 120_000,
    fileParallelism: process.env.TEST_SUITE === "unit" || !process.env.TEST_SUITE,
  },
});
