"""Trains small BERT-style classifiers on data available offline, for
accuracy measurements of iqc's compiled models (fp32 now, integer-only
later).

  digits: scikit-learn's bundled 8x8 handwritten digits (1797 images,
          Debian python3-sklearn). Each image is a sequence of 65 tokens:
          [CLS] then the 64 pixel intensities (0..16) as token ids 2..18.
          Seeded 80/20 train/test split.

  python3 -m iqc.train --task digits -o digits-bert.onnx --split-dir split/

writes the ONNX model (inputs input_ids, attention_mask; outputs
last_hidden_state, logits) and the held-out split as test_input_ids.npy,
test_attention_mask.npy, test_labels.npy plus manifest.json with PyTorch's
test accuracy.
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from iqc.export import export_onnx, io_spec
from iqc.models import BertLike

CLS = 1


def digits_dataset(seed: int):
    from sklearn.datasets import load_digits
    d = load_digits()
    pixels = d.data.astype(np.int64)                 # [1797, 64], values 0..16
    ids = np.concatenate([np.full((len(pixels), 1), CLS), pixels + 2], axis=1)
    order = np.random.default_rng(seed).permutation(len(ids))
    n_test = len(ids) // 5
    test, train = order[:n_test], order[n_test:]
    return (ids[train], d.target[train]), (ids[test], d.target[test])


def train_digits(seed: int, epochs: int):
    torch.manual_seed(seed)
    (xtr, ytr), (xte, yte) = digits_dataset(seed)
    model = BertLike(vocab=19, hidden=64, layers=2, heads=2, intermediate=128, max_pos=65,
                     num_labels=10)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
    xtr_t, ytr_t = torch.from_numpy(xtr), torch.from_numpy(ytr)
    mask = torch.ones_like(xtr_t)
    g = torch.Generator().manual_seed(seed)
    model.train()
    for epoch in range(epochs):
        perm = torch.randperm(len(xtr_t), generator=g)
        for i in range(0, len(perm), 64):
            idx = perm[i:i + 64]
            _, logits = model(xtr_t[idx], mask[idx])
            loss = F.cross_entropy(logits, ytr_t[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.eval()
    with torch.no_grad():
        _, logits = model(torch.from_numpy(xte), torch.ones(xte.shape, dtype=torch.int64))
    acc = float((logits.argmax(-1).numpy() == yte).mean())
    return model, (xte, yte), acc, logits.numpy()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--task", choices=["digits"], default="digits")
    ap.add_argument("-o", "--output", type=Path, required=True)
    ap.add_argument("--split-dir", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=12)
    args = ap.parse_args(argv)
    start = time.perf_counter()
    model, (xte, yte), acc, logits = train_digits(args.seed, args.epochs)
    trained = time.perf_counter() - start
    spec = io_spec("bert-tiny")                      # same inputs/outputs as the BERT presets
    example = (torch.from_numpy(xte[:2]), torch.ones((2, xte.shape[1]), dtype=torch.int64))
    export_onnx(model, example, spec, args.output, opset=14)
    args.split_dir.mkdir(parents=True, exist_ok=True)
    np.save(args.split_dir / "test_input_ids.npy", xte)
    np.save(args.split_dir / "test_attention_mask.npy", np.ones_like(xte))
    np.save(args.split_dir / "test_labels.npy", yte)
    np.save(args.split_dir / "torch_logits.npy", logits)
    (args.split_dir / "manifest.json").write_text(json.dumps(
        {"task": args.task, "seed": args.seed, "epochs": args.epochs, "test_size": int(len(yte)),
         "torch_fp32_accuracy": acc, "train_seconds": round(trained, 1)}, indent=2) + "\n")
    print(f"trained {args.task} in {trained:.1f}s: PyTorch fp32 test accuracy {acc:.4f} "
          f"on {len(yte)} held-out examples", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
