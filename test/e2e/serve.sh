#!/usr/bin/env bash
# Playwright's web server: a fresh SQLite file, the committed migrations, the demo accounts, then the production
# build (`next build` must have run) on 127.0.0.1:$E2E_PORT.
set -euo pipefail
cd "$(dirname "$0")/../.."
source test/bin/env.sh
mkdir -p .tmp
rm -f .tmp/e2e.db
prisma migrate deploy >/dev/null
tsx lib/cli/seed.ts >/dev/null
exec next start --hostname 127.0.0.1 --port "${E2E_PORT:-3100}"
