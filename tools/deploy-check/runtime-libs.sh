#!/usr/bin/env bash
# Checks that deploy/images/runtime-packages.txt covers every shared library each service
# binary links against (its NEEDED entries), so an image built from it starts. The packages
# every debian:12-slim image has (libc6, libgcc-s1, libstdc++6) need no listing.
# Usage: tools/deploy-check/runtime-libs.sh [build dir]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${1:-$ROOT/build}"
LIST="$ROOT/deploy/images/runtime-packages.txt"
BASE="libc6 libgcc-s1 libstdc++6"
listed=" $BASE $(grep -v '^#' "$LIST" | tr '\n' ' ') "
cache=$(ldconfig -p)
bad=0
for svc in dossier petition cadre liaison; do
  bin="$BUILD/services/$svc/$svc"
  [ -x "$bin" ] || { echo "runtime-libs: $bin not built"; exit 1; }
  for lib in $(objdump -p "$bin" | awk '/NEEDED/ {print $2}'); do
    path=$(awk -v l="$lib" '$1 == l && /x86-64/ {print $NF; exit}' <<<"$cache")
    if [ -z "$path" ]; then
      echo "runtime-libs: $svc needs $lib, which this machine cannot resolve"
      bad=1
      continue
    fi
    pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null || dpkg -S "$path" 2>/dev/null || true)
    pkg=${pkg%%:*}
    if [ -z "$pkg" ]; then
      echo "runtime-libs: $svc needs $lib ($path), which no Debian package owns"
      bad=1
    elif [[ "$listed" != *" $pkg "* ]]; then
      echo "runtime-libs: $svc needs $lib from $pkg, missing from deploy/images/runtime-packages.txt"
      bad=1
    fi
  done
done
[ "$bad" -eq 0 ] && echo "runtime-libs: deploy/images/runtime-packages.txt covers every library of the 4 services"
exit "$bad"
