"""numpy reference of iqc's integer-only BERT (docs/Quantization.md).

Runs a BERT-like ONNX model (iqc.models.BertLike exported by torch at
opset 14: embeddings, post-LN encoder layers, tanh pooler, classifier) the
way `iqc-compile --quantize=int8` defines it, from the quantization rules
in docs/Quantization.md and the kernels of shared/INTEGER-KERNELS.md
(iqc.intref), with the same calibrated ranges file. It is written from
those documents, not from the compiler: the compiled library must agree
with it bit for bit.

  python3 -m iqc.intmodel model.onnx ranges.json input_ids.npy attention_mask.npy \
      --heads 2 -o out/

Weights come from the ONNX file by the node and initializer names torch
gives a BertLike module; activations by the ranges file's point names (the
ONNX node that produces each value).
"""

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np

from iqc import intref as R

I64 = np.int64
I32_MIN, I32_MAX = -2 ** 31, 2 ** 31 - 1


# ---------------------------------------------------------------------------
# Quantization rules (docs/Quantization.md)
# ---------------------------------------------------------------------------

def weight_per_channel(w_in_out):
    """[K, N] float weight -> (int8 values [K, N], per-output-channel scales [N])."""
    w = np.asarray(w_in_out, dtype=np.float64)
    s = R.symmetric_scale(np.max(np.abs(w), axis=0), 8)
    return R.quantize(w, s, 8), s


def tensor_int8(t):
    """Per-tensor symmetric int8 of a constant (embedding tables)."""
    t = np.asarray(t, dtype=np.float64)
    s = float(R.symmetric_scale(np.max(np.abs(t)), 8))
    return R.quantize(t, s, 8), s


def clip(x, lo, hi):
    return np.clip(np.asarray(x, dtype=object), lo, hi).astype(I64)


def requant_to(z, s_in, s_out, lo, hi, axis=-1):
    """Dyadic rescale of integers z from scales s_in (per tensor, or per
    channel along `axis`) to s_out, saturated to [lo, hi]."""
    z = np.asarray(z)
    s_in = np.atleast_1d(np.asarray(s_in, dtype=np.float64))
    if s_in.size == 1:
        return clip(R.apply_dyadic(z, R.dyadic(float(s_in[0]) / s_out)), lo, hi)
    zm = np.moveaxis(z, axis, -1)
    out = np.empty(zm.shape, dtype=object)
    for c, s in enumerate(s_in):
        out[..., c] = R.apply_dyadic(zm[..., c], R.dyadic(float(s) / s_out))
    return clip(np.moveaxis(out, -1, axis), lo, hi)


def residual_add(a, s_a, b, s_b, s_out, bits):
    """iq.iadd: each operand rescaled to s_out and saturated to the `bits`
    range, then added and saturated again (per-channel scales run along the
    last axis)."""
    lo, hi = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    ya = requant_to(a, s_a, s_out, lo, hi)
    yb = requant_to(b, s_b, s_out, lo, hi)
    return clip(ya + yb, lo, hi)


def linear(x8, s_x, w, b):
    """int8 x [.., K] times per-channel int8 weight + i32 bias: the i32
    accumulator and its per-channel scales S_x * S_w[c]."""
    qw, sw = weight_per_channel(w)
    s_acc = s_x * sw
    qb = np.rint(np.asarray(b, dtype=np.float64) / s_acc).astype(I64)
    qb = np.clip(qb, -I32_MAX, I32_MAX)
    acc = np.asarray(x8, dtype=I64) @ qw + qb
    assert np.all((acc >= I32_MIN) & (acc <= I32_MAX)), "accumulator overflows i32"
    return acc, s_acc


def gelu(acc, s_acc, s_out):
    """i-GELU of an i32 accumulator (per-channel scales), upscaled by one
    shift k so that every channel has S / 2^k <= 3e-4, then requantized to
    int8 at s_out."""
    s_acc = np.atleast_1d(np.asarray(s_acc, dtype=np.float64))
    k = max(R.upscale_shift(float(s), 3e-4) for s in s_acc)
    q = np.clip(np.asarray(acc, dtype=I64) * (1 << k), I32_MIN, I32_MAX)
    s = s_acc / 2 ** k
    out, s_gelu = R.i_gelu(q, s, axis=-1)
    return requant_to(out, s_gelu, s_out, -128, 127)


def exp_input(q, s):
    """Logits at a scale i-exp accepts: S in [2.6e-5, 1e-3]."""
    q = np.asarray(q, dtype=I64)
    if s > 1e-3:
        k = R.upscale_shift(s, 1e-3)
        return np.clip(q * (1 << k), I32_MIN, I32_MAX), s / 2 ** k
    if s < 2.6e-5:
        k = 0
        while s * 2 ** k < 2.6e-5:
            k += 1
        # (q * 2^30 + 2^(29+k)) >> (30+k): q / 2^k rounded half up
        return (q + (1 << (k - 1))) >> k, s * 2 ** k
    return q, s


def layernorm(x, s_in, gamma, beta, row_sum_squares, s_out, margin=1):
    """i-LayerNorm with the calibrated variance shift."""
    v = row_sum_squares / (s_in * s_in)
    shift = 0
    while shift < 31 and v / 2.0 ** (2 * shift) >= 2.0 ** 32:
        shift += 1
    shift = min(shift + margin, 31)
    return R.i_layernorm(x, gamma, beta, shift, s_out, bits=8)


def tanh(acc, s_acc, s_out):
    """tanh(x) = 2 sigmoid(2x) - 1: the accumulator rescaled to one scale
    S_t = clamp(max S_acc, 1.5e-5, 5e-4), integer sigmoid at scale 2 S_t
    (2^-15 units), doubled minus 32768, requantized to int8."""
    s_acc = np.atleast_1d(np.asarray(s_acc, dtype=np.float64))
    s_t = min(max(float(np.max(s_acc)), 1.5e-5), 5e-4)
    q = requant_to(acc, s_acc, s_t, I32_MIN, I32_MAX)
    sig = R.i_sigmoid(q, 2 * s_t)
    t = 2 * sig - 32768
    return requant_to(t, 1.0 / 32768, s_out, -128, 127)


# ---------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------

def prune_threshold(theta):
    """The fixed-point threshold round(max(1e-5, theta) 2^40) (0: no pruning)."""
    return 0 if not theta > 0 else int(round(max(1e-5, theta) * 2 ** 40))


def prune(probs, alive, theta, l_orig):
    """LTP's keep test on integer probabilities [B, H, L, L] (scale 2^-8):
    importance = sum over heads and live query rows; keep iff alive and
    (CLS or importance * 2^40 >= T * H * L_orig * 256), exactly."""
    T = prune_threshold(theta)
    if T == 0:
        return alive
    H = probs.shape[1]
    imp = np.einsum("bhij,bi->bj", np.asarray(probs, dtype=I64), alive.astype(I64))
    bound = T * H * l_orig * 256
    enough = imp >= -(-bound // 2 ** 40)   # v 2^40 >= bound, v an integer
    cls = np.zeros_like(alive)
    cls[:, 0] = True
    return alive & (cls | enough)


class OnnxBert:
    """Float weights of an iqc.models.BertLike ONNX export (opset 14)."""

    def __init__(self, path):
        import onnx
        from onnx import numpy_helper
        m = onnx.load(str(path))
        self.init = {t.name: numpy_helper.to_array(t) for t in m.graph.initializer}
        self.nodes = {n.name: n for n in m.graph.node}
        self.layers = 0
        while f"/layers.{self.layers}/Add" in self.nodes:
            self.layers += 1

    def _const(self, node):
        for i in node.input:
            if i in self.init:
                return self.init[i]
        raise KeyError(f"node {node.name} has no initializer input")

    def linear(self, prefix):
        """(W [in, out], b [out]) of `prefix` (MatMul + Add, or Gemm)."""
        if prefix + "/MatMul" in self.nodes:
            w = self.init[self.nodes[prefix + "/MatMul"].input[1]]
            return w, self._const(self.nodes[prefix + "/Add"])
        g = self.nodes[prefix + "/Gemm"]
        w = self.init[g.input[1]]
        trans_b = any(a.name == "transB" and a.i for a in g.attribute)
        return (w.T if trans_b else w), self.init[g.input[2]]

    def norm(self, module):
        return self.init[module + ".weight"], self.init[module + ".bias"]


class IntBert:
    """Integer-only forward pass; `ranges` is the ranges file's "points"."""

    def __init__(self, weights: OnnxBert, ranges: dict, heads: int,
                 softmax_rounding: str = "nearest", thresholds=None):
        self.w = weights
        self.r = ranges
        self.heads = heads
        self.nearest = softmax_rounding == "nearest"
        # Learned token pruning in its masked form (docs/TokenPruning.md):
        # one threshold per layer, 0 = no pruning.
        self.thresholds = list(thresholds) if thresholds else [0.0] * weights.layers
        self.kept = []

    def absmax(self, name):
        p = self.r[name]
        return max(abs(p["min"]), abs(p["max"]))

    def scale(self, name, bits=8):
        return float(R.symmetric_scale(self.absmax(name), bits))

    def ln(self, x, s_in, add_name, module, out_name):
        g, b = self.w.norm(module)
        s_out = self.scale(out_name)
        y = layernorm(x, s_in, g.astype(np.float64), b.astype(np.float64),
                      self.r[add_name]["row_sum_squares"], s_out)
        return y, s_out

    def embeddings(self, ids):
        w = self.w.init
        qw, sw = tensor_int8(w["embeddings.word_embeddings.weight"])
        qp, sp = tensor_int8(w["embeddings.position_embeddings.weight"])
        qt, st = tensor_int8(w["embeddings.token_type_embeddings.weight"])
        seq = ids.shape[1]
        e_w = qw[ids]
        e_p = qp[np.arange(seq)][None]
        e_t = qt[np.zeros_like(ids)]
        s1 = self.scale("/embeddings/Add", 16)
        a1 = residual_add(e_w, sw, e_p, sp, s1, 16)
        s2 = self.scale("/embeddings/Add_1", 16)
        a2 = residual_add(a1, s1, e_t, st, s2, 16)
        return self.ln(a2, s2, "/embeddings/Add_1", "embeddings.LayerNorm",
                       "/embeddings/LayerNorm/Add_1")

    def layer(self, i, x8, s_x, alive, l_orig):
        """One encoder layer on all tokens; `alive` [B, L] marks the tokens
        not pruned yet (and not padding). Returns the output and the tokens
        alive after the layer (LTP with this layer's threshold)."""
        keep = alive[:, None, None, :]
        p = f"/layers.{i}"
        B, S, Hd = x8.shape
        H, D = self.heads, Hd // self.heads

        def proj(name):
            w, b = self.w.linear(f"{p}/attention/{name}")
            acc, s_acc = linear(x8, s_x, w, b)
            s = self.scale(f"{p}/attention/{name}/Add")
            q = requant_to(acc, s_acc, s, -128, 127)
            return q.reshape(B, S, H, D).transpose(0, 2, 1, 3), s

        q, sq = proj("query")
        k, sk = proj("key")
        v, sv = proj("value")
        logits = q @ k.transpose(0, 1, 3, 2)                       # i32
        s_logits = sq * sk / float(np.float32(math.sqrt(D)))       # the f32 divisor
        logits, s_logits = exp_input(logits, s_logits)
        probs = R.i_softmax(logits, s_logits, mask=keep, nearest=self.nearest)  # u8, 2^-8
        alive = prune(probs, alive, self.thresholds[i], l_orig)
        ctx = probs @ v                                            # i32, 2^-8 S_v
        s_ctx = self.scale(f"{p}/attention/MatMul_1")
        ctx8 = requant_to(ctx, sv / 256, s_ctx, -128, 127)
        ctx8 = ctx8.transpose(0, 2, 1, 3).reshape(B, S, Hd)
        w, b = self.w.linear(f"{p}/attention_output")
        acc, s_acc = linear(ctx8, s_ctx, w, b)
        s_r = self.scale(f"{p}/Add", 22)
        res = residual_add(x8, s_x, acc, s_acc, s_r, 22)
        h8, s_h = self.ln(res, s_r, f"{p}/Add", f"layers.{i}.attention_norm",
                          f"{p}/attention_norm/Add_1")
        w, b = self.w.linear(f"{p}/intermediate")
        acc, s_acc = linear(h8, s_h, w, b)
        s_g = self.scale(f"{p}/intermediate_act/Mul_1")
        g8 = gelu(acc, s_acc, s_g)
        w, b = self.w.linear(f"{p}/output")
        acc, s_acc = linear(g8, s_g, w, b)
        s_r2 = self.scale(f"{p}/Add_1", 22)
        res2 = residual_add(h8, s_h, acc, s_acc, s_r2, 22)
        y8, s_y = self.ln(res2, s_r2, f"{p}/Add_1", f"layers.{i}.output_norm",
                          f"{p}/output_norm/Add_1")
        return y8, s_y, alive

    def __call__(self, ids, mask):
        """(last_hidden_state, logits) as float32, dequantized as the
        compiled model's outputs are: float32(q) * float32(S)."""
        ids = np.asarray(ids, dtype=I64)
        alive = np.asarray(mask) != 0
        x8, s_x = self.embeddings(ids)
        self.kept = []
        for i in range(self.w.layers):
            x8, s_x, alive = self.layer(i, x8, s_x, alive, ids.shape[1])
            self.kept.append(alive.sum(axis=1))
        if any(t > 0 for t in self.thresholds):
            x8 = np.where(alive[:, :, None], x8, 0)      # pruned tokens read 0
        cls = x8[:, 0]
        w, b = self.w.linear("/pooler")
        acc, s_acc = linear(cls, s_x, w, b)
        s_t = 1.0 / 127
        t8 = tanh(acc, s_acc, s_t)
        w, b = self.w.linear("/classifier")
        logits, s_l = linear(t8, s_t, w, b)
        hidden = x8.astype(np.float32) * np.float32(s_x)
        return hidden, logits.astype(np.float32) * s_l.astype(np.float32)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", type=Path)
    ap.add_argument("ranges", type=Path)
    ap.add_argument("input_ids", type=Path)
    ap.add_argument("attention_mask", type=Path)
    ap.add_argument("--heads", type=int, required=True)
    ap.add_argument("-o", "--output-dir", type=Path, required=True)
    args = ap.parse_args(argv)
    ranges = json.loads(args.ranges.read_text())["points"]
    model = IntBert(OnnxBert(args.model), ranges, args.heads)
    hidden, logits = model(np.load(args.input_ids), np.load(args.attention_mask))
    args.output_dir.mkdir(parents=True, exist_ok=True)
    np.save(args.output_dir / "last_hidden_state.npy", hidden)
    np.save(args.output_dir / "logits.npy", logits)
    return 0


if __name__ == "__main__":
    sys.exit(main())
