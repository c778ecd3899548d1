#!/usr/bin/env bash
# The main job on the bundled example: installs dependencies, builds iqc,
# imports examples/bert-tiny.onnx (a seeded 2-layer BERT exported from
# PyTorch at opset 14), raises it to semantic iq ops and prints a summary.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
build=${IQC_BUILD_DIR:-$root/build}
model=$root/examples/bert-tiny.onnx
echo "== importing $model"
"$build/bin/iqc-translate" --import-onnx "$model" -o "$build/bert-tiny.mlir"
echo "== raising (iq-raise) and counting ops"
"$build/bin/iqc-opt" "$build/bert-tiny.mlir" --iq-raise --print-op-stats \
  -o "$build/bert-tiny.raised.mlir" 2>&1 | grep -E "iq\.|Operations"
echo "== signature"
grep -m1 "func.func" "$build/bert-tiny.raised.mlir" | sed 's/ {$//'
echo "raised IR: $build/bert-tiny.raised.mlir"
