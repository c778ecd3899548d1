#!/usr/bin/env bash
# The main job on the bundled example: installs dependencies, builds iqc,
# compiles examples/bert-tiny.onnx (a seeded 2-layer BERT exported from
# PyTorch at opset 14) ahead of time into an integer-only shared library
# with a C header (calibrated on examples/calibration/bert-tiny), checks
# that its machine code computes no floating point between the input and
# the output, runs it next to the fp32 library and reports latency and
# agreement.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
build=${IQC_BUILD_DIR:-$root/build}
model=$root/examples/bert-tiny.onnx
out=$build/demo
mkdir -p "$out"
export PYTHONPATH=$root/python
echo "== iqc-compile --quantize=int8 $model -> $out/bert-tiny.so (+ bert-tiny.h)"
/usr/bin/time -f "   compiled in %e s, peak memory %M KiB" \
  "$build/bin/iqc-compile" "$model" --quantize=int8 \
  --calibrate "$root/examples/calibration/bert-tiny" --write-ranges "$out/bert-tiny.ranges.json" \
  --mcpu=native -o "$out/bert-tiny.so" --header "$out/bert-tiny.h"
echo "   exports: $(nm -D --defined-only "$out/bert-tiny.so" | awk '{print $3}' | grep -E '^(bert_tiny|iqc_default)' | tr '\n' ' ')"
echo "   needs:   $(readelf -d "$out/bert-tiny.so" | sed -nE 's/.*NEEDED.*\[(.*)\]/\1/p' | tr '\n' ' ')"
echo "   $(/usr/bin/python3 -m iqc.float_check "$out/bert-tiny.so" --prefix bert_tiny | tail -1)"
"$build/bin/iqc-compile" "$model" --mcpu=native -o "$out/bert-tiny-fp32.so"
echo "== iqc-run: batch 1, sequence 16, random token ids; outputs and latency"
"$build/bin/iqc-run" "$out/bert-tiny.so" --random --dim batch=1 --dim sequence=16 \
  --bench 50 --output-dir "$out/outputs"
"$build/bin/iqc-run" "$out/bert-tiny-fp32.so" --random --dim batch=1 --dim sequence=16 \
  --bench 50 --output-dir "$out/outputs-fp32" -q | sed 's/^/fp32 /'
/usr/bin/python3 -m iqc.compare "$out/outputs/last_hidden_state.npy" \
  "$out/outputs-fp32/last_hidden_state.npy" --label "int8 vs fp32 last_hidden_state"
echo "outputs written to $out/outputs/"
