# Shared shell settings: repository root, pinned versions, cache and state directories.
# Sourced by every script in scripts/; nothing here starts a process.
set -euo pipefail

P2P_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../../versions.conf
source "$P2P_ROOT/versions.conf"

export P2P_CACHE_DIR="${P2P_CACHE_DIR:-$HOME/.cache/p2p-escrow}"
export P2P_STATE_DIR="${P2P_STATE_DIR:-$P2P_ROOT/.state}"
# PostgreSQL's and Redis's data, where their system users can reach it wherever the clone is
# (one folder per state directory: scripts/src/env/systemUser.ts, serviceDataDir).
export P2P_SERVICE_DATA_DIR="${P2P_SERVICE_DATA_DIR:-/var/lib/p2p-escrow}"
export FABRIC_BIN_DIR="$P2P_CACHE_DIR/fabric-$FABRIC_VERSION/bin"
export FABRIC_CONFIG_BASE="$P2P_CACHE_DIR/fabric-$FABRIC_VERSION/sampleconfig"
export FABRIC_CA_BIN_DIR="$P2P_CACHE_DIR/fabric-ca-$FABRIC_CA_VERSION/bin"

step() { printf '\033[1m==>\033[0m %s\n' "$*"; }
fail() { printf 'error: %s\n' "$*" >&2; exit 1; }

# version_ge A B: true when dotted version A >= B.
version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

# Java services from Maven Central (scripts/install/kafka.sh, keycloak.sh).
export KAFKA_HOME_DIR="$P2P_CACHE_DIR/kafka-$KAFKA_VERSION"
export KEYCLOAK_HOME_DIR="$P2P_CACHE_DIR/keycloak-$KEYCLOAK_VERSION"
MAVEN_DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:$MAVEN_DEPENDENCY_PLUGIN_VERSION"

# check_service_data_dir: fails fast, before the long install steps, when PostgreSQL's and Redis's
# system users could not reach $P2P_SERVICE_DATA_DIR; creates it (mode 0755) otherwise.
check_service_data_dir() {
  local dir="$P2P_SERVICE_DATA_DIR" current
  case "$dir" in /*) ;; *) fail "P2P_SERVICE_DATA_DIR must be an absolute path (it is $dir)" ;; esac
  (umask 022 && mkdir -p "$dir") 2>/dev/null ||
    fail "cannot create $dir for PostgreSQL's and Redis's data (npm start runs them as their system users, which takes root; or set P2P_SERVICE_DATA_DIR)"
  current="$dir"
  while :; do
    (( 0$(stat -c %a "$current") & 1 )) ||
      fail "$dir is unreachable for the postgres and redis users: $current is not searchable by them (set P2P_SERVICE_DATA_DIR to a directory they can reach)"
    if [ "$current" = / ]; then break; fi
    current="$(dirname "$current")"
  done
}

# Kubernetes deployment tools (scripts/install/helm.sh). The validator's folder is named by a hash of
# its sources, so a change to deploy/validate builds it anew and an unchanged one is reused.
export HELM_BIN="$P2P_CACHE_DIR/helm-$HELM_VERSION/bin/helm"
manifest_validator_hash="$(cat "$P2P_ROOT"/deploy/validate/go.mod "$P2P_ROOT"/deploy/validate/go.sum "$P2P_ROOT"/deploy/validate/*.go 2>/dev/null | sha256sum | cut -c1-16)"
export MANIFEST_VALIDATOR_BIN="$P2P_CACHE_DIR/manifest-validator-$manifest_validator_hash/validate"

# The local payment provider (scripts/install/stripe-mock.sh).
export STRIPE_MOCK_BIN="$P2P_CACHE_DIR/stripe-mock-$STRIPE_MOCK_VERSION/bin/stripe-mock"

# The API fuzzer of the e2e tier (scripts/install/schemathesis.sh), in its own virtual environment.
export SCHEMATHESIS_HOME_DIR="$P2P_CACHE_DIR/schemathesis-$SCHEMATHESIS_VERSION"
export SCHEMATHESIS_BIN="$SCHEMATHESIS_HOME_DIR/bin/schemathesis"
