"""iq.isigmoid compiled by iqc agrees bit for bit with the numpy reference on
every input in [-8, 8] / S and at the i32 limits, and is within 1e-3 of the
float sigmoid. Usage: isigmoid.test.py <iqc-run> <workdir>"""
import sys
from pathlib import Path

import numpy as np

from iqc import intref as R
from iqc.testing import Checks, run_mlir

iqc_run, work = sys.argv[1], Path(sys.argv[2])
S = 8e-4
n = int(8 / S)
q = np.concatenate([np.arange(-n, n + 1), [2 ** 31 - 1, -2 ** 31]]).astype(np.int32)
p = R.exp_params(S)
out = run_mlir(iqc_run, work, f"""
func.func @sig(%q: tensor<{q.size}xi32> {{iq.name = "q"}}) -> (tensor<{q.size}xi32> {{iq.name = "y"}}) {{
  %0 = iq.isigmoid %q x0 = {p.x0} b = {p.b} c = {p.c} multiplier = {p.req.m} shift = {p.req.e} : tensor<{q.size}xi32> -> tensor<{q.size}xi32>
  return %0 : tensor<{q.size}xi32>
}}
""", {"q": q})
got = out["y"].astype(np.int64)
ref = R.i_sigmoid(q, S)
check = Checks()
check(np.array_equal(got, ref), f"integer sigmoid bit-exact on {q.size} inputs ({int(np.sum(got != ref))} differ)")
x = q[:2 * n + 1].astype(np.float64) * S
err = np.abs(got[:2 * n + 1] / 2 ** 15 - 1 / (1 + np.exp(-x))).max()
check(err <= 1e-3, f"integer sigmoid vs float: max error {err:.2e} <= 1e-3")
check(got[-2] == 2 ** 15 and got[-1] == 0, "saturates to 1.0 and 0 at the i32 limits")
check.finish()
