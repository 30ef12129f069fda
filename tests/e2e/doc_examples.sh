#!/usr/bin/env bash
# The doc test: every shell example of README.md and docs/api.md runs as written, in order, on a
# fresh stack (tests/e2e/doc_examples.py says how; doc_examples.skip lists the blocks it does not
# run, each with its reason). Needs the build (localgovctl), tools/node_modules (buf) and python3.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD_DIR="${LOCALGOV_BUILD_DIR:-$ROOT/build}"
[ -x "$BUILD_DIR/tools/localgovctl/localgovctl" ] || { echo "FAIL: no localgovctl in $BUILD_DIR: build first"; exit 1; }
[ -x "$ROOT/tools/node_modules/.bin/buf" ] || { echo "FAIL: no buf: (cd tools && npm install)"; exit 1; }
source "$ROOT/tests/e2e/lib.sh"
trap stack_cleanup EXIT
log="$(mktemp)"
stack_up >"$log" 2>&1 || { cat "$log"; rm -f "$log"; echo "FAIL: stack up"; exit 1; }
rm -f "$log"
# The examples export the key file themselves (docs/api.md's preamble, the README's "Try it");
# the service addresses stay set, as the rewritten 127.0.0.1:5005x addresses of the examples.
unset LOCALGOV_DEV_KEY_FILE
python3 "$ROOT/tests/e2e/doc_examples.py" "$@"
