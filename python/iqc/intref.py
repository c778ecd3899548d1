"""numpy reference of iqc's integer-only kernels (shared/INTEGER-KERNELS.md).

Written independently of the C++ compiler from the formulas in
INTEGER-KERNELS.md; the compiled kernels must agree with these functions bit
for bit. All integer arithmetic is exact: int64 numpy arrays where the widths
allow it, Python integers (numpy object arrays) for the 128-bit products of
dyadic requantization.

Notation as in the document: a real x is q * S; `>>` is an arithmetic shift
(floor division by a power of two); floor is toward minus infinity.
"""

import math
from dataclasses import dataclass
from typing import Tuple

import numpy as np

I64 = np.int64


def _floor(x: float) -> int:
    return int(math.floor(x))


# ---------------------------------------------------------------------------
# Quantization parameters
# ---------------------------------------------------------------------------

def symmetric_scale(abs_max, bits: int = 8):
    """S = max(|min|, |max|) / (2^(b-1) - 1), with the range clamped to >= 1e-8."""
    return np.maximum(np.asarray(abs_max, dtype=np.float64), 1e-8) / (2 ** (bits - 1) - 1)


def quantize(x, scale, bits: int = 8):
    """q = clamp(round_half_even(x / S), -(2^(b-1)-1), 2^(b-1)-1), int64."""
    qmax = 2 ** (bits - 1) - 1
    q = np.rint(np.asarray(x, dtype=np.float64) / scale)  # rint rounds half to even
    return np.clip(q, -qmax, qmax).astype(I64)


def quantize_bias(bias, s_x: float, s_w):
    """i32 bias of a linear layer: round_half_even(b / (S_x * S_w[c]))."""
    return np.rint(np.asarray(bias, dtype=np.float64) / (s_x * np.asarray(s_w))).astype(I64)


# ---------------------------------------------------------------------------
# Dyadic requantization
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Dyadic:
    """ratio ~= m * 2^-e with |m| in [2^30, 2^31) (m = 0 for ratio 0)."""
    m: int
    e: int


def dyadic(ratio: float) -> Dyadic:
    """From frexp: m = round_half_up(mant * 2^31) (sign carried by m), e = 31 - exp;
    if |m| rounds to 2^31, use m/2 and e-1."""
    if ratio == 0:
        return Dyadic(0, 0)
    mant, exp = math.frexp(abs(ratio))          # abs(ratio) = mant * 2^exp, mant in [0.5, 1)
    m = _floor(mant * 2 ** 31 + 0.5)            # exact: mant * 2^31 is exact in double
    e = 31 - exp
    if m == 2 ** 31:
        m //= 2
        e -= 1
    return Dyadic(m if ratio > 0 else -m, e)


def apply_dyadic(z, d: Dyadic):
    """(z * m + 2^(e-1)) >> e, exact (Python integers; z may be any int64 array).
    e <= 0 is a left shift; the result is an object array of Python ints."""
    z = np.asarray(z).astype(object)
    if d.e <= 0:
        return z * d.m * (2 ** (-d.e))
    return (z * d.m + (1 << (d.e - 1))) >> d.e


def clamp_bits(y, bits: int, signed: bool = True):
    lo, hi = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if signed else (0, 2 ** bits - 1)
    return np.clip(np.asarray(y, dtype=object), lo, hi).astype(I64)


def requantize(z, s_in, s_out, bits: int = 8, signed: bool = True, axis: int = -1):
    """Rescales z (scale s_in) to s_out with per-channel dyadic multipliers along
    `axis` when s_in or s_out is an array, and clamps to the target width."""
    z = np.asarray(z)
    s_in = np.asarray(s_in, dtype=np.float64)
    s_out = np.asarray(s_out, dtype=np.float64)
    if s_in.ndim == 0 and s_out.ndim == 0:
        return clamp_bits(apply_dyadic(z, dyadic(float(s_in / s_out))), bits, signed)
    ratios = np.broadcast_to(s_in / s_out, (z.shape[axis],))
    zm = np.moveaxis(z, axis, -1)
    out = np.empty(zm.shape, dtype=object)
    for c, r in enumerate(ratios):
        out[..., c] = apply_dyadic(zm[..., c], dyadic(float(r)))
    return clamp_bits(np.moveaxis(out, -1, axis), bits, signed)


# ---------------------------------------------------------------------------
# Integer square root (I-BERT Algorithm 4)
# ---------------------------------------------------------------------------

def isqrt(n: int) -> int:
    """floor(sqrt(n)) by Newton's iteration from 2^ceil(bits(n)/2)."""
    n = int(n)
    if n < 0:
        raise ValueError("isqrt of a negative number")
    if n == 0:
        return 0
    x = 1 << ((n.bit_length() + 1) // 2)
    while True:
        y = (x + n // x) // 2
        if y >= x:
            return x
        x = y


# ---------------------------------------------------------------------------
# i-GELU
# ---------------------------------------------------------------------------

GELU_A = -0.2888
GELU_B = -1.769


@dataclass(frozen=True)
class GeluParams:
    b: np.ndarray      # per channel, int64
    c: np.ndarray      # per channel, int64
    one: np.ndarray    # per channel, int64
    scale_out: np.ndarray  # per channel (negative)


def gelu_params(scale) -> GeluParams:
    s = np.atleast_1d(np.asarray(scale, dtype=np.float64))
    s1 = s / 1.4142
    b = np.array([_floor(GELU_B / v) for v in s1], dtype=I64)
    c = np.array([_floor((1 / GELU_A) / (v * v)) for v in s1], dtype=I64)
    s_l = GELU_A * s1 * s1 * 2 ** 14
    one = np.array([_floor(1 / v) for v in s_l], dtype=I64)
    return GeluParams(b, c, one, s * s_l / 2)


def i_gelu(q, scale, axis: int = -1) -> Tuple[np.ndarray, np.ndarray]:
    """Integer GELU of q (i32 values, scale S per channel along `axis`, S <= 5e-4).
    Returns (out as int64 array, per-channel output scale, negative)."""
    q = np.asarray(q, dtype=I64)
    p = gelu_params(scale)
    shape = [1] * q.ndim
    shape[axis] = -1
    bcast = lambda v: v.reshape(shape) if v.size > 1 else v.reshape(())
    b, c, one = bcast(p.b), bcast(p.c), bcast(p.one)
    a = np.minimum(np.abs(q), -b)
    poly = np.sign(q) * ((a + b) ** 2 + c)        # int64: |a + b| <= |b|, (a+b)^2 + c fits
    poly = poly >> 14                             # floor(L / 2^14)
    out = q.astype(object) * (poly + one).astype(object)
    return out, p.scale_out


def upscale_shift(scale: float, target: float = 3e-4) -> int:
    """Smallest k with scale / 2^k <= target (coarse inputs are shifted up first)."""
    k = 0
    while scale / 2 ** k > target:
        k += 1
    return k


# ---------------------------------------------------------------------------
# i-exp and i-softmax
# ---------------------------------------------------------------------------

EXP_A = 0.35815147
EXP_B = 0.96963238


@dataclass(frozen=True)
class ExpParams:
    x0: int
    b: int
    c: int
    scale_p: float
    scale16: float
    req: Dyadic


def exp_params(scale: float) -> ExpParams:
    x0 = _floor(-0.6931 / scale)
    b = _floor((EXP_B / EXP_A) / scale)
    c = _floor((1.0 / EXP_A) / scale ** 2)
    s_p = EXP_A * scale ** 2
    s16 = s_p * c / 32767
    return ExpParams(x0, b, c, s_p, s16, dyadic(s_p / 2 ** 30 / s16))


def i_exp16(q, scale: float):
    """exp of non-positive integer logits q (already max-subtracted and
    clamped to >= 30 x0) into the 16-bit exp buffer (exp(0) -> 32767)."""
    p = exp_params(scale)
    q = np.maximum(np.asarray(q, dtype=I64), 30 * p.x0)
    z = q // p.x0                                  # 0 <= z <= 30 (x0 < 0, q <= 0)
    r = q - p.x0 * z                               # x0 < r <= 0
    poly = (r + p.b) * r + p.c                     # int64
    E = p.req.e - 30 + z                           # per element
    if np.any(E < 1):
        raise ValueError("scale too small: the exp requantization shift is < 1")
    prod = poly.astype(object) * p.req.m
    e16 = (prod + (np.ones_like(E, dtype=object) << (E - 1).astype(object))) >> E.astype(object)
    return e16.astype(I64), p


def i_softmax(q, scale: float, mask=None, axis: int = -1, nearest: bool = False):
    """Integer softmax of i32 logits q (scale S) along `axis`. `mask` (bool,
    broadcastable to q) marks the positions that are kept; masked logits are
    set to 30 x0 after the max subtraction (so they contribute exp(-30 ln2),
    which rounds to 0 in the exp buffer); a row with every position masked
    is computed unmasked, matching the additive -10000 mask of float BERT.
    The last division floors (I-BERT) unless `nearest`: then it rounds half
    up, clamped to 255 (iqc's default in compiled models).
    Returns uint8-range int64 values with scale 2^-8."""
    q = np.asarray(q, dtype=I64)
    p = exp_params(scale)
    if mask is not None:
        mask = np.broadcast_to(np.asarray(mask, dtype=bool), q.shape)
        # A row with every position masked behaves as the additive float mask
        # does (softmax is shift-invariant): as if nothing were masked.
        mask = mask | ~np.any(mask, axis=axis, keepdims=True)
        rowmax = np.max(np.where(mask, q, np.iinfo(I64).min), axis=axis, keepdims=True)
    else:
        rowmax = np.max(q, axis=axis, keepdims=True)
    d = q - rowmax
    if mask is not None:
        d = np.where(mask, d, 30 * p.x0)
    e16, _ = i_exp16(d, scale)
    total = np.sum(e16, axis=axis, keepdims=True)  # int64
    f = (1 << 32) // total
    if nearest:
        return np.minimum((e16 * f + (1 << 23)) >> 24, 255)
    return (e16 * f) >> 24


# ---------------------------------------------------------------------------
# i-LayerNorm
# ---------------------------------------------------------------------------

def layernorm_shift(x, axis: int = -1, margin: int = 1) -> int:
    """Calibration: the smallest s >= 0 with sum((y >> s)^2) < 2^32 on every
    row of x (22-bit integers), plus `margin`."""
    x = np.asarray(x, dtype=I64)
    C = x.shape[axis]
    mean = (2 * np.sum(x, axis=axis, keepdims=True) + C) // (2 * C)
    y = x - mean
    s = 0
    while np.any(np.sum((y >> s) ** 2, axis=axis) >= 2 ** 32):
        s += 1
    return s + margin


def i_layernorm_core(x, shift: int, axis: int = -1):
    """The normalized 32-bit output before the affine part:
    out = floor(y * floor(2^31 / std) / 2) with S_out = sqrt(C) / 2^30."""
    x = np.asarray(x, dtype=I64)
    C = x.shape[axis]
    mean = (2 * np.sum(x, axis=axis, keepdims=True) + C) // (2 * C)   # round half up
    y = x - mean
    ys = y >> shift
    var = np.sum(ys * ys, axis=axis, keepdims=True)
    if np.any(var >= 2 ** 63):
        raise OverflowError("variance overflows int64; increase the shift")
    root = np.vectorize(isqrt, otypes=[object])(var).astype(I64)
    std = np.maximum(root << shift, 1)
    f = (1 << 31) // std
    out = (y * f) >> 1
    return out, math.sqrt(C) / 2 ** 30


def effective_gamma(gamma):
    """gamma with |gamma[c]| below 1e-6 max|gamma| (zero included) raised to
    that bound, keeping its sign (zero as positive), so beta / gamma stays
    finite (iqc's choice; the affine part is folded into the requant)."""
    g = np.array(gamma, dtype=np.float64)
    gmin = 1e-6 * np.max(np.abs(g))
    small = (np.abs(g) < gmin) | (g == 0)
    g[small] = np.where(g[small] < 0, -gmin, gmin)
    return g


def i_layernorm(x, gamma, beta, shift: int, out_scale: float, bits: int = 8, axis: int = -1):
    """Full i-LayerNorm to `bits`-bit outputs with scale `out_scale`:
    out += floor((beta/gamma) / S_out) per channel, then per-channel dyadic
    requant by gamma * S_out / out_scale."""
    core, s_core = i_layernorm_core(x, shift, axis)
    gamma = effective_gamma(gamma)
    beta = np.asarray(beta, dtype=np.float64)
    bias = np.array([_floor((bt / g) / s_core) for bt, g in zip(beta, gamma)], dtype=object)
    shape = [1] * core.ndim
    shape[axis] = -1
    z = core.astype(object) + bias.reshape(shape)
    return requantize(z, gamma * s_core, out_scale, bits=bits, axis=axis)


# ---------------------------------------------------------------------------
# Sigmoid (beyond I-BERT): from i-exp of -|x|
# ---------------------------------------------------------------------------

def i_sigmoid(q, scale: float):
    """sigmoid(q*S) from e = exp(-|x|) in the 16-bit exp buffer (where exp(0)
    is 32767): x >= 0: 1/(1+e), x < 0: e/(1+e), as one integer division
    floor(num * 2^15 / (32767 + e16)). Returns int64 values with scale 2^-15
    (iqc's choice of output width: 16 bits, sigmoid(0) = 16384)."""
    q = np.asarray(q, dtype=I64)
    e16, p = i_exp16(-np.abs(q), scale)           # e = e16 * S16, exp(0) -> 32767
    one = 32767                                   # the buffer value of 1.0
    num = np.where(q >= 0, one, e16)
    den = one + e16
    return (num * (1 << 15)) // den


# ---------------------------------------------------------------------------
# Token pruning (LTP) importance test
# ---------------------------------------------------------------------------

def ltp_keep(probs_u8, theta: float, l_orig: int):
    """probs_u8: [H, L_rows, L_cols] attention probabilities (scale 2^-8).
    Keep column j iff sum_{h,i} P[h,i,j] >= ceil(max(1e-5, theta) * H * L_orig * 256)."""
    p = np.asarray(probs_u8, dtype=I64)
    H = p.shape[0]
    need = math.ceil(max(1e-5, theta) * H * l_orig * 256)
    keep = np.sum(p, axis=(0, 1)) >= need
    keep[0] = True                                # CLS is never pruned
    return keep
