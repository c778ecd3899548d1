"""iq.ilayernorm compiled by iqc agrees bit for bit with the numpy reference:
22-bit inputs with wide and narrow ranges, a constant row (std clamps to 1),
negative gammas, int8 outputs at saturation. Usage: ilayernorm.test.py
<iqc-run> <workdir>"""
import math
import sys
from pathlib import Path

import numpy as np

from iqc import intref as R
from iqc.testing import Checks, run_mlir

iqc_run, work = sys.argv[1], Path(sys.argv[2])
rng = np.random.default_rng(0)

C = 64
rows = [rng.normal(0, 2 ** 19, C), rng.normal(3e5, 2 ** 12, C), np.full(C, 1234.0),
        rng.uniform(-2 ** 21, 2 ** 21 - 1, C), rng.normal(0, 3, C)]
x = np.clip(np.rint(np.stack(rows)), -2 ** 21, 2 ** 21 - 1).astype(np.int32)
gamma = rng.uniform(-2, 2, C)
gamma[0] = -1.0
beta = rng.uniform(-1, 1, C)
out_scale = 4.0 / 127
shift = R.layernorm_shift(x)
s_core = math.sqrt(C) / 2 ** 30
bias = [math.floor((b / g) / s_core) for b, g in zip(beta, gamma)]
ds = [R.dyadic(g * s_core / out_scale) for g in gamma]
arr = lambda v: ", ".join(str(int(a)) for a in v)
out = run_mlir(iqc_run, work, f"""
func.func @ln(%x: tensor<5x{C}xi32> {{iq.name = "x"}}) -> (tensor<5x{C}xi8> {{iq.name = "y"}}) {{
  %0 = iq.ilayernorm %x shift = {shift} bias = [{arr(bias)}] multipliers = [{arr(d.m for d in ds)}] shifts = [{arr(d.e for d in ds)}] : tensor<5x{C}xi32> -> tensor<5x{C}xi8>
  return %0 : tensor<5x{C}xi8>
}}
""", {"x": x})
got = out["y"].astype(np.int64)
ref = R.i_layernorm(x, gamma, beta, shift, out_scale)
check = Checks()
check(np.array_equal(got, ref), f"i-LayerNorm bit-exact (shift {shift}, {int(np.sum(got != ref))} differ)")
# A constant row normalizes to 0, so the output is beta (within one step).
d = np.abs(got[2] - np.clip(np.rint(beta / out_scale), -128, 127))
check(d.max() <= 1, f"constant row gives beta within one int8 step (max diff {int(d.max())})")
check.finish()
