#!/usr/bin/env bash
# Measures importing BERT-base (~440 MB of f32 weights): wall time and peak
# RSS of `iqc-translate --import-onnx ... --emit-bytecode`, for a single-file
# model and for one with external data. Not a test: prints numbers.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${IQC_BUILD_DIR:-$root/build}
out=${IQC_BENCH_DIR:-$root/bench/out}
mkdir -p "$out"
py=/usr/bin/python3
[ -f "$out/bert-base.onnx" ] || $py "$root/python/iqc/export.py" --model bert-base --opset 14 -o "$out/bert-base.onnx"
mkdir -p "$out/ext"
[ -f "$out/ext/bert-base.onnx" ] || $py "$root/python/iqc/export.py" --model bert-base --opset 14 --external-data -o "$out/ext/bert-base.onnx"
for model in "$out/bert-base.onnx" "$out/ext/bert-base.onnx"; do
  size=$(du -cb "$model"* | tail -1 | cut -f1)
  /usr/bin/time -f "%e %M" -o "$out/time.txt" \
    "$build/bin/iqc-translate" --import-onnx "$model" --emit-bytecode -o "$out/bert-base.mlirbc"
  read -r secs kb < "$out/time.txt"
  echo "import $(basename "$(dirname "$model")")/$(basename "$model"): $((size / 1000000)) MB in ${secs} s, peak RSS $((kb / 1024)) MiB"
done
