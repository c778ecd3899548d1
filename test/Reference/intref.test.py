"""Checks the numpy reference of the integer kernels (python/iqc/intref.py)
against float math, with the acceptance bars of INTEGER-KERNELS.md. Expected
values come from math/numpy (erf, exp, sqrt, softmax), never from the code
under test."""
import math
import random

import numpy as np

from iqc import intref as R

rng = np.random.default_rng(0)
fails = 0


def check(cond, msg):
    global fails
    print(("PASS " if cond else "FAIL ") + msg)
    fails += 0 if cond else 1


# Dyadic decomposition: |m| in [2^30, 2^31), m * 2^-e within 2^-31 relative.
worst = 0.0
ok = True
for _ in range(20000):
    r = math.exp(random.uniform(math.log(1e-9), math.log(1e4))) * random.choice([1, -1])
    d = R.dyadic(r)
    ok &= 2 ** 30 <= abs(d.m) < 2 ** 31 and (d.m > 0) == (r > 0)
    worst = max(worst, abs(d.m * 2.0 ** -d.e - r) / abs(r))
for r in (1.0, 0.5, 2.0 ** -40, 3.0, 1 - 2 ** -40):   # exact powers and a tie at 2^31
    d = R.dyadic(r)
    ok &= 2 ** 30 <= abs(d.m) < 2 ** 31
    worst = max(worst, abs(d.m * 2.0 ** -d.e - r) / r)
check(ok and worst <= 2 ** -31, f"dyadic: |m| in [2^30, 2^31), sign in m, rel err {worst:.2e} <= 2^-31")

# Requantization rounds to nearest (ties up) within the multiplier's error.
z = rng.integers(-2 ** 40, 2 ** 40, 5000)
ratio = 3.7e-5
y = R.apply_dyadic(z, R.dyadic(ratio)).astype(np.float64)
err = np.abs(y - z * ratio)
check(np.all(err <= 0.5 + np.abs(z) * ratio * 2 ** -30),
      f"apply_dyadic: |y - z*ratio| <= 0.5 + rel 2^-30 (max {err.max():.3f})")
check(list(R.apply_dyadic(np.array([5, -5, 7]), R.Dyadic(2 ** 30, 31))) == [3, -2, 4],
      "apply_dyadic rounds half up: 5/2 -> 3, -5/2 -> -2, 7/2 -> 4")
check(list(R.clamp_bits([300, -300, 5], 8)) == [127, -128, 5], "clamp to int8 range")

# Integer sqrt against Python's math.isqrt.
ok = all(R.isqrt(n) == math.isqrt(n) for n in range(1 << 16))
big = [random.getrandbits(random.randint(17, 64)) for _ in range(5000)] + [2 ** 64 - 1, 2 ** 32, 2 ** 32 - 1]
ok &= all(R.isqrt(n) == math.isqrt(n) for n in big)
check(ok, "isqrt == math.isqrt for all n < 2^16 and 5000 random 64-bit values")

# i-GELU against GELU(q*S) on [-4, 4].
gelu = np.vectorize(lambda x: 0.5 * x * (1 + math.erf(x / math.sqrt(2))))
for S, linf, rms in ((1e-4, 0.019, 0.0085), (3e-4, 0.019, 0.0085), (1e-3, 0.023, None)):
    q = np.arange(-int(4 / S), int(4 / S) + 1, dtype=np.int64)
    out, s_out = R.i_gelu(q, S)
    approx = out.astype(np.float64) * float(s_out[0])
    e = np.abs(approx - gelu(q * S))
    msg = f"i-GELU S={S:g}: Linf {e.max():.4f} <= {linf}"
    good = e.max() <= linf
    if rms:
        r = math.sqrt(np.mean(e ** 2))
        msg += f", RMS {r:.4f} <= {rms}"
        good &= r <= rms
    check(good, msg)

# int8 in and out: an int8 input (scale 4/127) upscaled to S <= 3e-4 as the
# compiler does (iqc.intmodel.gelu), i-GELU, requantized to int8 on
# [-4/127 * 128, 4]: within 0.05 of GELU(x) at every input.
from iqc.intmodel import gelu as int8_gelu
S8 = 4 / 127
q8 = np.arange(-128, 128, dtype=np.int64)
s_out = 4 / 127
g8 = int8_gelu(q8, S8, s_out).astype(np.float64) * s_out
e = np.abs(g8 - gelu(q8 * S8))
check(e.max() <= 0.05, f"int8 i-GELU (int8 in and out) vs GELU(x): Linf {e.max():.4f} <= 0.05")

# i-exp on [30 x0, 0] for S <= 1e-3.
for S in (1e-3, 3e-4, 1e-4):
    p = R.exp_params(S)
    q = np.arange(30 * p.x0, 1, max(1, -30 * p.x0 // 200000), dtype=np.int64)
    e16, _ = R.i_exp16(q, S)
    e = np.abs(e16 * p.scale16 - np.exp(q * S))
    check(e.max() <= 2e-3 and e16.max() <= 32767,
          f"i-exp S={S:g}: max abs err {e.max():.2e} <= 2e-3, exp(0) -> {int(e16.max())}")

# i-softmax: per-element error <= 1.25/256, row sums in [1 - L/256, 1].
for S, L in ((1e-3, 128), (2e-4, 64), (1e-3, 7)):
    q = rng.integers(-int(8 / S), int(8 / S), (16, L))
    mask = rng.random((16, L)) > 0.3
    mask[:, 0] = True
    mask[3] = False                                  # an all-masked row
    out = R.i_softmax(q, S, mask=mask)
    x = q * S + np.where(mask, 0.0, -1e4)            # BERT's additive mask
    ref = np.exp(x - x.max(axis=1, keepdims=True))
    ref /= ref.sum(axis=1, keepdims=True)
    err = np.abs(out / 256 - ref)
    sums = out.sum(axis=1) / 256
    check(err.max() <= 1.25 / 256 and np.all(sums <= 1) and np.all(sums >= 1 - L / 256)
          and out.max() <= 255 and out.min() >= 0,
          f"i-softmax S={S:g} L={L}: max err {err.max() * 256:.3f}/256, sums in "
          f"[{sums.min():.3f}, {sums.max():.3f}], u8 range")

# i-softmax with the last division rounded (iqc's default in models):
# per-element error <= 1.25/256 too, and row sums within L/512 (+ the i-exp
# error) of 1 instead of losing up to L/256.
for S, L in ((1e-3, 128), (2e-4, 64), (1e-3, 7)):
    q = rng.integers(-int(8 / S), int(8 / S), (16, L))
    out = R.i_softmax(q, S, nearest=True)
    x = q * S
    ref = np.exp(x - x.max(axis=1, keepdims=True))
    ref /= ref.sum(axis=1, keepdims=True)
    err = np.abs(out / 256 - ref)
    sums = out.sum(axis=1) / 256
    check(err.max() <= 1.25 / 256 and np.all(np.abs(sums - 1) <= L / 512 + 0.01)
          and out.max() <= 255 and out.min() >= 0,
          f"i-softmax nearest S={S:g} L={L}: max err {err.max() * 256:.3f}/256, sums in "
          f"[{sums.min():.3f}, {sums.max():.3f}], u8 range")
# A uniform row of 128 keys (random-weight BERT-base's attention): flooring
# keeps half of the probability mass (each 1/128 = 1.9999/256 floors to
# 1/256), rounding all of it.
u = np.zeros((1, 128), dtype=np.int64)
floor_sum = R.i_softmax(u, 1e-3).sum() / 256
near_sum = R.i_softmax(u, 1e-3, nearest=True).sum() / 256
check(floor_sum == 0.5 and near_sum == 1.0,
      f"uniform row of 128: floor sums to {floor_sum}, nearest to {near_sum}")
# A single dominant key: rounding would give 256, clamped to 255.
d = np.full((1, 8), -10 ** 6, dtype=np.int64)
d[0, 3] = 0
check(R.i_softmax(d, 1e-3, nearest=True).max() == 255, "nearest clamps a certain key to 255")

# i-LayerNorm: 32-bit relative error <= 1% when range/sigma >= 3; int8 output
# within one step of the correctly rounded float result.
C = 768
for ratio in (8.0, 3.0):
    sigma = 2 ** 21 / ratio / 2                       # 22-bit range is `ratio` sigmas
    x = np.clip(np.rint(rng.normal(1000, sigma, (8, C))), -2 ** 21, 2 ** 21 - 1).astype(np.int64)
    shift = R.layernorm_shift(x)
    core, s_core = R.i_layernorm_core(x, shift)
    xf = x.astype(np.float64)
    ref = (xf - xf.mean(1, keepdims=True)) / xf.std(1, keepdims=True)
    rel = np.linalg.norm(core * s_core - ref, axis=1) / np.linalg.norm(ref, axis=1)
    check(rel.max() <= 0.01, f"i-LayerNorm core, range = {ratio:g} sigma: rel err {rel.max():.4f} <= 1%")
    gamma = rng.uniform(-1.5, 1.5, C)
    beta = rng.uniform(-0.5, 0.5, C)
    out_scale = 6.0 / 127
    q8 = R.i_layernorm(x, gamma, beta, shift, out_scale)
    ref8 = np.clip(np.rint((ref * gamma + beta) / out_scale), -128, 127)
    check(np.abs(q8 - ref8).max() <= 1,
          f"i-LayerNorm int8 output within one step (max diff {int(np.abs(q8 - ref8).max())})")

# Constant rows do not divide by zero.
core, _ = R.i_layernorm_core(np.full((2, 16), 77, np.int64), 0)
check(np.all(core == 0), "i-LayerNorm of a constant row is 0")

# Integer sigmoid <= 1e-3 for S <= 1e-3.
for S in (1e-3, 3e-4):
    q = np.arange(-int(8 / S), int(8 / S) + 1, 7, dtype=np.int64)
    sg = R.i_sigmoid(q, S) / 2 ** 15
    e = np.abs(sg - 1 / (1 + np.exp(-q * S)))
    check(e.max() <= 1e-3, f"integer sigmoid S={S:g}: max err {e.max():.2e} <= 1e-3")

# LTP keep test: a hand-made case.
P = np.zeros((2, 4, 4), np.int64)
P[:, :, 1] = 64                                      # column 1: 2*4*64 = 512
keep = R.ltp_keep(P, theta=0.24, l_orig=4)           # need ceil(0.24*2*4*256) = 492
keep2 = R.ltp_keep(P, theta=0.26, l_orig=4)          # need 533
check(list(keep) == [True, True, False, False] and list(keep2) == [True, False, False, False],
      "LTP keep: threshold by hand, CLS always kept")

print(f"{fails} failure(s)")
raise SystemExit(1 if fails else 0)
