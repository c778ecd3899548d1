"""iq.iadd compiled by iqc agrees bit for bit with iqc.intmodel.residual_add:
an int8 operand plus an i32 accumulator with per-channel scales into a
22-bit result (I-BERT's residual add), the 16-bit embedding sum with
broadcasting, and an i64 operand (128-bit products), with inputs at the
limits of their types so every clamp saturates somewhere.
Usage: iadd.test.py <iqc-run> <workdir>"""
import sys
from pathlib import Path

import numpy as np

from iqc import intref as R
from iqc.intmodel import residual_add
from iqc.testing import Checks, run_mlir

iqc_run, work = sys.argv[1], Path(sys.argv[2])
rng = np.random.default_rng(7)

a8 = rng.integers(-128, 128, (6, 4)).astype(np.int8)
a8[0] = [127, -128, 127, -128]
acc = rng.integers(-2 ** 31, 2 ** 31, (6, 4), dtype=np.int64).astype(np.int32)
acc[1] = [2 ** 31 - 1, -2 ** 31, 0, 1]
acc[2:] //= 4096                                 # most values inside the range
s8, s_acc, s_out = 0.03, np.array([1.1e-5, 2.3e-6, 7.0e-6, 4.4e-7]), 2.0e-6

e_w = rng.integers(-127, 128, (2, 5, 4)).astype(np.int8)
e_p = rng.integers(-127, 128, (1, 5, 4)).astype(np.int8)
sw, sp, s16 = 0.031, 0.027, 1.7e-4

z = np.array([[2 ** 62, -2 ** 62, 12345678901234, -3]], dtype=np.int64)
sz, s_small, s32 = 1.0e-12, 0.5, 1.0e-3
small = np.array([[100, -100, 7, 0]], dtype=np.int32)


def consts(s_in, s_out):
    ds = [R.dyadic(float(s) / s_out) for s in np.atleast_1d(s_in)]
    return "[" + ", ".join(str(d.m) for d in ds) + "], [" + ", ".join(str(d.e) for d in ds) + "]"


outs = run_mlir(iqc_run, work, f"""
func.func @iadd(%a: tensor<6x4xi8> {{iq.name = "a"}}, %acc: tensor<6x4xi32> {{iq.name = "acc"}},
                %w: tensor<2x5x4xi8> {{iq.name = "w"}}, %p: tensor<1x5x4xi8> {{iq.name = "p"}},
                %z: tensor<1x4xi64> {{iq.name = "z"}}, %s: tensor<1x4xi32> {{iq.name = "s"}})
    -> (tensor<6x4xi32> {{iq.name = "residual"}}, tensor<2x5x4xi16> {{iq.name = "embedding"}},
        tensor<1x4xi32> {{iq.name = "wide"}}) {{
  %0 = iq.iadd %a [{consts(s8, s_out)}], %acc [{consts(s_acc, s_out)}] clamp = [-2097152, 2097151]
      : tensor<6x4xi8>, tensor<6x4xi32> -> tensor<6x4xi32>
  %1 = iq.iadd %w [{consts(sw, s16)}], %p [{consts(sp, s16)}] : tensor<2x5x4xi8>, tensor<1x5x4xi8> -> tensor<2x5x4xi16>
  %2 = iq.iadd %z [{consts(sz, s32)}], %s [{consts(s_small, s32)}] : tensor<1x4xi64>, tensor<1x4xi32> -> tensor<1x4xi32>
  return %0, %1, %2 : tensor<6x4xi32>, tensor<2x5x4xi16>, tensor<1x4xi32>
}}
""", {"a": a8, "acc": acc, "w": e_w, "p": e_p, "z": z, "s": small})

expected = {
    "residual": residual_add(a8, s8, acc, s_acc, s_out, 22),
    "embedding": residual_add(e_w, sw, e_p, sp, s16, 16),
    "wide": residual_add(z, sz, small, s_small, s32, 32),
}
labels = {"residual": "residual 22-bit", "embedding": "embedding 16-bit", "wide": "wide i64 operand"}
check = Checks()
for name, exp in expected.items():
    got = outs[name].astype(np.int64)
    lo, hi = exp.min(), exp.max()
    check(np.array_equal(got, exp),
          f"{labels[name]}: {int(np.sum(got != exp))} of {exp.size} differ (reference range [{lo}, {hi}])")
check((expected["residual"] == 2097151).any() and (expected["residual"] == -2097152).any(),
      "the residual case saturates at both 22-bit limits")
check.finish()
