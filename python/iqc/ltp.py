"""Learned token pruning (LTP, Kim et al., KDD 2022) in its masked form, in
float: the reference iqc's compacted pruning is compared with, and the
"fp32-masked" column of the accuracy/FLOPs tables.

FloatBert runs a BertLike ONNX export (iqc.models.BertLike at opset 14; the
weights are read by iqc.intmodel.OnnxBert) with PyTorch in float32. A
pruned token stays in the sequence but is masked like padding: never a key
again (additive -10000) and not a query row of the importance sums; the
importance of token j in layer l is
  s_j = sum_{h, i alive} P[b, h, i, j] / (H * L_orig)
and j survives iff s_j >= max(1e-5, theta_l) (the CLS token always).

Also here: the FLOPs of a BERT layer stack from the tokens each layer
processes, to report FLOPs reductions.
"""

import math

import numpy as np


def layer_macs(d: int, d_ff: int, n_in, n_out):
    """Multiply-adds of one post-LN encoder layer whose attention block
    sees n_in tokens and whose FFN sees n_out (pruning happens between)."""
    n_in = np.asarray(n_in, dtype=np.float64)
    n_out = np.asarray(n_out, dtype=np.float64)
    return 4 * n_in * d * d + 2 * n_in * n_in * d + 2 * n_out * d * d_ff


def model_macs(d: int, d_ff: int, length, kept):
    """MACs per example of the layer stack: `kept` [B, N] tokens after each
    layer (iqc's kept_tokens output); the first layer starts from `length`
    tokens (a number, or one per example: the unpadded lengths to count
    only what pruning saves), layer l from the tokens layer l-1 kept."""
    kept = np.asarray(kept, dtype=np.float64)
    B, N = kept.shape
    total = np.zeros(B)
    n_in = np.broadcast_to(np.asarray(length, dtype=np.float64), (B,)).copy()
    for l in range(N):
        total += layer_macs(d, d_ff, n_in, kept[:, l])
        n_in = kept[:, l]
    return total


def flops_ratio(d: int, d_ff: int, mask, kept) -> float:
    """Multiply-adds left after pruning over the unpruned model's, both on
    the unpadded tokens (mask [B, L]), summed over the examples."""
    lengths = np.asarray(mask).astype(bool).sum(1)
    N = np.asarray(kept).shape[1]
    base = model_macs(d, d_ff, lengths, np.repeat(lengths[:, None], N, axis=1))
    return float(model_macs(d, d_ff, lengths, kept).sum() / base.sum())


class FloatBert:
    """fp32 BertLike forward with masked LTP (see the module docstring)."""

    def __init__(self, weights, heads: int, eps: float = 1e-12):
        import torch
        self.t = torch
        self.w = weights
        self.heads = heads
        self.eps = eps
        self.tt = lambda a: torch.from_numpy(np.array(a, dtype=np.float32))
        self.lin = {}

    @property
    def hidden(self) -> int:
        return self.w.linear("/layers.0/attention/query")[0].shape[0]

    @property
    def intermediate(self) -> int:
        return self.w.linear("/layers.0/intermediate")[0].shape[1]

    def _ln(self, x, module):
        g, b = self.w.norm(module)
        return self.t.nn.functional.layer_norm(x, (x.shape[-1],), self.tt(g), self.tt(b), self.eps)

    def _linear(self, x, prefix):
        if prefix not in self.lin:
            w, b = self.w.linear(prefix)
            self.lin[prefix] = (self.tt(w), self.tt(b))
        w, b = self.lin[prefix]
        return x @ w + b

    def __call__(self, ids, mask, thresholds=None):
        """(last_hidden_state with pruned tokens 0, logits, kept [B, N])."""
        torch, F = self.t, self.t.nn.functional
        ids = torch.from_numpy(np.asarray(ids, dtype=np.int64))
        alive = torch.from_numpy(np.asarray(mask) != 0)
        B, L = ids.shape
        init = self.w.init
        x = (self.tt(init["embeddings.word_embeddings.weight"])[ids]
             + self.tt(init["embeddings.position_embeddings.weight"])[:L][None]
             + self.tt(init["embeddings.token_type_embeddings.weight"])[0])
        x = self._ln(x, "embeddings.LayerNorm")
        N = self.w.layers
        thresholds = list(thresholds) if thresholds else [0.0] * N
        H = self.heads
        D = x.shape[-1] // H
        kept = []
        with torch.no_grad():
            for i in range(N):
                p = f"/layers.{i}"
                split = lambda t: t.view(B, L, H, D).permute(0, 2, 1, 3)
                q = split(self._linear(x, f"{p}/attention/query"))
                k = split(self._linear(x, f"{p}/attention/key"))
                v = split(self._linear(x, f"{p}/attention/value"))
                bias = (1.0 - alive[:, None, None, :].float()) * -10000.0
                probs = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(D) + bias, dim=-1)
                theta = thresholds[i]
                if theta > 0:
                    s = (probs * alive[:, None, :, None]).sum(dim=(1, 2)) / (H * L)
                    keep = s >= max(1e-5, theta)
                    keep[:, 0] = True
                    new_alive = alive & keep
                else:
                    new_alive = alive
                ctx = (probs @ v).permute(0, 2, 1, 3).reshape(B, L, H * D)
                h = self._ln(x + self._linear(ctx, f"{p}/attention_output"),
                             f"layers.{i}.attention_norm")
                g = F.gelu(self._linear(h, f"{p}/intermediate"))
                x = self._ln(h + self._linear(g, f"{p}/output"), f"layers.{i}.output_norm")
                alive = new_alive
                kept.append(alive.sum(dim=1).numpy())
            pooled = torch.tanh(self._linear(x[:, 0], "/pooler"))
            logits = self._linear(pooled, "/classifier")
            if any(t > 0 for t in thresholds):
                x = x * alive[:, :, None]
        return x.numpy(), logits.numpy(), np.stack(kept, axis=1)
