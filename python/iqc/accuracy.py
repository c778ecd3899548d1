"""Accuracy of a compiled classifier (a library from iqc-compile) on the
held-out split written by iqc.train, next to PyTorch's (when the split has
its logits) and next to a reference library's (the same model compiled in
fp32, say).

  python3 -m iqc.accuracy model.so split/
  python3 -m iqc.accuracy int8.so split/ --reference fp32.so --max-diff 0.5

Prints the accuracies, how often the predictions agree and the largest
logit difference; with --max-diff, exits 1 when the accuracy differs from
the reference's by more than that many percentage points.
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from iqc.runtime import Model


def evaluate(library: str, split: Path, batch: int = 256):
    model = Model(library)
    ids = np.load(split / "test_input_ids.npy")
    mask = np.load(split / "test_attention_mask.npy")
    labels = np.load(split / "test_labels.npy")
    logits = np.concatenate([
        model.run(input_ids=ids[i:i + batch], attention_mask=mask[i:i + batch])["logits"]
        for i in range(0, len(ids), batch)])
    return logits, labels


def compare(logits, other, other_name: str) -> str:
    agree = float((logits.argmax(-1) == other.argmax(-1)).mean())
    return (f"predictions agree with {other_name} on {agree * 100:.2f}%, "
            f"max logit difference {np.abs(logits - other).max():.2e}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("library")
    ap.add_argument("split", type=Path)
    ap.add_argument("--reference", help="a second library to compare with (e.g. fp32)")
    ap.add_argument("--max-diff", type=float, default=None,
                    help="fail if the accuracy differs from the reference's by more "
                         "than this many points")
    args = ap.parse_args(argv)
    logits, labels = evaluate(args.library, args.split)
    acc = float((logits.argmax(-1) == labels).mean())
    line = f"iqc accuracy {acc:.4f}"
    manifest = args.split / "manifest.json"
    if manifest.exists():
        line += f", PyTorch fp32 accuracy {json.loads(manifest.read_text())['torch_fp32_accuracy']:.4f}"
    line += f" on {len(labels)} held-out examples"
    torch_logits = args.split / "torch_logits.npy"
    if torch_logits.exists():
        line += "; " + compare(logits, np.load(torch_logits), "PyTorch")
    print(line)
    if not args.reference:
        return 0
    ref_logits, _ = evaluate(args.reference, args.split)
    ref_acc = float((ref_logits.argmax(-1) == labels).mean())
    diff = (acc - ref_acc) * 100
    print(f"reference accuracy {ref_acc:.4f}; difference {diff:+.2f} points; "
          + compare(logits, ref_logits, "the reference"))
    if args.max_diff is not None and abs(diff) > args.max_diff:
        print(f"error: the accuracies differ by {abs(diff):.2f} > {args.max_diff} points")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
