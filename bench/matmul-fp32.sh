#!/usr/bin/env bash
# One fp32 matmul with constant weights, [128, 768] x [768, 3072] (BERT-base's
# FFN up-projection at sequence 128): iqc (--mcpu=native) next to ONNX
# Runtime in the same run, 1 thread each, with GFLOP/s.
#
#   bench/matmul-fp32.sh [runs=30]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${IQC_BUILD_DIR:-$root/build}
runs=${1:-30}
out=$build/bench/matmul
mkdir -p "$out"
"$root/scripts/install-ort.sh" >/dev/null
/usr/bin/python3 - "$out" <<'PY'
import sys
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
out = sys.argv[1]
rng = np.random.default_rng(0)
b = numpy_helper.from_array(rng.standard_normal((768, 3072)).astype(np.float32), "b")
g = helper.make_graph([helper.make_node("MatMul", ["a", "b"], ["c"])], "matmul",
                      [helper.make_tensor_value_info("a", TensorProto.FLOAT, [128, 768])],
                      [helper.make_tensor_value_info("c", TensorProto.FLOAT, [128, 3072])], [b])
onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 14)]), f"{out}/matmul.onnx")
np.save(f"{out}/a.npy", rng.standard_normal((128, 768)).astype(np.float32))
PY
"$build/bin/iqc-compile" "$out/matmul.onnx" -o "$out/matmul.so" --mcpu=native
ort=$(node "$root/tools/ort-run/ort-run.mjs" "$out/matmul.onnx" -i "$out/a.npy" \
  --output-dir "$out/ort" --bench "$runs" | grep "ort latency")
iqc=$("$build/bin/iqc-run" "$out/matmul.so" -q -i "$out/a.npy" --expected "$out/ort/c.npy" \
  --rtol 1e-4 --atol 1e-4 --bench "$runs")
echo "$iqc"
echo "$ort"
med() { echo "$1" | sed -nE 's/.*median ([0-9.]+) ms.*/\1/p'; }
/usr/bin/python3 -c "
i, o = $(med "$iqc"), $(med "$ort")
gf = 2 * 128 * 768 * 3072 / 1e9
print(f'matmul [128,768]x[768,3072]: iqc {i:.2f} ms ({gf / i * 1e3:.0f} GFLOP/s), '
      f'ORT {o:.2f} ms ({gf / o * 1e3:.0f} GFLOP/s); iqc/ORT {i / o:.2f}')"
