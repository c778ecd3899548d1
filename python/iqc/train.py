"""Trains small BERT-style classifiers on data available offline, for
accuracy measurements of iqc's compiled models (fp32 and integer-only).

  digits: scikit-learn's bundled 8x8 handwritten digits (1797 images,
          Debian python3-sklearn). Each image is a sequence of 65 tokens:
          [CLS] then the 64 pixel intensities (0..16) as token ids 2..18.
          Seeded 80/20 train/test split (359 test examples).
  langid: which of 8 languages a dictionary word is in, from Debian's word
          lists (wamerican, wngerman, wfrench, witalian, wspanish,
          wportuguese, wdutch, wswedish in /usr/share/dict). Each word is
          [CLS] and up to 20 characters, padded (attention mask 0); words
          in several lists are dropped. 6000 training and 2000 test words
          per language (16000 test examples).

  python3 -m iqc.train --task digits -o digits-bert.onnx --split-dir split/

writes the ONNX model (inputs input_ids, attention_mask; outputs
last_hidden_state, logits), the held-out split as test_input_ids.npy,
test_attention_mask.npy, test_labels.npy, PyTorch's logits and
manifest.json with its test accuracy, and 256 training examples as
calibration data (calibration/input_0.npy, input_1.npy) for
iqc-compile --quantize=int8 --calibrate.
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
PAD = 0

LANGID_LISTS = [("en", "american-english"), ("de", "ngerman"), ("fr", "french"),
                ("it", "italian"), ("es", "spanish"), ("pt", "portuguese"),
                ("nl", "dutch"), ("sv", "swedish")]
LANGID_LEN = 20            # characters per word (longer words are cut)
LANGID_CHARS = 60          # most frequent characters; the rest share one id


def digits_dataset(seed: int):
    """(train, test) as ((ids, mask), labels) from scikit-learn's digits."""
    from sklearn.datasets import load_digits
    d = load_digits()
    pixels = d.data.astype(np.int64)                 # [1797, 64], values 0..16
    ids = np.concatenate([np.full((len(pixels), 1), CLS), pixels + 2], axis=1)
    order = np.random.default_rng(seed).permutation(len(ids))
    n_test = len(ids) // 5
    test, train = order[:n_test], order[n_test:]
    return (((ids[train], np.ones_like(ids[train])), d.target[train]),
            ((ids[test], np.ones_like(ids[test])), d.target[test]))


def langid_dataset(seed: int, train_per_lang: int = 6000, test_per_lang: int = 2000,
                   root: Path = Path("/usr/share/dict")):
    """(train, test) as ((ids, mask), labels) from Debian's word lists."""
    words = {}
    for lang, name in LANGID_LISTS:
        path = root / name
        if not path.exists():
            raise SystemExit(f"{path} is missing: install Debian's word lists "
                             "(scripts/install-deps.sh)")
        ws = {w.strip().lower() for w in path.read_text(encoding="utf-8", errors="replace").split("\n")}
        words[lang] = {w for w in ws if 3 <= len(w) and w.isalpha()}
    count = {}
    for ws in words.values():
        for w in ws:
            count[w] = count.get(w, 0) + 1
    rng = np.random.default_rng(seed)
    per_lang = []
    for lang, _ in LANGID_LISTS:
        unique = sorted(w for w in words[lang] if count[w] == 1)
        pick = rng.choice(len(unique), train_per_lang + test_per_lang, replace=False)
        per_lang.append([unique[i] for i in pick])
    chars = {}
    for ws in per_lang:
        for w in ws[:train_per_lang]:
            for c in w:
                chars[c] = chars.get(c, 0) + 1
    alphabet = [c for c, _ in sorted(chars.items(), key=lambda kv: (-kv[1], kv[0]))][:LANGID_CHARS]
    index = {c: i + 3 for i, c in enumerate(alphabet)}     # 0 pad, 1 CLS, 2 other

    def encode(ws):
        ids = np.full((len(ws), LANGID_LEN + 1), PAD, dtype=np.int64)
        ids[:, 0] = CLS
        for r, w in enumerate(ws):
            for j, c in enumerate(w[:LANGID_LEN]):
                ids[r, j + 1] = index.get(c, 2)
        return ids, (ids != PAD).astype(np.int64)

    def split(lo, hi):
        ws = [w for lw in per_lang for w in lw[lo:hi]]
        labels = np.repeat(np.arange(len(LANGID_LISTS)), hi - lo)
        return encode(ws), labels

    return split(0, train_per_lang), split(train_per_lang, train_per_lang + test_per_lang)


def fit(model, ids, mask, labels, seed: int, epochs: int, lr: float, batch: int = 64):
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    ids_t, mask_t, y_t = torch.from_numpy(ids), torch.from_numpy(mask), torch.from_numpy(labels)
    g = torch.Generator().manual_seed(seed)
    steps = epochs * ((len(ids) + batch - 1) // batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps)
    model.train()
    for epoch in range(epochs):
        perm = torch.randperm(len(ids_t), generator=g)
        for i in range(0, len(perm), batch):
            idx = perm[i:i + batch]
            _, logits = model(ids_t[idx], mask_t[idx])
            loss = F.cross_entropy(logits, y_t[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
    model.eval()


def predict(model, ids, mask, batch: int = 512):
    with torch.no_grad():
        return torch.cat([model(torch.from_numpy(ids[i:i + batch]),
                                torch.from_numpy(mask[i:i + batch]))[1]
                          for i in range(0, len(ids), batch)]).numpy()


DATASETS = {"digits": digits_dataset, "langid": langid_dataset}


def make_model(task: str):
    if task == "digits":
        return BertLike(vocab=19, hidden=64, layers=2, heads=2, intermediate=128, max_pos=65,
                        num_labels=10)
    return BertLike(vocab=LANGID_CHARS + 3, hidden=64, layers=2, heads=2, intermediate=128,
                    max_pos=LANGID_LEN + 1, num_labels=len(LANGID_LISTS))


LEARNING_RATES = {"digits": 2e-3, "langid": 3e-3}
EPOCHS = {"digits": 12, "langid": 4}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--task", choices=["digits", "langid"], default="digits")
    ap.add_argument("-o", "--output", type=Path)
    ap.add_argument("--split-dir", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=None,
                    help="training epochs (default: 12 for digits, 4 for langid)")
    ap.add_argument("--threads", type=int, default=0,
                    help="PyTorch threads (0: its default; 1 makes training repeatable "
                         "across machines, as scripts/train-classifiers.sh does)")
    ap.add_argument("--split-only", action="store_true",
                    help="only write the held-out split and calibration data (for a model "
                         "trained before, such as examples/*-bert.onnx)")
    args = ap.parse_args(argv)
    if not args.split_only and args.output is None:
        ap.error("-o/--output is required unless --split-only")
    if args.threads:
        torch.set_num_threads(args.threads)
    ((itr, mtr), ytr), ((ite, mte), yte) = DATASETS[args.task](args.seed)
    write_split(args.split_dir, itr, mtr, ite, mte, yte, args.seed)
    if args.split_only:
        print(f"wrote the {args.task} split ({len(yte)} test examples) to {args.split_dir}",
              file=sys.stderr)
        return 0
    start = time.perf_counter()
    torch.manual_seed(args.seed)
    model = make_model(args.task)
    epochs = args.epochs or EPOCHS[args.task]
    fit(model, itr, mtr, ytr, args.seed, epochs, lr=LEARNING_RATES[args.task])
    logits = predict(model, ite, mte)
    acc = float((logits.argmax(-1) == yte).mean())
    trained = time.perf_counter() - start
    spec = io_spec("bert-tiny")                      # same inputs/outputs as the BERT presets
    example = (torch.from_numpy(ite[:2]), torch.from_numpy(mte[:2]))
    export_onnx(model, example, spec, args.output, opset=14)
    np.save(args.split_dir / "torch_logits.npy", logits)
    (args.split_dir / "manifest.json").write_text(json.dumps(
        {"task": args.task, "seed": args.seed, "epochs": epochs, "test_size": int(len(yte)),
         "torch_fp32_accuracy": acc, "train_seconds": round(trained, 1)}, indent=2) + "\n")
    print(f"trained {args.task} in {trained:.1f}s: PyTorch fp32 test accuracy {acc:.4f} "
          f"on {len(yte)} held-out examples", file=sys.stderr)
    return 0


def write_split(split_dir: Path, itr, mtr, xte, mte, yte, seed: int):
    """The held-out split and 256 training examples for calibration."""
    split_dir.mkdir(parents=True, exist_ok=True)
    np.save(split_dir / "test_input_ids.npy", xte)
    np.save(split_dir / "test_attention_mask.npy", mte)
    np.save(split_dir / "test_labels.npy", yte)
    calib = split_dir / "calibration"
    calib.mkdir(exist_ok=True)
    pick = np.random.default_rng(seed + 1).choice(len(itr), min(256, len(itr)), replace=False)
    np.save(calib / "input_0.npy", itr[np.sort(pick)])
    np.save(calib / "input_1.npy", mtr[np.sort(pick)])


if __name__ == "__main__":
    sys.exit(main())
