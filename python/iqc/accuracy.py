"""Accuracy of a compiled classifier (a library from iqc-compile) on the
held-out split written by iqc.train, next to PyTorch's on the same split.

  python3 -m iqc.accuracy model.so split/

Prints the accuracies, how often the predictions agree with PyTorch's, and
the largest logit difference.
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from iqc.runtime import Model


def evaluate(library: str, split: Path, batch: int = 64):
    model = Model(library)
    ids = np.load(split / "test_input_ids.npy")
    mask = np.load(split / "test_attention_mask.npy")
    labels = np.load(split / "test_labels.npy")
    logits = np.concatenate([
        model.run(input_ids=ids[i:i + batch], attention_mask=mask[i:i + batch])["logits"]
        for i in range(0, len(ids), batch)])
    return logits, labels


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("library")
    ap.add_argument("split", type=Path)
    args = ap.parse_args(argv)
    logits, labels = evaluate(args.library, args.split)
    manifest = json.loads((args.split / "manifest.json").read_text())
    torch_logits = np.load(args.split / "torch_logits.npy")
    acc = float((logits.argmax(-1) == labels).mean())
    agree = float((logits.argmax(-1) == torch_logits.argmax(-1)).mean())
    print(f"iqc accuracy {acc:.4f}, PyTorch fp32 accuracy {manifest['torch_fp32_accuracy']:.4f} "
          f"on {len(labels)} held-out examples; predictions agree on {agree * 100:.2f}%; "
          f"max logit difference {np.abs(logits - torch_logits).max():.2e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
