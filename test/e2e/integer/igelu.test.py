"""iq.igelu (+ iq.requant to int8) compiled by iqc agrees bit for bit with
the numpy reference on every input from -4/S to 4/S and at the i32 limits,
per tensor and per channel; the int8 result is checked against float GELU.
Usage: igelu.test.py <iqc-run> <workdir>"""
import math
import sys
from pathlib import Path

import numpy as np

from iqc import intref as R
from iqc.testing import Checks, run_mlir

iqc_run, work = sys.argv[1], Path(sys.argv[2])

S = 2e-4                                        # per-tensor input scale
n = int(4 / S)
q = np.concatenate([np.arange(-n, n + 1), [2 ** 31 - 1, -2 ** 31, 1, -1, 0]]).astype(np.int32)
N = q.size
S_ch = np.array([1e-4, 2.5e-4, 4e-4])            # per-channel scales (3 channels)
qc = np.stack([np.clip(np.rint(np.linspace(-4, 4, 2001) / s), -2 ** 31, 2 ** 31 - 1)
               for s in S_ch], axis=1).astype(np.int32)            # [2001, 3]

p1 = R.gelu_params(S)
pc = R.gelu_params(S_ch)
out_scale = 4.0 / 127                            # int8 output scale of GELU on [-4, 4]
d1 = R.dyadic(float(p1.scale_out[0]) / out_scale)
arr = lambda a: ", ".join(str(int(v)) for v in a)
outs = run_mlir(iqc_run, work, f"""
func.func @igelu(%q: tensor<{N}xi32> {{iq.name = "q"}}, %qc: tensor<2001x3xi32> {{iq.name = "qc"}})
    -> (tensor<{N}xi64> {{iq.name = "gelu"}}, tensor<{N}xi8> {{iq.name = "gelu8"}},
        tensor<2001x3xi64> {{iq.name = "gelu_ch"}}) {{
  %0 = iq.igelu %q b = [{arr(p1.b)}] c = [{arr(p1.c)}] one = [{arr(p1.one)}] : tensor<{N}xi32> -> tensor<{N}xi64>
  %1 = iq.requant %0 multipliers = [{d1.m}] shifts = [{d1.e}] : tensor<{N}xi64> -> tensor<{N}xi8>
  %2 = iq.igelu %qc b = [{arr(pc.b)}] c = [{arr(pc.c)}] one = [{arr(pc.one)}] axis = 1 : tensor<2001x3xi32> -> tensor<2001x3xi64>
  return %0, %1, %2 : tensor<{N}xi64>, tensor<{N}xi8>, tensor<2001x3xi64>
}}
""", {"q": q, "qc": qc})
got = {k: v.astype(object) for k, v in outs.items()}
check = Checks()

ref, _ = R.i_gelu(q, S)
check(np.array_equal(got["gelu"], ref), f"i-GELU per tensor bit-exact on {N} inputs incl. i32 limits")
ref8 = R.requantize(ref, float(p1.scale_out[0]), out_scale, bits=8)
check(np.array_equal(got["gelu8"].astype(np.int64), ref8), "i-GELU + requant to int8 bit-exact")
refc, _ = R.i_gelu(qc, S_ch, axis=1)
check(np.array_equal(got["gelu_ch"], refc), "i-GELU per channel bit-exact")
x = q[:2 * n + 1].astype(np.float64) * S
gelu = np.array([0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in x])
err = np.abs(got["gelu8"][:2 * n + 1].astype(np.float64) * out_scale - gelu)
check(err.max() <= 0.019 + out_scale / 2, f"int8 i-GELU vs GELU: Linf {err.max():.4f} <= 0.019 + half a step")
check.finish()
