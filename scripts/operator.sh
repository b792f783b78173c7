#!/usr/bin/env bash
# `npm run operator -- <command>`: the operator commands (scripts/src/operator/), built by `npm start`
# or `npx tsc -b`.
source "$(dirname "$0")/lib/common.sh"
[ -f "$P2P_ROOT/scripts/dist/operator/main.js" ] || fail "the operator commands are not built; run \`npx tsc -b\` first"
exec node "$P2P_ROOT/scripts/dist/operator/main.js" "$@"
