#!/usr/bin/env bash
# `npm test`: every tier. Installs and builds what is missing, lints, runs the unit tier, brings the
# stack up if it is not running (and stops it again afterwards), runs the live tiers, then the multi-host tier.
source "$(dirname "$0")/lib/common.sh"
cd "$P2P_ROOT"
check_service_data_dir
bash "$P2P_ROOT/scripts/install/all.sh"

summary_dir="$(mktemp -d)"
trap 'rm -rf "$summary_dir"' EXIT

# run_tier NAME MOCHA_CONFIG: runs one mocha tier and keeps its pass/fail counts for the summary.
run_tier() {
  step "Test tier: $1"
  local status=0
  npx --no-install mocha --config "$2" 2>&1 | tee "$summary_dir/$1.log" || status=$?
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  return "$status"
}

counts() {
  local passed=0 failed=0 file
  for file in "$summary_dir"/*.log; do
    [ -f "$file" ] || continue
    passed=$((passed + $(sed -n 's/^ *\([0-9][0-9]*\) passing.*/\1/p' "$file" | tail -1 | grep . || echo 0)))
    failed=$((failed + $(sed -n 's/^ *\([0-9][0-9]*\) failing.*/\1/p' "$file" | tail -1 | grep . || echo 0)))
  done
  echo "$passed passed, $failed failed"
}

failures=0
step "Lint: eslint (typed rules) and prettier"
npm run --silent lint || failures=$((failures + 1))
run_tier unit .mocharc.unit.json || failures=$((failures + 1))

started_here=0
if ! node scripts/dist/cli.js status >/dev/null 2>&1; then
  step "The stack is not running: starting it for the live tiers"
  started_here=1
  trap 'node scripts/dist/cli.js stop >/dev/null 2>&1 || true; rm -rf "$summary_dir"' EXIT
  node scripts/dist/cli.js start || { echo "tests: $(counts) (and the stack did not start)"; exit 1; }
fi
run_tier integration .mocharc.integration.json || failures=$((failures + 1))
run_tier e2e .mocharc.e2e.json || failures=$((failures + 1))
if [ "$started_here" = 1 ]; then
  step "Stopping the stack this run started"
  node scripts/dist/cli.js stop
fi
# The multi-host tier runs its own consortium in network namespaces (root and iproute2 needed): last,
# once the stack this run started is stopped, so the two never share the machine's memory.
run_tier multihost .mocharc.multihost.json || failures=$((failures + 1))

echo
echo "tests: $(counts)"
[ "$failures" -eq 0 ] || { echo "error: $failures step(s) failed" >&2; exit 1; }
