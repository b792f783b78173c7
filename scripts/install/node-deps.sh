#!/usr/bin/env bash
# Installs the npm workspaces' dependencies (when the lockfile changed) and builds the TypeScript.
source "$(dirname "$0")/../lib/common.sh"
cd "$P2P_ROOT"
node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
[ "$node_major" = "$NODE_MAJOR" ] || fail "Node $NODE_MAJOR is required (found $(node --version 2>/dev/null || echo none))."
stamp="node_modules/.p2p-lock-hash"
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  step "Installing npm dependencies (npm ci)"
  # The lockfile pins every tarball and its integrity: a warm npm cache serves them without asking
  # the registry again for each package's metadata.
  npm ci --prefer-offline --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > "$stamp"
fi
step "Building TypeScript (tsc -b)"
npx --no-install tsc -b
