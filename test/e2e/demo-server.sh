#!/usr/bin/env bash
# The e2e layer's second server: `npm run demo` on its own port and a fresh database file of its own.
set -euo pipefail
cd "$(dirname "$0")/../.."
rm -f "${DATABASE_URL#file:}"
exec npm run demo
