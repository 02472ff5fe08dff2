#!/usr/bin/env bash
# The e2e layer's second server: `npm run demo` on its own port and a fresh database file of its own.
set -euo pipefail
cd "$(dirname "$0")/../.."
db="${DATABASE_URL#file:}"
rm -f "$db" "$db-wal" "$db-shm" "$db-journal"
exec npm run demo
