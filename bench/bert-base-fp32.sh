#!/usr/bin/env bash
# fp32 latency of BERT-base (12 layers, hidden 768), batch 1, sequence 128:
# iqc (compiled .so, --mcpu=native) next to ONNX Runtime (npm
# onnxruntime-node, CPU provider) measured in the same run on the same ONNX
# file and inputs, one thread each; prints the ratio and iqc's fraction of
# the machine's fp32 FMA peak. Also checks iqc's outputs against ORT's.
#
#   bench/bert-base-fp32.sh [runs=20] [seq=128]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${IQC_BUILD_DIR:-$root/build}
runs=${1:-20}
seq=${2:-128}
out=$build/bench/bert-base
mkdir -p "$out"
export PYTHONPATH=$root/python
py=/usr/bin/python3
"$root/scripts/install-ort.sh" >/dev/null
if [ ! -f "$out/bert-base.onnx" ]; then
  $py -m iqc.export -m bert-base --opset 14 -o "$out/bert-base.onnx" --external-data
fi
$py -m iqc.export -m bert-base --batch 1 --seq "$seq" --write-reference "$out/ref$seq" 2>/dev/null
echo "== compile (iqc-compile --mcpu=native)"
/usr/bin/time -f "   %e s, peak memory %M KiB" \
  "$build/bin/iqc-compile" "$out/bert-base.onnx" -o "$out/bert-base.so" --mcpu=native
in0=$out/ref$seq/input_0.npy
in1=$out/ref$seq/input_1.npy
echo "== ONNX Runtime fp32, 1 thread"
ort_line=$(node "$root/tools/ort-run/ort-run.mjs" "$out/bert-base.onnx" -i "$in0" -i "$in1" \
  --output-dir "$out/ort" --bench "$runs" --threads 1 | grep "ort latency")
echo "   $ort_line"
echo "== iqc fp32, 1 thread"
"$build/bin/iqc-run" "$out/bert-base.so" -q -i "$in0" -i "$in1" \
  --expected "$out/ort/last_hidden_state.npy" --expected "$out/ort/logits.npy" \
  --rtol 1e-4 --atol 1e-5 --bench "$runs" | tee "$out/iqc.txt"
iqc_ms=$(sed -nE 's/.*median ([0-9.]+) ms.*/\1/p' "$out/iqc.txt")
ort_ms=$(echo "$ort_line" | sed -nE 's/.*median ([0-9.]+) ms.*/\1/p')
# BERT-base at sequence length L: 12 layers x (4 L d^2 + 2 L^2 d + 2 L d 4d)
# multiply-adds (d = 768), plus the pooler; 2 FLOPs per multiply-add.
$py - "$iqc_ms" "$ort_ms" "$seq" <<'PY'
import sys
iqc, ort, L = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
d = 768
macs = 12 * (4 * L * d * d + 2 * L * L * d + 8 * L * d * d) + d * d
gflop = 2 * macs / 1e9
peak = 115.0  # GFLOP/s, fp32 FMA peak of one core of this machine (AVX-512)
print(f"BERT-base seq {L}: {gflop:.1f} GFLOP; iqc {iqc:.1f} ms ({gflop / iqc * 1e3:.1f} GFLOP/s, "
      f"{gflop / iqc * 1e3 / peak * 100:.0f}% of {peak:.0f} GFLOP/s peak), "
      f"ORT {ort:.1f} ms; iqc/ORT latency ratio {iqc / ort:.2f}")
PY
