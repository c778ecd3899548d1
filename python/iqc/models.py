# Seeded PyTorch reference models (BERT-like, nn.TransformerEncoder, Squeezeformer-like) for ONNX export.
"""Reference PyTorch models used to produce ONNX inputs for the iqc compiler.

All models are deterministic: `build_model(name, seed)` constructs the module and then
re-initialises every parameter and buffer from a private `torch.Generator`, so the
weights depend only on `seed` (not on the global RNG state or on construction order).
The models are returned in eval mode.
"""

import math
from dataclasses import dataclass

import torch
from torch import nn


# --------------------------------------------------------------------------------------
# BERT-like encoder (hand-written, mirrors HuggingFace BertModel + sequence classifier)
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BertConfig:
    vocab: int
    hidden: int
    layers: int
    heads: int
    intermediate: int
    max_pos: int
    type_vocab: int = 2
    num_labels: int = 2


BERT_PRESETS = {
    "bert-tiny": BertConfig(vocab=1000, hidden=128, layers=2, heads=2, intermediate=512, max_pos=128),
    "bert-mini": BertConfig(vocab=1000, hidden=256, layers=4, heads=4, intermediate=1024, max_pos=128),
    "bert-base": BertConfig(vocab=30522, hidden=768, layers=12, heads=12, intermediate=3072, max_pos=512),
}

BERT_LN_EPS = 1e-12


class BertEmbeddings(nn.Module):
    """word + position + token-type embeddings followed by LayerNorm."""

    def __init__(self, cfg: BertConfig):
        super().__init__()
        self.word_embeddings = nn.Embedding(cfg.vocab, cfg.hidden)
        self.position_embeddings = nn.Embedding(cfg.max_pos, cfg.hidden)
        self.token_type_embeddings = nn.Embedding(cfg.type_vocab, cfg.hidden)
        self.LayerNorm = nn.LayerNorm(cfg.hidden, eps=BERT_LN_EPS)

    def forward(self, input_ids, token_type_ids=None):
        seq_len = input_ids.size(1)
        # arange over the traced sequence length keeps S dynamic in the exported graph.
        position_ids = torch.arange(seq_len, dtype=torch.long, device=input_ids.device).unsqueeze(0)
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        emb = (self.word_embeddings(input_ids)
               + self.position_embeddings(position_ids)
               + self.token_type_embeddings(token_type_ids))
        return self.LayerNorm(emb)


class BertSelfAttention(nn.Module):
    def __init__(self, cfg: BertConfig):
        super().__init__()
        if cfg.hidden % cfg.heads:
            raise ValueError("hidden size must be divisible by the number of heads")
        self.heads = cfg.heads
        self.head_dim = cfg.hidden // cfg.heads
        self.query = nn.Linear(cfg.hidden, cfg.hidden)
        self.key = nn.Linear(cfg.hidden, cfg.hidden)
        self.value = nn.Linear(cfg.hidden, cfg.hidden)

    def _split_heads(self, t):
        # [B, S, H] -> [B, heads, S, head_dim]
        t = t.view(t.size(0), t.size(1), self.heads, self.head_dim)
        return t.permute(0, 2, 1, 3)

    def forward(self, x, extended_mask):
        q = self._split_heads(self.query(x))
        k = self._split_heads(self.key(x))
        v = self._split_heads(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim)
        scores = scores + extended_mask
        probs = torch.softmax(scores, dim=-1)
        ctx = torch.matmul(probs, v).permute(0, 2, 1, 3).contiguous()
        return ctx.view(ctx.size(0), ctx.size(1), self.heads * self.head_dim)


class BertLayer(nn.Module):
    """Post-LN transformer layer: LN(x + Attn(x)), then LN(h + FFN(h))."""

    def __init__(self, cfg: BertConfig):
        super().__init__()
        self.attention = BertSelfAttention(cfg)
        self.attention_output = nn.Linear(cfg.hidden, cfg.hidden)
        self.attention_norm = nn.LayerNorm(cfg.hidden, eps=BERT_LN_EPS)
        self.intermediate = nn.Linear(cfg.hidden, cfg.intermediate)
        self.intermediate_act = nn.GELU()  # exact (erf) GELU, as in BERT
        self.output = nn.Linear(cfg.intermediate, cfg.hidden)
        self.output_norm = nn.LayerNorm(cfg.hidden, eps=BERT_LN_EPS)

    def forward(self, x, extended_mask):
        h = self.attention_norm(x + self.attention_output(self.attention(x, extended_mask)))
        return self.output_norm(h + self.output(self.intermediate_act(self.intermediate(h))))


class BertLike(nn.Module):
    """BERT encoder + pooler + classification head.

    forward(input_ids int64 [B,S], attention_mask int64 [B,S]) -> (last_hidden_state [B,S,H],
    logits [B,num_labels]).
    """

    def __init__(self, vocab=1000, hidden=128, layers=2, heads=2, intermediate=512, max_pos=128,
                 type_vocab=2, num_labels=2):
        super().__init__()
        self.config = BertConfig(vocab, hidden, layers, heads, intermediate, max_pos, type_vocab,
                                 num_labels)
        self.embeddings = BertEmbeddings(self.config)
        self.layers = nn.ModuleList(BertLayer(self.config) for _ in range(layers))
        self.pooler = nn.Linear(hidden, hidden)
        self.pooler_act = nn.Tanh()
        self.classifier = nn.Linear(hidden, num_labels)

    @classmethod
    def from_preset(cls, name):
        c = BERT_PRESETS[name]
        return cls(c.vocab, c.hidden, c.layers, c.heads, c.intermediate, c.max_pos, c.type_vocab,
                   c.num_labels)

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        extended_mask = (1.0 - attention_mask[:, None, None, :].float()) * -10000.0
        x = self.embeddings(input_ids, token_type_ids)
        for layer in self.layers:
            x = layer(x, extended_mask)
        pooled = self.pooler_act(self.pooler(x[:, 0]))
        return x, self.classifier(pooled)


# --------------------------------------------------------------------------------------
# torch.nn.TransformerEncoder wrapper
# --------------------------------------------------------------------------------------

class TorchEncoder(nn.Module):
    """nn.TransformerEncoder (post-LN, GELU, batch_first) over float input [B, S, d_model].

    Export note: in eval mode with autograd disabled, nn.TransformerEncoder(Layer) and
    nn.MultiheadAttention take a fused "fast path" (torch._transformer_encoder_layer_fwd /
    torch._native_multi_head_attention) that the ONNX exporter cannot handle. Export it in
    eval mode but with grad enabled (no torch.no_grad()) so the decomposed path is traced.
    """

    def __init__(self, d_model=64, nhead=4, dim_feedforward=128, num_layers=2):
        super().__init__()
        layer = nn.TransformerEncoderLayer(d_model=d_model, nhead=nhead,
                                           dim_feedforward=dim_feedforward,
                                           activation="gelu", batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=num_layers)

    def forward(self, src):
        return self.encoder(src)


# --------------------------------------------------------------------------------------
# Squeezeformer-like speech encoder
# --------------------------------------------------------------------------------------

class Swish(nn.Module):
    """Swish / SiLU written out as x * sigmoid(x) (exports as Sigmoid + Mul)."""

    def forward(self, x):
        return x * torch.sigmoid(x)


class ConvSubsampling(nn.Module):
    """4x time/frequency subsampling: Conv2d s2 + ReLU, depthwise-separable Conv2d s2 + ReLU,
    then flatten channels x frequency and project to d_model."""

    def __init__(self, feat_dim=80, channels=144, d_model=144):
        super().__init__()
        self.conv = nn.Conv2d(1, channels, kernel_size=3, stride=2, padding=1)
        self.act1 = nn.ReLU()
        self.dw_conv = nn.Conv2d(channels, channels, kernel_size=3, stride=2, padding=1,
                                 groups=channels)
        self.pw_conv = nn.Conv2d(channels, channels, kernel_size=1)
        self.act2 = nn.ReLU()
        freq = feat_dim
        for _ in range(2):
            freq = (freq + 2 * 1 - 3) // 2 + 1
        self.out = nn.Linear(channels * freq, d_model)

    def forward(self, x):
        x = x.unsqueeze(1)                       # [B, 1, T, F]
        x = self.act1(self.conv(x))              # [B, C, T/2, F/2]
        x = self.act2(self.pw_conv(self.dw_conv(x)))  # [B, C, T/4, F/4]
        x = x.transpose(1, 2).flatten(2)         # [B, T/4, C*F/4]
        return self.out(x)


class MHSAModule(nn.Module):
    def __init__(self, d_model, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, heads, batch_first=True)
        self.norm = nn.LayerNorm(d_model)

    def forward(self, x):
        y, _ = self.attn(x, x, x, need_weights=False)
        return self.norm(x + y)


class FeedForwardModule(nn.Module):
    def __init__(self, d_model, expansion=4):
        super().__init__()
        self.linear1 = nn.Linear(d_model, expansion * d_model)
        self.act = Swish()
        self.linear2 = nn.Linear(expansion * d_model, d_model)
        self.norm = nn.LayerNorm(d_model)

    def forward(self, x):
        return self.norm(x + self.linear2(self.act(self.linear1(x))))


class ConvModule(nn.Module):
    """pointwise Conv1d (2d) -> GLU -> depthwise Conv1d k31 -> BatchNorm1d -> Swish ->
    pointwise Conv1d, residual + post-LN."""

    def __init__(self, d_model, kernel_size=31):
        super().__init__()
        self.pw_conv1 = nn.Conv1d(d_model, 2 * d_model, kernel_size=1)
        self.dw_conv = nn.Conv1d(d_model, d_model, kernel_size=kernel_size,
                                 padding=kernel_size // 2, groups=d_model)
        self.bn = nn.BatchNorm1d(d_model)
        self.act = Swish()
        self.pw_conv2 = nn.Conv1d(d_model, d_model, kernel_size=1)
        self.norm = nn.LayerNorm(d_model)

    def forward(self, x):
        y = self.pw_conv1(x.transpose(1, 2))     # [B, 2d, T]
        a, b = y.chunk(2, dim=1)
        y = a * torch.sigmoid(b)                 # GLU over channels
        y = self.act(self.bn(self.dw_conv(y)))
        y = self.pw_conv2(y).transpose(1, 2)     # [B, T, d]
        return self.norm(x + y)


class SqueezeformerBlock(nn.Module):
    """Squeezeformer block order: MHSA, FFN, Conv, FFN (each post-LN)."""

    def __init__(self, d_model, heads, kernel_size=31):
        super().__init__()
        self.mhsa = MHSAModule(d_model, heads)
        self.ffn1 = FeedForwardModule(d_model)
        self.conv = ConvModule(d_model, kernel_size)
        self.ffn2 = FeedForwardModule(d_model)

    def forward(self, x):
        return self.ffn2(self.conv(self.ffn1(self.mhsa(x))))


class SqueezeformerLike(nn.Module):
    """Small Squeezeformer-XS-like encoder: features [B, T, 80] -> encoded [B, T', 144], with
    T' = ceil(ceil(T/2)/2). No relative positional encoding and no time-reduction U-Net."""

    def __init__(self, feat_dim=80, d_model=144, heads=4, num_blocks=2, kernel_size=31):
        super().__init__()
        self.subsampling = ConvSubsampling(feat_dim, d_model, d_model)
        self.blocks = nn.ModuleList(SqueezeformerBlock(d_model, heads, kernel_size)
                                    for _ in range(num_blocks))

    def forward(self, features):
        x = self.subsampling(features)
        for block in self.blocks:
            x = block(x)
        return x


# --------------------------------------------------------------------------------------
# Seeded initialisation and registry
# --------------------------------------------------------------------------------------

def _uniform_(t, bound, g):
    t.copy_((torch.rand(t.shape, generator=g) * 2.0 - 1.0) * bound)


def _normal_(t, mean, std, g):
    t.copy_(torch.randn(t.shape, generator=g) * std + mean)


@torch.no_grad()
def randomize_(model: nn.Module, seed: int) -> nn.Module:
    """Re-initialise all parameters/buffers of `model` from `seed`.

    Linear/Conv weights and biases ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (PyTorch's default
    scale, keeps activations O(1)); embeddings ~ N(0, 1); LayerNorm/BatchNorm affine
    parameters ~ 1 + 0.1*N / 0.1*N; BatchNorm running stats are non-trivial (mean ~ 0.1*N,
    var ~ U(0.5, 1.5)). Raises if any parameter is left untouched.
    """
    g = torch.Generator().manual_seed(seed)
    done = set()

    def mark(*ps):
        done.update(id(p) for p in ps if p is not None)

    for m in model.modules():
        if isinstance(m, (nn.Linear, nn.modules.conv._ConvNd)):
            fan_in = m.weight[0].numel()
            bound = 1.0 / math.sqrt(fan_in)
            _uniform_(m.weight, bound, g)
            if m.bias is not None:
                _uniform_(m.bias, bound, g)
            mark(m.weight, m.bias)
        elif isinstance(m, nn.MultiheadAttention):
            # in_proj_weight [3E, E]; out_proj is an nn.Linear handled by the branch above.
            bound = 1.0 / math.sqrt(m.embed_dim)
            for p in (m.in_proj_weight, m.q_proj_weight, m.k_proj_weight, m.v_proj_weight,
                      m.in_proj_bias):
                if p is not None:
                    _uniform_(p, bound, g)
                    mark(p)
        elif isinstance(m, nn.Embedding):
            _normal_(m.weight, 0.0, 1.0, g)
            mark(m.weight)
        elif isinstance(m, (nn.LayerNorm, nn.modules.batchnorm._BatchNorm)):
            if m.weight is not None:
                _normal_(m.weight, 1.0, 0.1, g)
                _normal_(m.bias, 0.0, 0.1, g)
                mark(m.weight, m.bias)
            if isinstance(m, nn.modules.batchnorm._BatchNorm) and m.track_running_stats:
                _normal_(m.running_mean, 0.0, 0.1, g)
                m.running_var.copy_(torch.rand(m.running_var.shape, generator=g) + 0.5)

    missed = [n for n, p in model.named_parameters() if id(p) not in done]
    if missed:
        raise RuntimeError(f"randomize_ left parameters untouched: {missed}")
    return model


MODEL_NAMES = ("bert-tiny", "bert-mini", "bert-base", "torch-encoder", "squeezeformer-xs")


def build_model(name: str, seed: int = 0) -> nn.Module:
    """Construct a registered model with seeded weights, in eval mode."""
    if name in BERT_PRESETS:
        model = BertLike.from_preset(name)
    elif name == "torch-encoder":
        model = TorchEncoder()
    elif name == "squeezeformer-xs":
        model = SqueezeformerLike()
    else:
        raise ValueError(f"unknown model {name!r}; choose from {', '.join(MODEL_NAMES)}")
    return randomize_(model, seed).eval()
