#!/usr/bin/env bash
# Configures and builds iqc in build/ (Release, ninja, lld, ccache, libMLIR.so).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${IQC_BUILD_DIR:-$root/build}
export CCACHE_BASEDIR=$root
if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=Release \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
    -DIQC_LINK_MLIR_DYLIB=ON
fi
cmake --build "$build"
