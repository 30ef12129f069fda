#!/usr/bin/env bash
# Installs every build, test and run dependency of localgov on Debian 12.
# Safe to run twice: apt-get and npm skip what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

APT_PACKAGES=(
  # build
  build-essential cmake ninja-build pkg-config git ca-certificates
  clang-format
  # protobuf + gRPC 1.51 + Abseil 20220623
  protobuf-compiler libprotobuf-dev protobuf-compiler-grpc libgrpc++-dev libgrpc-dev libabsl-dev
  # storage clients
  libpq-dev libpqxx-dev libhiredis-dev
  # libraries
  libspdlog-dev libfmt-dev libcli11-dev nlohmann-json3-dev prometheus-cpp-dev
  libsodium-dev libjwt-dev libssl-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # real servers used by the local stack and the integration tests
  postgresql-15 postgresql-client-15 redis-server redis-tools
  # runtime helpers (the harness drops root to run PostgreSQL)
  util-linux procps iproute2
  # tooling: buf (npm) for proto lint and buf curl
  nodejs
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all Debian packages present"
fi

# npm ships with NodeSource's nodejs; Debian's nodejs needs the separate npm package.
if ! command -v npm >/dev/null 2>&1; then
  $SUDO apt-get install -y -qq --no-install-recommends npm
fi

# The packaged redis-server/postgresql services are not used: the local stack and the tests
# start their own servers on loopback in project folders.
# buf, pinned in tools/package.json (package-lock.json records the exact version).
if [ ! -x tools/node_modules/.bin/buf ]; then
  # npm ci refuses lock files that omit other platforms' optional binaries (an npm 11 bug);
  # install honours the exact version pinned in package.json and the lock file's integrity.
  (cd tools && npm install --no-audit --no-fund --loglevel=error)
fi
echo "install-deps: done"
