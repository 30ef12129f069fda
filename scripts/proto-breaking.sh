#!/usr/bin/env bash
# The released API cannot break by accident: `buf breaking` of protos/ against the latest
# release image in protos/releases/ (vX.Y.Z.binpb, committed; see docs/api.md "Versioning
# policy" for cutting a release). --self-check also proves the check bites: a copy of protos/
# with one field removed must be refused.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUF="$ROOT/tools/node_modules/.bin/buf"
[ -x "$BUF" ] || { echo "proto-breaking: no buf at $BUF: (cd tools && npm install)" >&2; exit 1; }
latest="$(cd "$ROOT/protos/releases" && ls v*.binpb 2>/dev/null | sort -V | tail -n 1)"
[ -n "$latest" ] || { echo "proto-breaking: no release image in protos/releases/" >&2; exit 1; }
against="$ROOT/protos/releases/$latest"

(cd "$ROOT" && "$BUF" breaking --against "$against")
echo "proto-breaking: protos/ keeps every promise of ${latest%.binpb}"

if [ "${1:-}" = "--self-check" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  cp -r "$ROOT/protos" "$ROOT/buf.yaml" "$tmp/"
  file="$tmp/protos/localgov/dossier/v1/dossier_service.proto"
  grep -q '^  int32 amount = 3;$' "$file" || { echo "proto-breaking: self-check field not found" >&2; exit 1; }
  sed -i 's/^  int32 amount = 3;$/  reserved 3;/' "$file"
  if (cd "$tmp" && "$BUF" breaking --against "$against" >"$tmp/out" 2>&1); then
    echo "proto-breaking: a removed field was NOT detected" >&2
    exit 1
  fi
  grep -q 'ComputeDueDateRequest' "$tmp/out" || { cat "$tmp/out" >&2; exit 1; }
  echo "proto-breaking: self-check: a removed field is refused"
fi
