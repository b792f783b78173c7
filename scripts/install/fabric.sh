#!/usr/bin/env bash
# Builds Fabric's peer, orderer and tools and Fabric CA from their pinned Go modules into the
# cache directory. Idempotent: binaries already built at the pinned version are kept.
# `go install pkg@version` is not used: it asks the proxy for the module's version list, which
# the proxy refuses for Fabric; downloading the pinned version and building in place does not.
source "$(dirname "$0")/../lib/common.sh"

command -v go >/dev/null || fail "Go is not installed; Fabric $FABRIC_VERSION needs Go >= $GO_MIN_VERSION."
go_version="$(go env GOVERSION | sed 's/^go//')"
version_ge "$go_version" "$GO_MIN_VERSION" || fail "Go $go_version is too old; Fabric $FABRIC_VERSION needs Go >= $GO_MIN_VERSION."

# module_dir MODULE VERSION: downloads a pinned module with its dependencies, prints its directory.
module_dir() {
  local dir
  dir="$(go mod download -json "$1@$2" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  [ -d "$dir" ] || fail "could not download $1@$2 from the Go module proxy"
  (cd "$dir" && go mod download) || fail "could not download the dependencies of $1@$2"
  printf '%s\n' "$dir"
}

fabric_module="github.com/hyperledger/fabric"
fabric_stamp="$P2P_CACHE_DIR/fabric-$FABRIC_VERSION/.built-$FABRIC_MODULE_VERSION"
if [ -f "$fabric_stamp" ] && "$FABRIC_BIN_DIR/peer" version 2>/dev/null | grep -q "Version: $FABRIC_VERSION"; then
  step "Fabric $FABRIC_VERSION already built in $FABRIC_BIN_DIR"
else
  step "Downloading $fabric_module@$FABRIC_MODULE_VERSION (Fabric $FABRIC_VERSION)"
  src="$(module_dir "$fabric_module" "$FABRIC_MODULE_VERSION")"
  mkdir -p "$FABRIC_BIN_DIR"
  ldflags="-X $fabric_module/common/metadata.Version=$FABRIC_VERSION -X $fabric_module/common/metadata.CommitSHA=$FABRIC_COMMIT"
  for cmd in peer orderer osnadmin configtxgen configtxlator; do
    step "Building $cmd"
    (cd "$src" && go build -trimpath -ldflags "$ldflags" -o "$FABRIC_BIN_DIR/$cmd" "./cmd/$cmd")
  done
  step "Copying Fabric's sampleconfig from the module cache"
  rm -rf "$FABRIC_CONFIG_BASE" && cp -r "$src/sampleconfig" "$FABRIC_CONFIG_BASE" && chmod -R u+w "$FABRIC_CONFIG_BASE"
  touch "$fabric_stamp"
fi

ca_module="github.com/hyperledger/fabric-ca"
ca_stamp="$P2P_CACHE_DIR/fabric-ca-$FABRIC_CA_VERSION/.built"
if [ -f "$ca_stamp" ] && [ -x "$FABRIC_CA_BIN_DIR/fabric-ca-server" ] && [ -x "$FABRIC_CA_BIN_DIR/fabric-ca-client" ]; then
  step "Fabric CA $FABRIC_CA_VERSION already built in $FABRIC_CA_BIN_DIR"
else
  step "Downloading $ca_module@v$FABRIC_CA_VERSION"
  src="$(module_dir "$ca_module" "v$FABRIC_CA_VERSION")"
  mkdir -p "$FABRIC_CA_BIN_DIR"
  for cmd in fabric-ca-server fabric-ca-client; do
    step "Building $cmd (cgo, sqlite)"
    (cd "$src" && CGO_ENABLED=1 go build -trimpath -ldflags "-X $ca_module/lib/metadata.Version=$FABRIC_CA_VERSION" -o "$FABRIC_CA_BIN_DIR/$cmd" "./cmd/$cmd")
  done
  touch "$ca_stamp"
fi
