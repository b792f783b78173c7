# Shared shell settings: repository root, pinned versions, cache and state directories.
# Sourced by every script in scripts/; nothing here starts a process.
set -euo pipefail

P2P_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../../versions.conf
source "$P2P_ROOT/versions.conf"

export P2P_CACHE_DIR="${P2P_CACHE_DIR:-$HOME/.cache/p2p-escrow}"
export P2P_STATE_DIR="${P2P_STATE_DIR:-$P2P_ROOT/.state}"
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
