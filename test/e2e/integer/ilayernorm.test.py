"""iq.ilayernorm compiled by iqc agrees bit for bit with the numpy reference:
22-bit inputs with wide and narrow ranges, a constant row (std clamps to 1),
a row alternating -2^21 and 2^21 - 1, negative gammas, int8 outputs at
saturation, at C = 64 and 768, and with shift 0 (the variance of 768
22-bit values summed in i64 without shifting). Usage: ilayernorm.test.py
<iqc-run> <workdir>"""
import math
import sys
from pathlib import Path

import numpy as np

from iqc import intref as R
from iqc.testing import Checks, run_mlir

iqc_run, work = sys.argv[1], Path(sys.argv[2])
rng = np.random.default_rng(0)

check = Checks()


def case(C, extreme_shift=None):
    rows = [rng.normal(0, 2 ** 19, C), rng.normal(3e5, 2 ** 12, C), np.full(C, 1234.0),
            rng.uniform(-2 ** 21, 2 ** 21 - 1, C), rng.normal(0, 3, C),
            np.where(np.arange(C) % 2 == 0, -2.0 ** 21, 2 ** 21 - 1)]   # the widest row
    x = np.clip(np.rint(np.stack(rows)), -2 ** 21, 2 ** 21 - 1).astype(np.int32)
    n = len(rows)
    gamma = rng.uniform(-2, 2, C)
    gamma[0] = -1.0
    beta = rng.uniform(-1, 1, C)
    out_scale = 4.0 / 127
    shift = R.layernorm_shift(x) if extreme_shift is None else extreme_shift
    s_core = math.sqrt(C) / 2 ** 30
    bias = [math.floor((b / g) / s_core) for b, g in zip(beta, gamma)]
    ds = [R.dyadic(g * s_core / out_scale) for g in gamma]
    arr = lambda v: ", ".join(str(int(a)) for a in v)
    out = run_mlir(iqc_run, work / f"c{C}-{shift}", f"""
func.func @ln(%x: tensor<{n}x{C}xi32> {{iq.name = "x"}}) -> (tensor<{n}x{C}xi8> {{iq.name = "y"}}) {{
  %0 = iq.ilayernorm %x shift = {shift} bias = [{arr(bias)}] multipliers = [{arr(d.m for d in ds)}] shifts = [{arr(d.e for d in ds)}] : tensor<{n}x{C}xi32> -> tensor<{n}x{C}xi8>
  return %0 : tensor<{n}x{C}xi8>
}}
""", {"x": x})
    got = out["y"].astype(np.int64)
    ref = R.i_layernorm(x, gamma, beta, shift, out_scale)
    check(np.array_equal(got, ref),
          f"i-LayerNorm bit-exact, C = {C}, shift {shift} ({int(np.sum(got != ref))} differ)")
    # A constant row normalizes to 0, so the output is beta (within one step).
    d = np.abs(got[2] - np.clip(np.rint(beta / out_scale), -128, 127))
    check(d.max() <= 1, f"constant row gives beta within one int8 step, C = {C} "
          f"(max diff {int(d.max())})")


case(64)
case(768)       # BERT-base's width
case(768, 0)    # a shift too small for this data: the i64 sum still holds
check.finish()
