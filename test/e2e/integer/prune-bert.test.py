"""Compacted token pruning against the masked-form numpy reference.
Usage: prune-bert.test.py <bin dir> <work dir> [iqc-compile flags...]"""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from iqc.intmodel import IntBert, OnnxBert, prune_threshold
from iqc.testing import Checks

bindir, work = Path(sys.argv[1]), Path(sys.argv[2])
flags = sys.argv[3:]
work.mkdir(parents=True)
py = sys.executable
subprocess.run([py, "-m", "iqc.export", "-m", "bert-mini", "--opset", "14", "-o", work / "m.onnx",
                "--batch", "3", "--seq", "20", "--seed", "3", "--write-reference", work / "ref"],
               check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
rng = np.random.default_rng(8)
(work / "calib").mkdir()
np.save(work / "calib" / "input_0.npy", rng.integers(0, 1000, (8, 20)))
np.save(work / "calib" / "input_1.npy", np.ones((8, 20), np.int64))
compile_ = lambda out, *extra: subprocess.run(
    [bindir / "iqc-compile", work / "m.onnx", "--quantize=int8", "-o", work / out, *flags, *extra],
    check=True)
compile_("base.so", "--calibrate", work / "calib", "--write-ranges", work / "r.json")
thresholds = [0, 0.047, 0.05, 0]
compile_("pruned.so", "--ranges", work / "r.json", "--prune-report",
         "--prune-thresholds=" + ",".join(map(str, thresholds)))
compile_("zero.so", "--ranges", work / "r.json", "--prune-final-threshold=0")
compile_("report.so", "--ranges", work / "r.json", "--prune-report")


def run(name, model=None, *extra_inputs):
    """Runs `model` (default <name>.so) on the reference inputs (and
    `extra_inputs`), outputs in out-<name>."""
    out = work / ("out-" + name)
    inputs = [work / "ref" / "input_0.npy", work / "ref" / "input_1.npy", *extra_inputs]
    subprocess.run([bindir / "iqc-run", model or work / (name + ".so"), "-q", "--output-dir", out,
                    *(a for i in inputs for a in ("-i", i))], check=True)
    return {p.stem: np.load(p) for p in out.glob("*.npy")}


ids = np.load(work / "ref" / "input_0.npy")
mask = np.load(work / "ref" / "input_1.npy")
weights = OnnxBert(work / "m.onnx")
points = json.loads((work / "r.json").read_text())["points"]


def reference(thetas):
    """The masked-form numpy model: (hidden, logits, kept [B, layers])."""
    ref = IntBert(weights, points, heads=4, thresholds=thetas)
    hidden, logits = ref(ids, mask)
    return hidden, logits, np.stack(ref.kept, axis=1)


hidden, logits, kept = reference(thresholds)
check = Checks()
got = run("pruned")
check(np.array_equal(got["kept_tokens"], kept) and kept[:, -1].max() < mask.sum(1).min(),
      f"kept tokens per layer: {got['kept_tokens'].tolist()} (reference {kept.tolist()})")
check(np.array_equal(got["logits"], logits), "logits (from CLS) bit-exact with the masked form")
check(np.array_equal(got["last_hidden_state"], hidden),
      "last_hidden_state bit-exact (pruned positions 0)")
# Pruning in the first layer too, and a layer with threshold 0 between
# pruned ones (it keeps what it is given).
thresholds2 = [0.045, 0.047, 0, 0.05]
compile_("first.so", "--ranges", work / "r.json", "--prune-report",
         "--prune-thresholds=" + ",".join(map(str, thresholds2)))
hidden2, logits2, kept2 = reference(thresholds2)
got2 = run("first")
check(np.array_equal(got2["kept_tokens"], kept2) and (kept2[:, 0] < mask.sum(1)).any()
      and np.array_equal(kept2[:, 2], kept2[:, 1]),
      f"first layer pruning: kept {got2['kept_tokens'].tolist()} (reference {kept2.tolist()})")
check(np.array_equal(got2["logits"], logits2) and
      np.array_equal(got2["last_hidden_state"], hidden2),
      "first layer pruning: logits and last_hidden_state bit-exact")
# The same model with run-time thresholds (the library takes the per-layer
# fixed-point thresholds round(max(1e-5, θ) 2^40) as an input; layer 0
# never prunes): the thresholds above give the same result, and all
# thresholds 0 go through compaction (padding is dropped) yet reproduce the
# unpruned model.
subprocess.run([bindir / "iqc-compile", work / "m.onnx", "--quantize=int8", "--ranges",
                work / "r.json", "--emit=iq", "-o", work / "iq.mlir"], check=True)
subprocess.run([bindir / "iqc-opt", work / "iq.mlir", "-o", work / "rt.mlir", "--pass-pipeline="
                "builtin.module(func.func(iq-prune-tokens{runtime-thresholds=true report-kept=true}))"],
               check=True)


def run_rt(name, thetas):
    np.save(work / (name + ".npy"), np.array([prune_threshold(t) for t in thetas], np.int64))
    return run(name, work / "rt.mlir", work / (name + ".npy"))


rt = run_rt("rt-thresholds", thresholds)
check(np.array_equal(rt["kept_tokens"], kept) and np.array_equal(rt["logits"], logits) and
      np.array_equal(rt["last_hidden_state"], hidden),
      "run-time thresholds: same kept tokens, logits and last_hidden_state")
base, zero, report = run("base"), run("zero"), run("report")
rt0 = run_rt("rt-zero", [0, 0, 0, 0])
real = mask.astype(bool)
check(mask.sum(1).min() < mask.shape[1] and np.array_equal(rt0["logits"], base["logits"]) and
      np.array_equal(rt0["last_hidden_state"][real], base["last_hidden_state"][real]) and
      not rt0["last_hidden_state"][~real].any() and
      np.array_equal(rt0["kept_tokens"], np.repeat(mask.sum(1)[:, None], 4, axis=1)),
      "run-time thresholds 0 (compacted): logits and real tokens' hidden states identical "
      "to unpruned, padding 0")
for name in ("last_hidden_state", "logits"):
    check(np.array_equal(zero[name], base[name]), f"threshold 0: {name} identical to unpruned")
check(np.array_equal(report["logits"], base["logits"]) and
      np.array_equal(report["last_hidden_state"], base["last_hidden_state"]) and
      np.array_equal(report["kept_tokens"], np.repeat(mask.sum(1)[:, None], 4, axis=1)),
      "report only: same outputs, kept_tokens = unpadded lengths")
check.finish()
