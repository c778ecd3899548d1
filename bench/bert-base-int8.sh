#!/usr/bin/env bash
# Integer-only BERT-base (random weights, batch 1, sequence 128): accuracy
# and latency of iqc --quantize=int8 next to ONNX Runtime's dynamic int8
# quantization (the graph quantize_dynamic builds, python/iqc/ort_quant.py),
# ORT fp32 and PyTorch quantize_dynamic int8, all measured in this run on
# the same ONNX file and inputs, one thread each. Accuracy is the cosine
# similarity of the last hidden state with PyTorch's fp32 output. Also
# prints iqc's compile time, library size and the int8 GEMM work's fraction
# of the machine's VNNI peak (455 GOP/s per core, shared/TOOLCHAIN.md).
#
#   bench/bert-base-int8.sh [runs=20] [seq=128]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${IQC_BUILD_DIR:-$root/build}
runs=${1:-20}
seq=${2:-128}
out=$build/bench/bert-base-int8
mkdir -p "$out"
export PYTHONPATH=$root/python
py=/usr/bin/python3
"$root/scripts/install-ort.sh" >/dev/null
if [ ! -f "$out/bert-base.onnx" ]; then
  $py -m iqc.export -m bert-base --opset 14 -o "$out/bert-base.onnx"
fi
$py -m iqc.export -m bert-base --batch 1 --seq "$seq" --seed 0 --write-reference "$out/ref$seq" 2>/dev/null
# Calibration: 16 other random sequences of the same length.
mkdir -p "$out/calib"
$py -c "import numpy as np; r = np.random.default_rng(5); np.save('$out/calib/input_0.npy', r.integers(0, 30522, (16, $seq))); np.save('$out/calib/input_1.npy', np.ones((16, $seq), np.int64))"
in0=$out/ref$seq/input_0.npy
in1=$out/ref$seq/input_1.npy
ref=$out/ref$seq/output_0.npy

echo "== iqc-compile --quantize=int8 --calibrate (16 sequences) --mcpu=native"
/usr/bin/time -f "   %e s, peak memory %M KiB" \
  "$build/bin/iqc-compile" "$out/bert-base.onnx" --quantize=int8 --calibrate "$out/calib" \
  --write-ranges "$out/ranges.json" -o "$out/bert-base-int8.so" --mcpu=native
echo "   library: $(du -m "$out/bert-base-int8.so" | cut -f1) MB"
echo "== iqc int8, 1 thread"
"$build/bin/iqc-run" "$out/bert-base-int8.so" -q -i "$in0" -i "$in1" --output-dir "$out/iqc" \
  --bench "$runs" | tee "$out/iqc.txt"
echo "== ONNX Runtime, dynamic int8 (MatMulInteger), 1 thread"
$py -m iqc.ort_quant "$out/bert-base.onnx" "$out/bert-base-ort-int8.onnx" 2>/dev/null
node "$root/tools/ort-run/ort-run.mjs" "$out/bert-base-ort-int8.onnx" -i "$in0" -i "$in1" \
  --output-dir "$out/ort-int8" --bench "$runs" --threads 1 | grep "ort latency" | tee "$out/ort-int8.txt"
echo "== ONNX Runtime fp32, 1 thread"
node "$root/tools/ort-run/ort-run.mjs" "$out/bert-base.onnx" -i "$in0" -i "$in1" \
  --output-dir "$out/ort-fp32" --bench "$runs" --threads 1 | grep "ort latency" | tee "$out/ort-fp32.txt"
echo "== PyTorch quantize_dynamic int8 (onednn), 1 thread"
$py - "$in0" "$in1" "$out/torch-int8.npy" "$runs" <<'PY' | tee "$out/torch-int8.txt"
import sys, time
import numpy as np, torch
from iqc.models import build_model
torch.set_num_threads(1)
torch.backends.quantized.engine = "onednn"
m = torch.quantization.quantize_dynamic(build_model("bert-base", 0), {torch.nn.Linear}, dtype=torch.qint8)
ids, mask = (torch.from_numpy(np.load(p)) for p in sys.argv[1:3])
runs = int(sys.argv[4])
with torch.no_grad():
    for _ in range(3):
        hidden, _ = m(ids, mask)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter(); m(ids, mask); times.append((time.perf_counter() - t0) * 1e3)
np.save(sys.argv[3], hidden.numpy())
print(f"torch latency over {runs} runs on 1 thread(s): median {np.median(times):.3f} ms, min {min(times):.3f} ms")
PY
ms() { sed -nE 's/.*median ([0-9.]+) ms.*/\1/p' "$1" | tail -1; }
$py - "$seq" "$(ms "$out/iqc.txt")" "$(ms "$out/ort-int8.txt")" "$(ms "$out/ort-fp32.txt")" \
  "$(ms "$out/torch-int8.txt")" "$ref" "$out/iqc/last_hidden_state.npy" \
  "$out/ort-int8/last_hidden_state.npy" "$out/ort-fp32/last_hidden_state.npy" "$out/torch-int8.npy" <<'PY'
import sys
import numpy as np
from iqc.compare import cosine
L = int(sys.argv[1])
iqc, ort8, ort32, torch8 = (float(v) for v in sys.argv[2:6])
ref = np.load(sys.argv[6])
cos = [cosine(np.load(p), ref) for p in sys.argv[7:11]]
d = 768
macs = 12 * (4 * L * d * d + 2 * L * L * d + 8 * L * d * d) + d * d
gop = 2 * macs / 1e9
print(f"\nBERT-base, batch 1, sequence {L} ({gop:.1f} GOP), 1 thread; cosine of the last hidden state vs PyTorch fp32")
print(f"  {'':28} {'latency ms':>10} {'vs iqc':>7} {'cosine':>8}")
for name, t, c in (("iqc int8 (integer-only)", iqc, cos[0]), ("ORT int8 (dynamic)", ort8, cos[1]),
                   ("ORT fp32", ort32, cos[2]), ("PyTorch int8 (dynamic)", torch8, cos[3])):
    print(f"  {name:28} {t:10.1f} {t / iqc:7.2f} {c:8.5f}")
print(f"  iqc: {gop / iqc * 1e3:.0f} GOP/s, {gop / iqc * 1e3 / 455 * 100:.0f}% of the 455 GOP/s VNNI peak")
PY
