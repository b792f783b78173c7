#!/usr/bin/env bash
# Passes a command to the service runner (start, stop, status, restart <service>).
source "$(dirname "$0")/lib/common.sh"
exec node "$P2P_ROOT/scripts/dist/cli.js" "$@"
