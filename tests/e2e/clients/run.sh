#!/usr/bin/env bash
# The portal team's clients against a fresh local stack (the four service binaries):
# - Python on Debian's python3-grpcio, stubs generated from protos/ by Debian's protoc and
#   gRPC's Python plugin: first_hour.py, which must be exactly the Python of docs/api.md's
#   "First hour" section (so the guide cannot go stale);
# - Node on @grpc/grpc-js with @grpc/proto-loader (tools/package.json): portal_flow.mjs.
# A missing tool is a failure, not a skip: scripts/install-deps.sh installs them all.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
BUILD_DIR="${LOCALGOV_BUILD_DIR:-$ROOT/build}"
CTL="$BUILD_DIR/tools/localgovctl/localgovctl"
CLIENTS="$ROOT/tests/e2e/clients"
PYTHON=/usr/bin/python3
fail() { echo "FAIL: $*"; exit 1; }

# Prerequisites (scripts/install-deps.sh).
"$PYTHON" -c 'import grpc, google.protobuf' 2>/dev/null ||
  fail "python3-grpcio / python3-protobuf missing for $PYTHON: run scripts/install-deps.sh"
command -v protoc >/dev/null || fail "protoc missing (protobuf-compiler): run scripts/install-deps.sh"
[ -x /usr/bin/grpc_python_plugin ] ||
  fail "grpc_python_plugin missing (protobuf-compiler-grpc): run scripts/install-deps.sh"
(cd "$ROOT/tools" && node -e "require.resolve('@grpc/grpc-js'); require.resolve('@grpc/proto-loader')") \
  2>/dev/null || fail "@grpc/grpc-js or @grpc/proto-loader missing: (cd tools && npm install)"
[ -x "$CTL" ] || fail "no localgovctl at $CTL: build first"

# The guide's Python is the client's code, byte for byte.
WORK="$(mktemp -d)"
"$PYTHON" "$CLIENTS/doc_blocks.py" "$ROOT/docs/api.md" "First hour: a portal client in Python" python >"$WORK/doc.py" ||
  fail "docs/api.md: no python blocks in the \"First hour\" section"
if ! diff -u "$WORK/doc.py" "$CLIENTS/first_hour.py"; then
  fail "docs/api.md \"First hour\" differs from tests/e2e/clients/first_hour.py (above): keep them the same"
fi
echo "PASS: docs/api.md \"First hour\" is tests/e2e/clients/first_hour.py"

source "$ROOT/tests/e2e/lib.sh"
trap 'stack_cleanup; rm -rf "$WORK"' EXIT
stack_up >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log"; fail "stack up"; }
echo "PASS: fresh stack up (dossier at $LOCALGOV_DOSSIER_ADDR)"

# The stubs, as the guide makes them.
STUBS="$WORK/stubs"
mkdir -p "$STUBS"
(cd "$ROOT" && protoc -Iprotos --python_out="$STUBS" --grpc_out="$STUBS" \
  --plugin=protoc-gen-grpc=/usr/bin/grpc_python_plugin \
  $(cd protos && find localgov google -name '*.proto')) || fail "protoc: Python stubs"
export PORTAL_TOKEN
PORTAL_TOKEN="$("$CTL" token mint --role system --agency 000.00.00.H99 --subject portal)" ||
  fail "token mint"

failed=0
if LOCALGOV_STUBS="$STUBS" timeout 120 "$PYTHON" "$CLIENTS/first_hour.py"; then
  echo "PASS: Python client (python3-grpcio)"
else
  echo "FAIL: Python client"; failed=1
fi
# One citizen, one matter across the services (issue 24), with each role's own token.
export OFFICER_TOKEN LEADER_TOKEN CITIZEN_TOKEN AUDITOR_TOKEN CITIZEN_ID=056190003321
OFFICER_TOKEN="$("$CTL" token mint --role officer --agency 000.00.31.H41 --subject tiep-dan-1)" &&
  LEADER_TOKEN="$("$CTL" token mint --role leader --agency 000.00.31.H41 --subject chu-tich)" &&
  CITIZEN_TOKEN="$("$CTL" token mint --role citizen --subject "$CITIZEN_ID")" &&
  AUDITOR_TOKEN="$("$CTL" token mint --role auditor --agency 000.00.00.H41 --subject kiem-toan)" ||
  fail "token mint"
if LOCALGOV_STUBS="$STUBS" timeout 120 "$PYTHON" "$CLIENTS/one_matter.py"; then
  echo "PASS: one matter across the services (python3-grpcio)"
else
  echo "FAIL: one matter across the services"; failed=1
fi
if timeout 120 node "$CLIENTS/portal_flow.mjs"; then
  echo "PASS: Node client (@grpc/grpc-js)"
else
  echo "FAIL: Node client"; failed=1
fi
exit "$failed"
