"""Accuracy against FLOPs for learned token pruning on a trained classifier:
LTP's masked form in fp32 (PyTorch, iqc.ltp.FloatBert) next to iqc's
integer-only model that physically compacts the sequence (iqc-compile
--quantize=int8 --prune-thresholds), for several thresholds, on the
held-out split iqc.train writes.

  python3 -m iqc.prune_table examples/digits-bert.onnx split/ --heads 2 \\
      --thresholds 0,0.005,0.01,0.02 --work /tmp/digits-prune

Every layer uses the same threshold theta (the first layer prunes too:
with few layers the schedule theta l / N leaves little to prune). The
FLOPs ratio counts the encoder layers' multiply-adds on the unpadded
tokens against the unpruned model's, so that removing padding does not
count; "kept" is the mean number of tokens per example after each layer.
The int8 model is calibrated once on split/calibration (its ranges are
reused for every threshold).
"""

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np

from iqc.intmodel import OnnxBert
from iqc.ltp import FloatBert, flops_ratio
from iqc.runtime import Model


def run_library(library: Path, ids, mask, batch: int):
    model = Model(str(library))
    logits, kept = [], []
    for i in range(0, len(ids), batch):
        out = model.run(input_ids=ids[i:i + batch], attention_mask=mask[i:i + batch])
        logits.append(out["logits"])
        kept.append(out["kept_tokens"])
    return np.concatenate(logits), np.concatenate(kept)


def run_masked(fb: FloatBert, ids, mask, thresholds, batch: int):
    logits, kept = [], []
    for i in range(0, len(ids), batch):
        _, l, k = fb(ids[i:i + batch], mask[i:i + batch], thresholds)
        logits.append(l)
        kept.append(k)
    return np.concatenate(logits), np.concatenate(kept)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", type=Path, help="a BertLike classifier (iqc.train)")
    ap.add_argument("split", type=Path, help="its held-out split (iqc.train --split-dir)")
    ap.add_argument("--heads", type=int, required=True)
    ap.add_argument("--thresholds", required=True,
                    help="comma-separated thresholds; 0 is the unpruned model")
    ap.add_argument("--work", type=Path, required=True, help="directory for the libraries")
    ap.add_argument("--iqc-compile", default=shutil.which("iqc-compile") or "iqc-compile")
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--title", default=None)
    args = ap.parse_args(argv)

    thetas = [float(t) for t in args.thresholds.split(",")]
    ids = np.load(args.split / "test_input_ids.npy")
    mask = np.load(args.split / "test_attention_mask.npy")
    labels = np.load(args.split / "test_labels.npy")
    weights = OnnxBert(args.model)
    fb = FloatBert(weights, heads=args.heads)
    d, d_ff, layers = fb.hidden, fb.intermediate, weights.layers
    args.work.mkdir(parents=True, exist_ok=True)
    ranges = args.work / "ranges.json"

    def compile_(out: Path, *flags):
        subprocess.run([args.iqc_compile, args.model, "--quantize=int8", "--prune-report",
                        "-o", out, *flags], check=True)

    rows = []
    for i, theta in enumerate(thetas):
        per_layer = [theta] * layers
        lib = args.work / f"int8-{theta:g}.so"
        # The first library calibrates and saves the ranges; the others reuse them.
        quant = (["--calibrate", args.split / "calibration", "--write-ranges", ranges] if i == 0
                 else ["--ranges", ranges])
        compile_(lib, *quant, "--prune-thresholds=" + ",".join(f"{t:g}" for t in per_layer))
        row = {"theta": theta}
        for name, (logits, kept) in (
                ("fp32", run_masked(fb, ids, mask, per_layer, args.batch)),
                ("int8", run_library(lib, ids, mask, args.batch))):
            row[name] = (float((logits.argmax(-1) == labels).mean()),
                         flops_ratio(d, d_ff, mask, kept), kept.mean(0))
        rows.append(row)

    title = args.title or args.model.stem
    lengths = mask.astype(bool).sum(1)
    print(f"\n{title}: {len(labels)} held-out examples, {layers} layers, d {d}, d_ff {d_ff}, "
          f"mean length {lengths.mean():.1f} of {mask.shape[1]}")
    print("| theta | fp32-masked acc | FLOPs | kept per layer | int8-compacted acc | FLOPs | "
          "kept per layer |")
    print("|---:|---:|---:|---|---:|---:|---|")
    for row in rows:
        cells = [f"{row['theta']:g}"]
        for name in ("fp32", "int8"):
            acc, ratio, kept = row[name]
            cells += [f"{acc * 100:.2f}", f"{1 / ratio:.2f}x",
                      " / ".join(f"{k:.1f}" for k in kept)]
        print("| " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
