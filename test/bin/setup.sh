#!/usr/bin/env bash
# Installs what Tripod's commands need on a fresh Debian machine, skipping what is present:
# Debian packages (Chromium for the browser tests, ignition-validate, keepalived, haproxy, iproute2, nmcli
# (network-manager), nft (nftables), PostgreSQL for the PostgreSQL test pass, …) and the npm dependencies from the
# lockfile (`npm ci`, which also builds better-sqlite3 and generates the Prisma clients).
# The local OpenStack cloud installs its own packages (test/cloud/up.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
source test/bin/env.sh

APT_PACKAGES=(chromium ignition keepalived haproxy iproute2 curl openssl procps psmisc postgresql network-manager nftables ansible-core)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm ci only when node_modules is absent or older than the lockfile.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
fi
# The generated clients (SQLite and PostgreSQL) are gitignored; regenerate them when a schema changed since.
if [[ ! -f lib/generated/prisma/client.ts || prisma/schema.prisma -nt lib/generated/prisma/client.ts ||
      ! -f lib/generated/prisma-pg/client.ts || prisma/postgresql/schema.prisma -nt lib/generated/prisma-pg/client.ts ]]; then
  npm run --silent db:generate >/dev/null
fi
