#!/usr/bin/env bash
# `npm test`: every tier. Installs and builds what is missing, lints, runs the unit tier, brings the
# stack up if it is not running (beside lint and the unit tier; stopped again afterwards), runs the live
# tiers, the API fuzzing run and the chaos short profile on that stack, then the multi-host tier.
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

# failure_report: each failed tier's mocha failure list, printed again after the summary so that a log
# read from its tail (a CI page shows the last part) still names the failing tests and their errors.
failure_report() {
  local file
  for file in "$summary_dir"/*.log; do
    [ -f "$file" ] && grep -qE '^ *[0-9]+ failing' "$file" || continue
    echo
    echo "failures in the $(basename "$file" .log) tier:"
    sed -n '/^ *[0-9][0-9]* failing/,$p' "$file" | head -n 120
  done
}

failures=0
started_here=0
start_pid=''
# stop_started_stack: ends the start this run launched if it is still going (a start stops what it
# launched on SIGTERM), then stops the stack.
stop_started_stack() {
  if [ -n "$start_pid" ] && kill -0 "$start_pid" 2>/dev/null; then
    kill -TERM "$start_pid" 2>/dev/null || true
    wait "$start_pid" 2>/dev/null || true
  fi
  node scripts/dist/cli.js stop >/dev/null 2>&1 || true
}
if ! node scripts/dist/cli.js status >/dev/null 2>&1; then
  # Lint and the unit tier need no stack: the start (two minutes, most of it Keycloak's first start
  # and health waits) runs beside them, its progress kept in a file and shown once they are done.
  step "The stack is not running: starting it for the live tiers, beside lint and the unit tier"
  started_here=1
  trap 'stop_started_stack; rm -rf "$summary_dir"' EXIT
  node scripts/dist/cli.js start >"$summary_dir/start.out" 2>&1 &
  start_pid=$!
fi
step "Lint: eslint (typed rules) and prettier"
npm run --silent lint || failures=$((failures + 1))
# Some unit tests build the service list, whose environments generate secrets under the state
# directory: they get one of their own, so they never race the start for the stack's.
P2P_STATE_DIR="$summary_dir/unit-state" run_tier unit .mocharc.unit.json || failures=$((failures + 1))

if [ "$started_here" = 1 ]; then
  step "The stack's start (begun before lint)"
  start_status=0
  wait "$start_pid" || start_status=$?
  start_pid=''
  cat "$summary_dir/start.out"
  [ "$start_status" -eq 0 ] || {
    echo "tests: $(counts) (and the stack did not start)"
    failure_report
    exit 1
  }
fi
run_tier integration .mocharc.integration.json || failures=$((failures + 1))
run_tier e2e .mocharc.e2e.json || failures=$((failures + 1))
# The API fuzzing run (gateway-api/src/fuzz/): schemathesis against the served document, bounded by its
# examples (about 2 500 requests), seeded; before the chaos profile, on a stack that has no faults behind it.
run_tier fuzz .mocharc.fuzz.json || failures=$((failures + 1))
# The chaos short profile (bench/src/chaos/chaosShort.chaos.test.ts): ten seeded faults under escrow load
# against the stack the tiers above ran on, then the checker's verdicts; it leaves the stack healthy.
run_tier chaos .mocharc.chaos.json || failures=$((failures + 1))
if [ "$started_here" = 1 ]; then
  step "Stopping the stack this run started"
  node scripts/dist/cli.js stop
fi
# The multi-host tier runs its own consortium in network namespaces (root and iproute2 needed): last,
# once the stack this run started is stopped, so the two never share the machine's memory.
run_tier multihost .mocharc.multihost.json || failures=$((failures + 1))

echo
echo "tests: $(counts)"
failure_report
[ "$failures" -eq 0 ] || { echo "error: $failures step(s) failed" >&2; exit 1; }
