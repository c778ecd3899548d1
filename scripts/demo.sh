#!/usr/bin/env bash
# The main job on the bundled example: installs dependencies, builds iqc,
# compiles examples/bert-tiny.onnx (a seeded 2-layer BERT exported from
# PyTorch at opset 14) ahead of time into a shared library with a C header,
# runs it on a token sequence and reports latency.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
build=${IQC_BUILD_DIR:-$root/build}
model=$root/examples/bert-tiny.onnx
out=$build/demo
mkdir -p "$out"
echo "== iqc-compile $model -> $out/bert-tiny.so (+ bert-tiny.h)"
/usr/bin/time -f "   compiled in %e s, peak memory %M KiB" \
  "$build/bin/iqc-compile" "$model" -o "$out/bert-tiny.so" --header "$out/bert-tiny.h"
echo "   exports: $(nm -D --defined-only "$out/bert-tiny.so" | awk '{print $3}' | grep -E '^(bert_tiny|iqc_default)' | tr '\n' ' ')"
echo "   needs:   $(readelf -d "$out/bert-tiny.so" | sed -nE 's/.*NEEDED.*\[(.*)\]/\1/p' | tr '\n' ' ')"
echo "== iqc-run: batch 1, sequence 16, random token ids; outputs and latency"
"$build/bin/iqc-run" "$out/bert-tiny.so" --random --dim batch=1 --dim sequence=16 \
  --bench 50 --output-dir "$out/outputs"
echo "outputs written to $out/outputs/"
