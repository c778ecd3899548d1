"""iq.token_importance / prune_keep / compact_indices / gather_rows /
scatter_rows compiled by iqc against numpy. Usage: prune-ops.test.py <iqc-run> <dir>"""
import math
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np

from iqc.testing import Checks, run_mlir

iqc_run, work = sys.argv[1], Path(sys.argv[2])
rng = np.random.default_rng(5)
B, H, L, D = 3, 2, 9, 4
probs = rng.integers(0, 256, (B, H, L, L)).astype(np.uint8)
alive = rng.random((B, L)) > 0.3
alive[:, 0] = True
alive[2, 5:] = False
x = rng.integers(-128, 128, (B, L, D)).astype(np.int8)
theta = 0.09
T = round(max(1e-5, theta) * 2 ** 40)

mlir = f"""
func.func @prune(%p: tensor<{B}x{H}x?x?xui8> {{iq.name = "p"}}, %alive: tensor<{B}x?xi1> {{iq.name = "alive"}},
                 %x: tensor<{B}x?x{D}xi8> {{iq.name = "x"}}, %pf: tensor<{B}x{H}x?x?xf32> {{iq.name = "pf"}})
    -> (tensor<{B}x?xi64> {{iq.name = "importance"}}, tensor<{B}x?xi1> {{iq.name = "keep"}},
        tensor<{B}x?xi64> {{iq.name = "indices"}}, tensor<{B}x?xi1> {{iq.name = "valid"}},
        tensor<{B}x?x{D}xi8> {{iq.name = "gathered"}}, tensor<{B}x?x{D}xi8> {{iq.name = "scattered"}},
        tensor<{B}x?xi1> {{iq.name = "fkeep"}}) {{
  %c1 = arith.constant 1 : index
  %l = tensor.dim %alive, %c1 : tensor<{B}x?xi1>
  %imp = iq.token_importance %p rows(%alive) : tensor<{B}x{H}x?x?xui8>, tensor<{B}x?xi1> -> tensor<{B}x?xi64>
  %keep = iq.prune_keep %imp, %alive l_orig(%l) threshold = {T} heads = {H} : tensor<{B}x?xi64>, tensor<{B}x?xi1> -> tensor<{B}x?xi1>
  %idx, %valid = iq.compact_indices %keep : tensor<{B}x?xi1> -> tensor<{B}x?xi64>, tensor<{B}x?xi1>
  %g = iq.gather_rows %x[%idx] : tensor<{B}x?x{D}xi8>, tensor<{B}x?xi64> -> tensor<{B}x?x{D}xi8>
  %s = iq.scatter_rows %g[%idx, %valid] length(%l) : tensor<{B}x?x{D}xi8>, tensor<{B}x?xi64>, tensor<{B}x?xi1> -> tensor<{B}x?x{D}xi8>
  %fimp = iq.token_importance %pf rows(%alive) : tensor<{B}x{H}x?x?xf32>, tensor<{B}x?xi1> -> tensor<{B}x?xf32>
  %fkeep = iq.prune_keep %fimp, %alive l_orig(%l) threshold = {T} heads = {H} : tensor<{B}x?xf32>, tensor<{B}x?xi1> -> tensor<{B}x?xi1>
  return %imp, %keep, %idx, %valid, %g, %s, %fkeep : tensor<{B}x?xi64>, tensor<{B}x?xi1>, tensor<{B}x?xi64>, tensor<{B}x?xi1>, tensor<{B}x?x{D}xi8>, tensor<{B}x?x{D}xi8>, tensor<{B}x?xi1>
}}
"""
pf = probs.astype(np.float32) / 256
outs = run_mlir(iqc_run, work, mlir, {"p": probs, "alive": alive, "x": x, "pf": pf})
check = Checks()

imp = np.einsum("bhij,bi->bj", probs.astype(np.int64), alive.astype(np.int64))
check(np.array_equal(outs["importance"], imp), "importance: sum over heads and live rows")
# keep iff alive and (j == 0 or imp >= ceil-free exact bound T H L 256 / 2^40)
bound = Fraction(T, 2 ** 40) * H * L * 256
keep = alive & ((np.arange(L) == 0)[None] | np.vectorize(lambda v: v >= bound)(imp))
check(np.array_equal(outs["keep"], keep), f"keep: {int(keep.sum())} of {B * L} kept")
counts = keep.sum(axis=1)
Lp = int(counts.max())
idx = np.zeros((B, Lp), dtype=np.int64)
valid = np.zeros((B, Lp), dtype=bool)
for b in range(B):
    pos = np.nonzero(keep[b])[0]
    idx[b, :len(pos)] = pos
    valid[b, :len(pos)] = True
check(np.array_equal(outs["indices"], idx), f"indices: L' = {Lp}, counts {list(counts)}")
check(np.array_equal(outs["valid"], valid), "valid")
g = np.take_along_axis(x, idx[:, :, None], axis=1)
check(np.array_equal(outs["gathered"], g), "gathered rows")
s = np.zeros_like(x)
for b in range(B):
    for t in range(Lp):
        if valid[b, t]:
            s[b, idx[b, t]] = g[b, t]
check(np.array_equal(outs["scattered"], s), "scattered back, zeros at pruned positions")
fimp = np.einsum("bhij,bi->bj", pf.astype(np.float64), alive.astype(np.float64))
fkeep = alive & ((np.arange(L) == 0)[None] | (fimp >= T / 2 ** 40 * H * L))
check(np.array_equal(outs["fkeep"], fkeep), "float keep")
check.finish()
