"""iq.requant compiled by iqc agrees bit for bit with the numpy reference
(iqc.intref): per tensor and per channel, negative multipliers, left shifts,
saturation at the type's limits, signed/unsigned/16-bit results and the
128-bit product for i64 inputs. Usage: requant.test.py <iqc-run> <workdir>"""
import sys
from pathlib import Path

import numpy as np

from iqc import intref as R
from iqc.testing import Checks, run_mlir

iqc_run, work = sys.argv[1], Path(sys.argv[2])
rng = np.random.default_rng(0)

x = rng.integers(-2 ** 31, 2 ** 31, (4, 7), dtype=np.int64).astype(np.int32)
x[0, :3] = [2 ** 31 - 1, -2 ** 31, 0]
x[1, :] = rng.integers(-300, 300, 7)
z = np.array([2 ** 60 - 1, -2 ** 60, 12345678901234, -7, 0], dtype=np.int64)

r_tensor = 3.1e-7                      # i32 accumulator -> int8
r_channel = [2.3e-7, -4.0e-7, 1.0e-3, 1.7e-9, 0.5, 8.0, 2.0 ** 33]   # incl. negative, e <= 0
r_u8 = 1.3e-6
r_i16 = 7.7e-5
r_wide = 3.3e-10                       # i64 input: 128-bit product

def attrs(ratios):
    ds = [R.dyadic(r) for r in ratios]
    return (", ".join(str(d.m) for d in ds), ", ".join(str(d.e) for d in ds))

m1, e1 = attrs([r_tensor])
mc, ec = attrs(r_channel)
mu, eu = attrs([r_u8])
m16, e16 = attrs([r_i16])
mw, ew = attrs([r_wide])
outs = run_mlir(iqc_run, work, f"""
func.func @requant(%x: tensor<4x7xi32> {{iq.name = "x"}}, %z: tensor<5xi64> {{iq.name = "z"}})
    -> (tensor<4x7xi8> {{iq.name = "per_tensor"}}, tensor<4x7xi8> {{iq.name = "per_channel"}},
        tensor<4x7xui8> {{iq.name = "unsigned"}}, tensor<4x7xi16> {{iq.name = "i16"}},
        tensor<5xi32> {{iq.name = "wide"}}) {{
  %0 = iq.requant %x multipliers = [{m1}] shifts = [{e1}] : tensor<4x7xi32> -> tensor<4x7xi8>
  %1 = iq.requant %x multipliers = [{mc}] shifts = [{ec}] axis = 1 : tensor<4x7xi32> -> tensor<4x7xi8>
  %2 = iq.requant %x multipliers = [{mu}] shifts = [{eu}] : tensor<4x7xi32> -> tensor<4x7xui8>
  %3 = iq.requant %x multipliers = [{m16}] shifts = [{e16}] : tensor<4x7xi32> -> tensor<4x7xi16>
  %4 = iq.requant %z multipliers = [{mw}] shifts = [{ew}] : tensor<5xi64> -> tensor<5xi32>
  return %0, %1, %2, %3, %4 : tensor<4x7xi8>, tensor<4x7xi8>, tensor<4x7xui8>, tensor<4x7xi16>, tensor<5xi32>
}}
""", {"x": x, "z": z})

expected = {
    "per_tensor": R.requantize(x, r_tensor, 1.0, bits=8),
    "per_channel": R.requantize(x, np.array(r_channel), np.ones(7), bits=8, axis=1),
    "unsigned": R.requantize(x, r_u8, 1.0, bits=8, signed=False),
    "i16": R.requantize(x, r_i16, 1.0, bits=16),
    "wide": R.requantize(z, r_wide, 1.0, bits=32),
}
check = Checks()
for name, exp in expected.items():
    got = outs[name].astype(np.int64)
    check(np.array_equal(got, exp), f"{name}: {int(np.sum(got != exp))} of {exp.size} differ; "
          f"saturated {int(np.sum(np.abs(exp) >= 127))}")
check.finish()
