#!/usr/bin/env bash
# Installs every Debian 12 package iqc needs to build, test and export models.
# Idempotent; run as root on a fresh machine.
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps.sh: run as root (apt-get install)" >&2
  exit 1
fi
packages=(
  # toolchain
  cmake ninja-build ccache lld g++ git time
  # MLIR/LLVM 22
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  # in-process linking of compiled models (lld as a library)
  liblld-22-dev zlib1g-dev libzstd-dev
  # ONNX import
  libprotobuf-dev protobuf-compiler libonnx-dev libonnx-testdata
  # unit tests
  libgtest-dev googletest
  # Python side: ONNX, numpy, PyTorch for exporting reference models
  python3 python3-onnx python3-numpy python3-torch
  # offline datasets for the trained classifiers: scikit-learn's digits and
  # the word lists of 8 languages (language identification)
  python3-sklearn
  wamerican wngerman wfrench witalian wspanish wportuguese wdutch wswedish
  # fast BLAS for PyTorch reference runs
  libopenblas0-openmp
)
# ONNX Runtime (the numerical/speed reference) comes from npm.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps.sh: all packages already installed"
else
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
# Tests that compare with ONNX Runtime are skipped when it cannot be
# installed (no npm registry access).
"$(dirname "$0")/install-ort.sh" ||
  echo "install-deps.sh: warning: onnxruntime-node not installed; ORT comparisons will be skipped" >&2
