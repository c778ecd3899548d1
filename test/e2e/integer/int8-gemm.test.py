"""Integer contractions through the whole compiler against numpy's int64
matmul. Usage: int8-gemm.test.py <iqc-run> <workdir> <mcpu>"""
import subprocess
import sys
from pathlib import Path

import numpy as np

from iqc.testing import Checks

iqc_run, work, mcpu = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
work.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(11)

M, K, N = 37, 70, 83           # every tail of the 8 x 32 kernel and of K % 4
w = rng.integers(-127, 128, (K, N)).astype(np.int8)
w[0, :] = -128                  # extremes of the signed operand
bias = rng.integers(-2 ** 20, 2 ** 20, N).astype(np.int32)
x = rng.integers(-128, 128, (M, K)).astype(np.int8)
x[0, :] = -128
x[1, :] = 127
w2 = rng.integers(-128, 128, (5, 3)).astype(np.int8)    # K < 4, N < 16
x2 = rng.integers(-128, 128, (2, 5)).astype(np.int8)
q = rng.integers(-128, 128, (3, 13, 64)).astype(np.int8)
kt = rng.integers(-128, 128, (3, 64, 13)).astype(np.int8)
p = rng.integers(0, 256, (3, 13, 13)).astype(np.uint8)
p[0, 0, :] = 255
v = rng.integers(-128, 128, (3, 13, 64)).astype(np.int8)


def dense(a):
    rows = ", ".join("[" + ", ".join(str(int(t)) for t in r) + "]" for r in a)
    return f"dense<[{rows}]>"


mlir = f"""
func.func @gemm(%x: tensor<{M}x{K}xi8> {{iq.name = "x"}}, %x2: tensor<2x5xi8> {{iq.name = "x2"}},
                %q: tensor<3x13x64xi8> {{iq.name = "q"}}, %kt: tensor<3x64x13xi8> {{iq.name = "kt"}},
                %p: tensor<3x13x13xui8> {{iq.name = "p"}}, %v: tensor<3x13x64xi8> {{iq.name = "v"}})
    -> (tensor<{M}x{N}xi32> {{iq.name = "linear"}}, tensor<2x3xi32> {{iq.name = "linear_small"}},
        tensor<3x13x13xi32> {{iq.name = "scores"}}, tensor<3x13x64xi32> {{iq.name = "context"}}) {{
  %w = arith.constant {dense(w)} : tensor<{K}x{N}xi8>
  %b = arith.constant dense<[{", ".join(str(int(t)) for t in bias)}]> : tensor<{N}xi32>
  %w2 = arith.constant {dense(w2)} : tensor<5x3xi8>
  %0 = iq.linear %x, %w, %b : tensor<{M}x{K}xi8>, tensor<{K}x{N}xi8>, tensor<{N}xi32> -> tensor<{M}x{N}xi32>
  %1 = iq.linear %x2, %w2 : tensor<2x5xi8>, tensor<5x3xi8> -> tensor<2x3xi32>
  %2 = iq.matmul %q, %kt : tensor<3x13x64xi8>, tensor<3x64x13xi8> -> tensor<3x13x13xi32>
  %3 = iq.matmul %p, %v : tensor<3x13x13xui8>, tensor<3x13x64xi8> -> tensor<3x13x64xi32>
  return %0, %1, %2, %3 : tensor<{M}x{N}xi32>, tensor<2x3xi32>, tensor<3x13x13xi32>, tensor<3x13x64xi32>
}}
"""
(work / "gemm.mlir").write_text(mlir)
inputs = {"x": x, "x2": x2, "q": q, "kt": kt, "p": p, "v": v}
cmd = [iqc_run, str(work / "gemm.mlir"), "-q", "--mcpu", mcpu, "--output-dir", str(work / "out")]
for name, a in inputs.items():
    np.save(work / f"{name}.npy", a)
    cmd += ["-i", str(work / f"{name}.npy")]
subprocess.run(cmd, check=True)

i64 = lambda a: a.astype(np.int64)
expected = {
    "linear": i64(x) @ i64(w) + bias,
    "linear_small": i64(x2) @ i64(w2),
    "scores": i64(q) @ i64(kt),
    "context": i64(p) @ i64(v),
}
check = Checks()
for name, exp in expected.items():
    got = np.load(work / "out" / f"{name}.npy").astype(np.int64)
    check(np.array_equal(got, exp), f"{name} ({mcpu}): {int(np.sum(got != exp))} of {exp.size} differ")
check.finish()
