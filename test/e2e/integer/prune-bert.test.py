"""Compacted token pruning against the masked-form numpy reference.
Usage: prune-bert.test.py <bin dir> <work dir> [iqc-compile flags...]"""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from iqc.intmodel import IntBert, OnnxBert
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


def run(lib):
    out = work / ("out-" + lib)
    subprocess.run([bindir / "iqc-run", work / (lib + ".so"), "-q", "--output-dir", out,
                    "-i", work / "ref" / "input_0.npy", "-i", work / "ref" / "input_1.npy"], check=True)
    return {p.stem: np.load(p) for p in out.glob("*.npy")}


ids = np.load(work / "ref" / "input_0.npy")
mask = np.load(work / "ref" / "input_1.npy")
ref = IntBert(OnnxBert(work / "m.onnx"), json.loads((work / "r.json").read_text())["points"],
              heads=4, thresholds=thresholds)
hidden, logits = ref(ids, mask)
kept = np.stack(ref.kept, axis=1)
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
ref2 = IntBert(OnnxBert(work / "m.onnx"), json.loads((work / "r.json").read_text())["points"],
               heads=4, thresholds=thresholds2)
hidden2, logits2 = ref2(ids, mask)
kept2 = np.stack(ref2.kept, axis=1)
got2 = run("first")
check(np.array_equal(got2["kept_tokens"], kept2) and (kept2[:, 0] < mask.sum(1)).any()
      and np.array_equal(kept2[:, 2], kept2[:, 1]),
      f"first layer pruning: kept {got2['kept_tokens'].tolist()} (reference {kept2.tolist()})")
check(np.array_equal(got2["logits"], logits2) and
      np.array_equal(got2["last_hidden_state"], hidden2),
      "first layer pruning: logits and last_hidden_state bit-exact")
base, zero, report = run("base"), run("zero"), run("report")
for name in ("last_hidden_state", "logits"):
    check(np.array_equal(zero[name], base[name]), f"threshold 0: {name} identical to unpruned")
check(np.array_equal(report["logits"], base["logits"]) and
      np.array_equal(report["last_hidden_state"], base["last_hidden_state"]) and
      np.array_equal(report["kept_tokens"], np.repeat(mask.sum(1)[:, None], 4, axis=1)),
      "report only: same outputs, kept_tokens = unpadded lengths")
check.finish()
