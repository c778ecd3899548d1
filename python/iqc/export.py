# Command-line ONNX exporter for the iqc reference models (plus expected-op counts and reference I/O).
"""Export an iqc reference model to ONNX.

Usage (always with Debian's interpreter, which sees torch 1.13 / onnx 1.12):

  /usr/bin/python3 python/iqc/export.py --model bert-tiny --opset 14 -o /tmp/bert-tiny.onnx
  PYTHONPATH=python /usr/bin/python3 -m iqc.export -m squeezeformer-xs --opset 17 -o sq.onnx \
      --write-reference /tmp/sq-ref
  /usr/bin/python3 python/iqc/export.py --model torch-encoder --expected-counts

Options:
  --model/-m NAME        bert-tiny | bert-mini | bert-base | torch-encoder | squeezeformer-xs
  --opset N              13 | 14 | 17 (default 14)
  -o/--output PATH       ONNX file to write (checked with onnx.checker afterwards)
  --seed N               weight and reference-input seed (default 0)
  --batch B --seq S      example input shape used for tracing / reference data (default 1, 16;
                         for squeezeformer-xs S is the number of feature frames)
  --external-data        store weights in PATH's basename + ".data" next to the model
  --expected-counts      print a JSON object of op counts derived from the torch module
  --write-reference DIR  write input_<i>.npy / output_<i>.npy and manifest.json into DIR

Batch and sequence/time dimensions are exported as dynamic axes. Logging goes to stderr so
that --expected-counts leaves clean JSON on stdout.
"""

import argparse
import json
import io
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Tuple

if __package__ in (None, ""):
    # Run as a script: make the `iqc` package (python/iqc) importable.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from torch import nn

from iqc.models import MODEL_NAMES, Swish, build_model

OPSETS = (13, 14, 17)


# --------------------------------------------------------------------------------------
# Per-model I/O specification
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class IOSpec:
    input_names: List[str]
    output_names: List[str]
    dynamic_axes: Dict[str, Dict[int, str]]
    make_inputs: Callable[[nn.Module, int, int, torch.Generator], Tuple[torch.Tensor, ...]]


def _bert_inputs(model, batch, seq, g):
    input_ids = torch.randint(0, model.config.vocab, (batch, seq), generator=g, dtype=torch.long)
    # Each row keeps a random valid prefix of length in [ceil(S/2), S]; the rest is padding,
    # so the additive attention mask is exercised by reference data.
    lengths = torch.randint((seq + 1) // 2, seq + 1, (batch,), generator=g)
    attention_mask = (torch.arange(seq)[None, :] < lengths[:, None]).to(torch.long)
    return input_ids, attention_mask


def _float_inputs(feat):
    def make(model, batch, seq, g):
        return (torch.randn((batch, seq, feat), generator=g),)
    return make


_BS = {0: "batch", 1: "sequence"}

IO_SPECS = {
    "bert": IOSpec(["input_ids", "attention_mask"], ["last_hidden_state", "logits"],
                   {"input_ids": _BS, "attention_mask": _BS, "last_hidden_state": _BS,
                    "logits": {0: "batch"}},
                   _bert_inputs),
    "torch-encoder": IOSpec(["src"], ["output"], {"src": _BS, "output": _BS}, _float_inputs(64)),
    "squeezeformer-xs": IOSpec(["features"], ["encoded"],
                               {"features": {0: "batch", 1: "time"},
                                "encoded": {0: "batch", 1: "time_subsampled"}},
                               _float_inputs(80)),
}


def io_spec(name: str) -> IOSpec:
    return IO_SPECS["bert" if name.startswith("bert-") else name]


# --------------------------------------------------------------------------------------
# Expected op counts (torch-module introspection only; the ONNX file is never consulted)
# --------------------------------------------------------------------------------------

def expected_counts(model: nn.Module) -> Dict[str, int]:
    """Count op-level building blocks by walking `model.modules()`.

    What is counted:
      layer_norm: nn.LayerNorm modules.
      gelu:       nn.GELU modules, plus one per nn.TransformerEncoderLayer whose activation is
                  the functional F.gelu (activation="gelu" stores a function, not a submodule).
      linear:     nn.Linear modules (includes pooler/classifier and nn.MultiheadAttention's
                  out_proj, which is an nn.Linear subclass), plus 3 per nn.MultiheadAttention for
                  its packed Q/K/V in-projection. Note the exporter emits that packed in-projection
                  as ONE MatMul(+Add) with a [E, 3E] weight, so the ONNX graph has 2 fewer
                  MatMuls per MHA than this count.
      swish:      iqc.models.Swish (x * sigmoid(x)) and nn.SiLU modules. The GLU in the
                  Squeezeformer conv module (a * sigmoid(b)) is NOT a swish and not counted.
      conv:       nn.Conv1d/2d/3d modules (any _ConvNd, depthwise and pointwise alike).
      batch_norm: nn.BatchNorm1d/2d/3d modules (any _BatchNorm), whether or not the exporter
                  later folds them into the preceding Conv.
      packed_qkv: nn.MultiheadAttention modules (each exports its 3 Q/K/V linears as one).
    Functional ops written inline in forward() (softmax, tanh via nn.Tanh, ReLU, matmuls of
    attention) are not part of this object.
    """
    counts = {"layer_norm": 0, "gelu": 0, "linear": 0, "swish": 0, "conv": 0, "batch_norm": 0,
              "packed_qkv": 0}
    for m in model.modules():
        if isinstance(m, nn.LayerNorm):
            counts["layer_norm"] += 1
        elif isinstance(m, nn.GELU):
            counts["gelu"] += 1
        elif isinstance(m, nn.Linear):
            counts["linear"] += 1
        elif isinstance(m, nn.MultiheadAttention):
            counts["linear"] += 3
            counts["packed_qkv"] += 1
        elif isinstance(m, (Swish, nn.SiLU)):
            counts["swish"] += 1
        elif isinstance(m, nn.modules.conv._ConvNd):
            counts["conv"] += 1
        elif isinstance(m, nn.modules.batchnorm._BatchNorm):
            counts["batch_norm"] += 1
        elif isinstance(m, nn.TransformerEncoderLayer) and m.activation is F.gelu:
            counts["gelu"] += 1
    return counts


# --------------------------------------------------------------------------------------
# Export, check, reference data
# --------------------------------------------------------------------------------------

def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def export_onnx(model: nn.Module, inputs: Tuple[torch.Tensor, ...], spec: IOSpec, path: Path,
                opset: int, external_data: bool = False) -> Tuple[float, float]:
    """torch.onnx.export with dynamic axes and constant folding, then onnx.checker.

    Returns (export seconds, check seconds).

    Deliberately NOT under torch.no_grad(): with autograd off, nn.TransformerEncoder and
    nn.MultiheadAttention in eval mode dispatch to fused fast-path kernels that the ONNX
    exporter cannot translate.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    kwargs = dict(input_names=spec.input_names, output_names=spec.output_names,
                  dynamic_axes=spec.dynamic_axes, opset_version=opset,
                  do_constant_folding=True)
    if not external_data:
        torch.onnx.export(model, inputs, str(path), **kwargs)
    else:
        buf = io.BytesIO()
        torch.onnx.export(model, inputs, buf, **kwargs)
        proto = onnx.load_model_from_string(buf.getvalue())
        location = path.name + ".data"
        data_path = path.parent / location
        if data_path.exists():
            data_path.unlink()  # onnx appends to an existing external-data file
        onnx.save_model(proto, str(path), save_as_external_data=True,
                        all_tensors_to_one_file=True, location=location)
    exported = time.perf_counter()
    # Checking by path lets the checker resolve external data files.
    onnx.checker.check_model(str(path))
    return exported - start, time.perf_counter() - exported


def torch_outputs(model: nn.Module, inputs: Tuple[torch.Tensor, ...]) -> List[torch.Tensor]:
    """Run the model on the same (non-fast-path) code path that export traces."""
    outs = model(*inputs)
    if isinstance(outs, torch.Tensor):
        outs = (outs,)
    return [o.detach() for o in outs]


def write_reference(out_dir: Path, name: str, seed: int, model: nn.Module,
                    inputs: Tuple[torch.Tensor, ...], spec: IOSpec) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs = torch_outputs(model, inputs)
    manifest = {"model": name, "seed": seed, "inputs": [], "outputs": []}
    for kind, names, tensors in (("input", spec.input_names, inputs),
                                 ("output", spec.output_names, outputs)):
        for i, (tname, t) in enumerate(zip(names, tensors)):
            fname = f"{kind}_{i}.npy"
            arr = t.cpu().numpy()
            np.save(out_dir / fname, arr)
            manifest[kind + "s"].append({"name": tname, "file": fname, "dtype": str(arr.dtype),
                                         "shape": list(arr.shape)})
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description="Export an iqc reference model to ONNX.")
    p.add_argument("--model", "-m", required=True, choices=MODEL_NAMES)
    p.add_argument("--opset", type=int, default=14, choices=OPSETS)
    p.add_argument("-o", "--output", type=Path, help="ONNX file to write")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--seq", type=int, default=16,
                   help="sequence length (feature frames for squeezeformer-xs)")
    p.add_argument("--external-data", action="store_true",
                   help="save weights to <output basename>.data next to the model")
    p.add_argument("--expected-counts", action="store_true",
                   help="print expected op counts (from the torch module) as JSON on stdout")
    p.add_argument("--write-reference", type=Path, metavar="DIR",
                   help="write seeded inputs, torch outputs and manifest.json into DIR")
    args = p.parse_args(argv)
    if not (args.output or args.expected_counts or args.write_reference):
        p.error("nothing to do: give -o, --expected-counts and/or --write-reference")
    if args.batch < 1 or args.seq < 1:
        p.error("--batch and --seq must be positive")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    model = build_model(args.model, args.seed)
    spec = io_spec(args.model)
    inputs = spec.make_inputs(model, args.batch, args.seq, torch.Generator().manual_seed(args.seed))

    if args.expected_counts:
        print(json.dumps(expected_counts(model)), flush=True)
    if args.output:
        t_export, t_check = export_onnx(model, inputs, spec, args.output, args.opset,
                                        args.external_data)
        size = args.output.stat().st_size
        data = args.output.parent / (args.output.name + ".data")
        if args.external_data and data.exists():
            size += data.stat().st_size
        _log(f"exported {args.model} (opset {args.opset}) to {args.output}: "
             f"{size / 2**20:.1f} MiB, export {t_export:.1f}s, onnx.checker OK in {t_check:.1f}s")
    if args.write_reference:
        write_reference(args.write_reference, args.model, args.seed, model, inputs, spec)
        _log(f"wrote reference inputs/outputs to {args.write_reference}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
