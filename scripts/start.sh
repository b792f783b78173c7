#!/usr/bin/env bash
# `npm start`: installs whatever is missing, then starts every service and prints what runs where.
source "$(dirname "$0")/lib/common.sh"
check_service_data_dir
bash "$P2P_ROOT/scripts/install/all.sh"
step "Starting p2p-escrow (state in $P2P_STATE_DIR)"
exec node "$P2P_ROOT/scripts/dist/cli.js" start "$@"
