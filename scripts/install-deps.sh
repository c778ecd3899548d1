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
  # ONNX import
  liblld-22-dev zlib1g-dev libzstd-dev
  libprotobuf-dev protobuf-compiler libonnx-dev libonnx-testdata
  # unit tests
  libgtest-dev googletest
  # Python side: ONNX, numpy, PyTorch for exporting reference models
  python3 python3-onnx python3-numpy python3-torch
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps.sh: all packages already installed"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
