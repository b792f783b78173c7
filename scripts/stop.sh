#!/usr/bin/env bash
# `npm stop [-- --clean]`: stops exactly the processes `npm start` recorded; --clean removes the state directory.
source "$(dirname "$0")/lib/common.sh"
if [ ! -f "$P2P_ROOT/scripts/dist/cli.js" ]; then
  [ "${1:-}" = "--clean" ] && rm -rf "$P2P_STATE_DIR"
  echo "nothing was started from this clone"
  exit 0
fi
exec node "$P2P_ROOT/scripts/dist/cli.js" stop "$@"
