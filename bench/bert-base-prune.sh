#!/usr/bin/env bash
# Token pruning on integer-only BERT-base (random weights, batch 1, sequence
# 128, one thread): the unpruned int8 library against the same model with
# its final threshold calibrated for half the multiply-adds
# (--prune-target-flops=0.5 on 16 random sequences), both measured in this
# run on the same input, alternating twice to even out machine noise.
# Prints the threshold, the tokens each layer keeps, the FLOPs ratio on the
# benchmark input, the latencies and the speedup.
#
# With random weights attention is nearly uniform (every importance is
# close to 1 / 128), so a layer whose threshold passes that value drops
# almost every token: the kept counts show where.
#
#   bench/bert-base-prune.sh [runs=20] [target=0.5]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${IQC_BUILD_DIR:-$root/build}
runs=${1:-20}
target=${2:-0.5}
seq=128
out=$build/bench/bert-base-prune
mkdir -p "$out/calib"
export PYTHONPATH=$root/python
py=/usr/bin/python3
[ -f "$out/bert-base.onnx" ] || $py -m iqc.export -m bert-base --opset 14 -o "$out/bert-base.onnx"
# Calibration: 16 random sequences; benchmark input: another one. All 128
# tokens are real (no padding), so every FLOP counted is one computed.
mkdir -p "$out/input"
$py -c "import numpy as np; r = np.random.default_rng(5); np.save('$out/calib/input_0.npy', r.integers(0, 30522, (16, $seq))); np.save('$out/calib/input_1.npy', np.ones((16, $seq), np.int64)); np.save('$out/input/input_0.npy', r.integers(0, 30522, (1, $seq))); np.save('$out/input/input_1.npy', np.ones((1, $seq), np.int64))"
in=(-i "$out/input/input_0.npy" -i "$out/input/input_1.npy")
compile=("$build/bin/iqc-compile" "$out/bert-base.onnx" --quantize=int8 --mcpu=native)

echo "== unpruned: iqc-compile --quantize=int8 --calibrate (16 sequences)"
/usr/bin/time -f "   %e s" "${compile[@]}" --calibrate "$out/calib" --write-ranges "$out/ranges.json" \
  -o "$out/int8.so"
echo "== pruned: --prune-target-flops=$target --prune-calibrate (the same 16 sequences) --prune-report"
/usr/bin/time -f "   %e s" "${compile[@]}" --ranges "$out/ranges.json" --prune-target-flops="$target" \
  --prune-calibrate "$out/calib" --prune-report -o "$out/pruned.so" 2>&1 | tee "$out/calibration.txt"
for round in 1 2; do
  for lib in int8 pruned; do
    echo "== $lib, round $round"
    "$build/bin/iqc-run" "$out/$lib.so" -q "${in[@]}" --output-dir "$out/out-$lib" --bench "$runs" |
      tee "$out/$lib-$round.txt"
  done
done
ms() { sed -nE 's/.*median ([0-9.]+) ms.*/\1/p' "$1" | tail -1; }
$py - "$out" "$(ms "$out/int8-1.txt")" "$(ms "$out/pruned-1.txt")" "$(ms "$out/int8-2.txt")" \
  "$(ms "$out/pruned-2.txt")" <<'PY'
import sys
from pathlib import Path
import numpy as np
from iqc.ltp import flops_ratio
out = Path(sys.argv[1])
base1, pruned1, base2, pruned2 = (float(v) for v in sys.argv[2:6])
kept = np.load(out / "out-pruned" / "kept_tokens.npy")
mask = np.load(out / "input" / "input_1.npy")
ratio = flops_ratio(768, 3072, mask, kept)
print(f"\nBERT-base int8, batch 1, sequence {mask.shape[1]}, 1 thread")
print(f"  tokens kept after each layer: {' '.join(str(k) for k in kept[0])}")
print(f"  encoder multiply-adds left: {ratio:.3f} ({1 / ratio:.2f}x fewer)")
print(f"  {'':10} {'unpruned ms':>11} {'pruned ms':>10} {'speedup':>8}")
for r, (b, p) in enumerate(((base1, pruned1), (base2, pruned2)), 1):
    print(f"  round {r:<4} {b:11.1f} {p:10.1f} {b / p:7.2f}x")
print(f"  best       {min(base1, base2):11.1f} {min(pruned1, pruned2):10.1f} "
      f"{min(base1, base2) / min(pruned1, pruned2):7.2f}x")
PY
