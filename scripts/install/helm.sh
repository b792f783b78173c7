#!/usr/bin/env bash
# Builds Helm from its pinned Go module, and the offline manifest validator from deploy/validate/,
# into the cache directory. Idempotent: Helm is kept while it reports the pinned version, the
# validator while its sources are unchanged (its folder is named by their hash), so CI builds each once.
source "$(dirname "$0")/../lib/common.sh"

command -v go >/dev/null || fail "Go is not installed; Helm $HELM_VERSION is built from its Go module."
# Helm 3.22 and the Kubernetes API types of the validator ask for the same Go as deploy/validate/go.mod.
go_version="$(go env GOVERSION | sed 's/^go//')"
go_needed="$(sed -n 's/^go //p' "$P2P_ROOT/deploy/validate/go.mod")"
version_ge "$go_version" "$go_needed" ||
  fail "Go $go_version is too old; Helm $HELM_VERSION and the manifest validator need Go >= $go_needed."

helm_module="helm.sh/helm/v3"
helm_stamp="$(dirname "$(dirname "$HELM_BIN")")/.built"
if [ -f "$helm_stamp" ] && "$HELM_BIN" version --short 2>/dev/null | grep -q "^v$HELM_VERSION\b"; then
  step "Helm $HELM_VERSION already built in $(dirname "$HELM_BIN")"
else
  step "Downloading $helm_module@v$HELM_VERSION"
  # As for Fabric (fabric.sh): download the pinned version and build in place, no version listing.
  src="$(go mod download -json "$helm_module@v$HELM_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  [ -d "$src" ] || fail "could not download $helm_module@v$HELM_VERSION from the Go module proxy"
  # The Kubernetes version Helm assumes without a cluster, from the client-go it is built with
  # (v0.X.Y is Kubernetes 1.X), as Helm's own Makefile sets it.
  k8s_minor="$(sed -n 's/^\tk8s.io\/client-go v0\.\([0-9]*\)\..*/\1/p' "$src/go.mod")"
  [ -n "$k8s_minor" ] || fail "could not read the Kubernetes version of Helm $HELM_VERSION"
  ldflags="-X $helm_module/internal/version.version=v$HELM_VERSION -X $helm_module/internal/version.gitTreeState=clean"
  for package in pkg/lint/rules pkg/chartutil; do
    ldflags+=" -X $helm_module/$package.k8sVersionMajor=1 -X $helm_module/$package.k8sVersionMinor=$k8s_minor"
  done
  step "Building helm"
  mkdir -p "$(dirname "$HELM_BIN")"
  (cd "$src" && CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$HELM_BIN" ./cmd/helm) ||
    fail "could not build helm $HELM_VERSION"
  touch "$helm_stamp"
fi

if [ -x "$MANIFEST_VALIDATOR_BIN" ]; then
  step "Manifest validator already built in $(dirname "$MANIFEST_VALIDATOR_BIN")"
else
  step "Building the manifest validator (deploy/validate, Kubernetes API $K8S_API_VERSION)"
  grep -q "k8s.io/api v$K8S_API_VERSION\$" "$P2P_ROOT/deploy/validate/go.mod" ||
    fail "deploy/validate/go.mod does not pin k8s.io/api v$K8S_API_VERSION (versions.conf)"
  mkdir -p "$(dirname "$MANIFEST_VALIDATOR_BIN")"
  (cd "$P2P_ROOT/deploy/validate" && CGO_ENABLED=0 go build -trimpath -o "$MANIFEST_VALIDATOR_BIN" .) ||
    fail "could not build the manifest validator"
fi
