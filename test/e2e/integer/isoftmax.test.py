"""iq.isoftmax compiled by iqc agrees bit for bit with the numpy reference:
BERT-shaped logits [B, H, S, S] with an attention mask [B, 1, 1, S]
(including a batch row with every key masked, and rows at the limits of
i32 whose spread needs 33 bits), an unmasked case and the rounded last
division; the probabilities meet the per-element bar against
float softmax.
Usage: isoftmax.test.py <iqc-run> <workdir>"""
import sys
from pathlib import Path

import numpy as np

from iqc import intref as R
from iqc.testing import Checks, run_mlir

iqc_run, work = sys.argv[1], Path(sys.argv[2])
rng = np.random.default_rng(0)

B, H, L = 3, 2, 19
S = 1.5e-3                                   # logit scale S_q S_k / sqrt(d)
q = rng.integers(-int(10 / S), int(10 / S), (B, H, L, L)).astype(np.int32)
q[0, 0, 0, :] = 2 ** 31 - 1                  # extreme but equal logits
q[0, 0, 1, :] = -2 ** 31                     # the widest spread: q - max
q[0, 0, 1, ::3] = 2 ** 31 - 1                # needs 33 bits
q[0, 1, 2, :] = -2 ** 31                     # all at the i32 minimum
q[0, 1, 3, 5] = 2 ** 31 - 1                  # one huge logit among ordinary ones
mask = np.ones((B, 1, 1, L), dtype=bool)
mask[1, ..., 13:] = False                    # padding
mask[2] = False                              # every key masked
p = R.exp_params(S)
consts = f"x0 = {p.x0} b = {p.b} c = {p.c} multiplier = {p.req.m} shift = {p.req.e}"
outs = run_mlir(iqc_run, work, f"""
func.func @isoftmax(%q: tensor<{B}x{H}x{L}x{L}xi32> {{iq.name = "q"}},
                    %m: tensor<{B}x1x1x{L}xi1> {{iq.name = "mask"}})
    -> (tensor<{B}x{H}x{L}x{L}xui8> {{iq.name = "masked"}}, tensor<{B}x{H}x{L}x{L}xui8> {{iq.name = "plain"}},
        tensor<{B}x{H}x{L}x{L}xui8> {{iq.name = "nearest"}}) {{
  %0 = iq.isoftmax %q mask(%m : tensor<{B}x1x1x{L}xi1>) {consts} : tensor<{B}x{H}x{L}x{L}xi32> -> tensor<{B}x{H}x{L}x{L}xui8>
  %1 = iq.isoftmax %q {consts} : tensor<{B}x{H}x{L}x{L}xi32> -> tensor<{B}x{H}x{L}x{L}xui8>
  %2 = iq.isoftmax %q mask(%m : tensor<{B}x1x1x{L}xi1>) {consts} nearest : tensor<{B}x{H}x{L}x{L}xi32> -> tensor<{B}x{H}x{L}x{L}xui8>
  return %0, %1, %2 : tensor<{B}x{H}x{L}x{L}xui8>, tensor<{B}x{H}x{L}x{L}xui8>, tensor<{B}x{H}x{L}x{L}xui8>
}}
""", {"q": q, "mask": mask})
check = Checks()

for name, m, nearest in (("masked", mask, False), ("plain", None, False),
                         ("nearest", mask, True)):
    got = outs[name].astype(np.int64)
    ref = R.i_softmax(q, S, mask=m, nearest=nearest)
    check(np.array_equal(got, ref), f"i-softmax {name}: bit-exact ({int(np.sum(got != ref))} differ)")
    x = q.astype(np.float64) * S + (0 if m is None else np.where(m, 0.0, -1e4))
    f = np.exp(x - x.max(-1, keepdims=True))
    f /= f.sum(-1, keepdims=True)
    err = np.abs(got / 256 - f).max()
    check(err <= 1.25 / 256, f"i-softmax {name}: max error {err * 256:.3f}/256 <= 1.25/256")
check.finish()
