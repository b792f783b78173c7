#!/usr/bin/env bash
# Installs schemathesis, the API fuzzer of the e2e tier (gateway-api/src/fuzz/), from PyPI at its
# pinned version into a virtual environment in the cache directory. Idempotent: kept while it reports
# the pinned version. A virtual environment keeps its dependencies apart from the system's Python.
source "$(dirname "$0")/../lib/common.sh"

command -v python3 >/dev/null || fail "python3 is not installed; schemathesis $SCHEMATHESIS_VERSION runs on it."
python_version="$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
version_ge "$python_version" "$PYTHON_MIN_VERSION" ||
  fail "schemathesis $SCHEMATHESIS_VERSION needs Python >= $PYTHON_MIN_VERSION (python3 is $python_version)."
if "$SCHEMATHESIS_BIN" --version 2>/dev/null | grep -qx "schemathesis, version $SCHEMATHESIS_VERSION"; then
  step "schemathesis $SCHEMATHESIS_VERSION already installed in $SCHEMATHESIS_HOME_DIR"
else
  step "Installing schemathesis $SCHEMATHESIS_VERSION from PyPI into $SCHEMATHESIS_HOME_DIR"
  rm -rf "$SCHEMATHESIS_HOME_DIR"
  python3 -m venv "$SCHEMATHESIS_HOME_DIR" ||
    fail "could not create a Python virtual environment (Debian: apt-get install python3-venv)"
  "$SCHEMATHESIS_HOME_DIR/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" ||
    fail "could not install schemathesis $SCHEMATHESIS_VERSION from PyPI"
fi
