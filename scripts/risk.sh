#!/usr/bin/env bash
# `npm run risk -- backtest [--rules FILE] [--since ISO]`: the risk service's commands, built by
# `npm start` or `npx tsc -b`.
source "$(dirname "$0")/lib/common.sh"
[ -f "$P2P_ROOT/scripts/dist/risk/riskCommand.js" ] && [ -f "$P2P_ROOT/risk/dist/backtest/main.js" ] ||
  fail "the risk commands are not built; run \`npx tsc -b\` first"
exec node "$P2P_ROOT/scripts/dist/risk/riskCommand.js" "$@"
