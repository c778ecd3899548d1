"""Writes the numpy reference's constants for many scales (see
quant-constants.test)."""
import math

import numpy as np

from iqc import intref as R

rng = np.random.default_rng(0)
for r in np.exp(rng.uniform(math.log(1e-12), math.log(1e3), 2000)) * rng.choice([-1, 1], 2000):
    d = R.dyadic(float(r))
    print(f"dyadic {float(r)!r} {d.m} {d.e}")
for s in np.exp(rng.uniform(math.log(2e-5), math.log(5e-4), 300)):
    p = R.gelu_params(float(s))
    print(f"gelu {float(s)!r} {int(p.b[0])} {int(p.c[0])} {int(p.one[0])}")
for s in np.exp(rng.uniform(math.log(3e-5), math.log(2e-3), 300)):
    p = R.exp_params(float(s))
    print(f"exp {float(s)!r} {p.x0} {p.b} {p.c} {p.req.m} {p.req.e}")
