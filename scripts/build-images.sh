#!/usr/bin/env bash
# Builds the four service images: localgov/build (toolchain + build) and localgov/runtime
# (Debian 12 slim + runtime libraries) from deploy/images/Containerfile.build, then
# localgov/<service> from deploy/images/<service>.Containerfile.
# Uses docker when a daemon answers, else buildah (Debian 12: apt-get install buildah), which
# needs no daemon. Needs the base images debian:12 and debian:12-slim from your registry.
#   scripts/build-images.sh [registry prefix, e.g. registry.localgov.example/localgov] [tag]
# With a registry prefix it pushes and prints the digest-pinned `images:` entries for
# deploy/overlays/production/kustomization.yaml.
set -euo pipefail
cd "$(dirname "$0")/.."
PREFIX="${1:-}"
TAG="${2:-0.1.0}"
if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  build() { docker build "$@"; }
  tool_tag() { docker tag "$1" "$2"; }
  push() { docker push "$1" >/dev/null && docker inspect --format '{{index .RepoDigests 0}}' "$1" | sed 's/.*@//'; }
elif command -v buildah >/dev/null 2>&1; then
  build() { buildah build --layers "$@"; }
  tool_tag() { buildah tag "$1" "$2"; }
  push() {
    local f
    f=$(mktemp)
    buildah push --digestfile "$f" "$1" "docker://$1" >/dev/null
    cat "$f"
    rm -f "$f"
  }
else
  echo "build-images: need docker (with a running daemon) or buildah" >&2
  exit 1
fi

build -f deploy/images/Containerfile.build --target build -t localgov/build:latest .
build -f deploy/images/Containerfile.build --target runtime -t localgov/runtime:latest .
for svc in dossier petition cadre liaison; do
  build -f "deploy/images/$svc.Containerfile" -t "localgov/$svc:$TAG" .
done
if [ -n "$PREFIX" ]; then
  echo "# paste into deploy/overlays/production/kustomization.yaml (images:)"
  for svc in dossier petition cadre liaison; do
    tool_tag "localgov/$svc:$TAG" "$PREFIX/$svc:$TAG"
    digest=$(push "$PREFIX/$svc:$TAG")
    printf '  - name: localgov/%s\n    newName: %s/%s\n    digest: %s\n' "$svc" "$PREFIX" "$svc" "$digest"
  done
fi
