#!/usr/bin/env bash
# Install the ONNX Runtime reference (npm onnxruntime-node, CPU provider only)
# into <repo>/build-ort/node_modules. Used by tools/ort-run/ort-run.mjs, which
# tests and benchmarks use as the reference runner. Idempotent.
#
# ONNXRUNTIME_NODE_INSTALL=skip stops the package's install script from
# downloading GPU add-ons (which fails offline); the CPU provider ships in the
# package itself.
set -euo pipefail

ORT_VERSION=1.30.0
DIR="$(cd "$(dirname "$0")/.." && pwd)/build-ort"
PKG_JSON="$DIR/node_modules/onnxruntime-node/package.json"

if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "install-ort: error: node and npm are required" >&2
  exit 1
fi

if [[ -f "$PKG_JSON" ]] &&
   [[ "$(node -p "require(process.argv[1]).version" "$PKG_JSON")" == "$ORT_VERSION" ]]; then
  echo "onnxruntime-node@$ORT_VERSION already installed in $DIR/node_modules"
  exit 0
fi

mkdir -p "$DIR"
ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund --prefix "$DIR" \
  "onnxruntime-node@$ORT_VERSION" >&2
echo "onnxruntime-node@$ORT_VERSION installed in $DIR/node_modules"
