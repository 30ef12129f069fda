#!/usr/bin/env bash
# The access matrix against the four service binaries (ctest access_matrix): a fresh local stack
# (real PostgreSQL and Redis, demo province) with the services logging at debug level; every
# cell of tests/access/matrix.tsv called with a token of its role and agency scope
# (access_matrix.py, python3-grpcio); then the services' logs searched for the tokens used, the
# citizen IDs, names and addresses of the records made and any JWT or citizen ID at all
# (log_scan.py). The logs and the secrets are kept in $LOCALGOV_BUILD_DIR/test-logs/ for the
# suite-wide scan (ctest log_secrets). A missing tool is a failure, not a skip.
set -uo pipefail
source "$(dirname "$0")/../e2e/lib.sh"
HERE="$ROOT/tests/access"
PYTHON=/usr/bin/python3
fail() { echo "FAIL: $*"; exit 1; }

"$PYTHON" -c 'import grpc, google.protobuf, cryptography' 2>/dev/null ||
  fail "python3-grpcio / python3-protobuf / python3-cryptography missing for $PYTHON: run scripts/install-deps.sh"
command -v protoc >/dev/null || fail "protoc missing (protobuf-compiler): run scripts/install-deps.sh"
[ -x "$BUF" ] || fail "buf missing at $BUF: (cd tools && npm install)"
[ -x "$CTL" ] || fail "no localgovctl at $CTL: build first"

# The scanner must be able to fail: a planted token and citizen ID are found, and named
# without their value.
PLANT="$(mktemp -d)"
printf '{"msg":"x"}\n{"msg":"Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXBhcnQ"}\n{"msg":"id 079203001234"}\n' >"$PLANT/planted.log"
out="$("$PYTHON" "$HERE/log_scan.py" "$PLANT" 2>&1)"
if [ $? = 1 ] && grep -q 'planted.log:2: a bearer token' <<<"$out" && grep -q 'planted.log:3: a citizen ID' <<<"$out" &&
   ! grep -q '079203001234' <<<"$out"; then
  ok "log scan finds a planted token and citizen ID, naming neither"
else
  ko "log scan self-check: $out"
fi
rm -rf "$PLANT"

export LOCALGOV_LOG_LEVEL=debug
KEEP="$BUILD_DIR/test-logs/access_matrix"
rm -rf "$KEEP"
mkdir -p "$KEEP"
cleanup() {
  [ -n "${LOCALGOV_STACK_DIR:-}" ] && bash "$STACK" down >/dev/null 2>&1
  [ -d "${LOCALGOV_STACK_DIR:-/nonexistent}/logs" ] && cp "$LOCALGOV_STACK_DIR"/logs/{dossier,petition,cadre,liaison}.log "$KEEP/" 2>/dev/null
  rm -rf "${LOCALGOV_STACK_DIR:-/nonexistent}" "${PG_DIR:-/nonexistent}"
  rm -rf "${KEYDIR:-/nonexistent}"
}
trap cleanup EXIT
stack_up >"$KEEP/up.txt" 2>&1 || { cat "$KEEP/up.txt"; fail "stack up"; }
ok "fresh stack up (services at debug level)"

# An envelope of the own commune to another agency (the province), for GetEnvelope and Requeue;
# the commune's signing key signs a fresh envelope for every cell of Send.
KEYDIR="$(mktemp -d)"
ENVELOPE="access-env-$$"
"$CTL" exchange keygen --key-id access-commune --out "$KEYDIR/commune.key" >"$KEYDIR/keygen.txt" &&
  PUB="$(awk '/public key/ {print $NF}' "$KEYDIR/keygen.txt")" &&
  "$CTL" directory admin add-key 000.00.31.H41 access-commune "$PUB" >/dev/null &&
  "$CTL" directory admin endpoint 000.00.00.H41 service:dossier >/dev/null &&
  "$CTL" directory admin grant 000.00.31.H41 step-handoff 000.00.00.H41 >/dev/null &&
  "$CTL" exchange send --from 000.00.31.H41 --to 000.00.00.H41 --correlation access-matrix \
    --key "$KEYDIR/commune.key" --id "$ENVELOPE" --payload '{"buoc":"xac-minh"}' >/dev/null ||
  fail "sending the envelope the matrix reads"

SECRETS="$KEEP/secrets.tsv"
if timeout 600 "$PYTHON" "$HERE/access_matrix.py" --stack-dir "$LOCALGOV_STACK_DIR" \
     --fixture "envelope=$ENVELOPE" --fixture "commune_key=$KEYDIR/commune.key" \
     --secrets-out "$SECRETS"; then
  ok "every cell of the access matrix"
else
  ko "access matrix (above: RPC, role and scope of each cell that differs)"
fi

# Logs as the services wrote them during the whole run (stopped first, so all is flushed).
bash "$STACK" down >/dev/null 2>&1
cp "$LOCALGOV_STACK_DIR"/logs/{dossier,petition,cadre,liaison}.log "$KEEP/"
if "$PYTHON" "$HERE/log_scan.py" --secrets "$SECRETS" "$KEEP"; then
  ok "no token, citizen ID, name or address in the services' logs"
else
  ko "secrets in the services' logs (above: file, line and class)"
fi
echo "access: $passed passed, $failed failed"
[ "$failed" = 0 ]
