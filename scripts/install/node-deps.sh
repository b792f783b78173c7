#!/usr/bin/env bash
# Installs the npm workspaces' dependencies (when the lockfile or a patch changed) and builds the TypeScript.
source "$(dirname "$0")/../lib/common.sh"
cd "$P2P_ROOT"
node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
[ "$node_major" = "$NODE_MAJOR" ] || fail "Node $NODE_MAJOR is required (found $(node --version 2>/dev/null || echo none))."
stamp="node_modules/.p2p-lock-hash"
# patches/ holds fixes to pinned dependencies that patch-package applies after every install
# (npm's postinstall): a changed patch installs again, as a changed lockfile does.
lock_hash="$(cat package-lock.json patches/*.patch | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  step "Installing npm dependencies (npm ci)"
  # The lockfile pins every tarball and its integrity: a warm npm cache serves them without asking
  # the registry again for each package's metadata.
  npm ci --prefer-offline --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > "$stamp"
fi
step "Building TypeScript (tsc -b)"
npx --no-install tsc -b
# The web console's bundle (console/bundle/, which the gateways serve under /console): built again
# only when its sources (and the proof verifier's, which it bundles from source), its build settings
# or the lockfile changed since the bundle was made.
console_hash="$(cat package-lock.json console/package.json console/index.html console/vite.config.mjs \
  $(find console/src proof-verifier/src -type f | sort) | sha256sum | cut -d' ' -f1)"
console_stamp="console/bundle/.source-hash"
if [ ! -f "$console_stamp" ] || [ "$(cat "$console_stamp")" != "$console_hash" ]; then
  step "Building the web console (vite build)"
  npm run --silent build -w console >/dev/null
  echo "$console_hash" > "$console_stamp"
fi
