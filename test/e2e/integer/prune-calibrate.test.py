"""Calibrated token-pruning thresholds: the threshold iqc-compile picks for a
target means what it reports. Usage: prune-calibrate.test.py <bin dir> <work dir>

- int8, --prune-target-flops=0.5 on the --calibrate samples: the numpy
  integer reference (iqc.intmodel) with the schedule theta l / N keeps the
  same tokens as the compiled library; the FLOPs ratio computed from those
  counts (iqc.ltp.model_macs) is at most 0.5, is what iqc-compile printed,
  and a slightly smaller theta would not reach the target;
- fp32, --prune-target-keep=0.6 on separate --prune-calibrate samples: the
  PyTorch masked form (iqc.ltp.FloatBert) at the printed theta keeps at most
  0.6 of the token-layers, the printed ratio."""
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

from iqc.intmodel import IntBert, OnnxBert
from iqc.ltp import FloatBert, flops_ratio
from iqc.testing import Checks

bindir, work = Path(sys.argv[1]), Path(sys.argv[2])
work.mkdir(parents=True)
py = sys.executable
subprocess.run([py, "-m", "iqc.export", "-m", "bert-mini", "--opset", "14", "-o", work / "m.onnx",
                "--batch", "3", "--seq", "20", "--seed", "3"],
               check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
rng = np.random.default_rng(8)
for name in ("calib", "prune"):
    (work / name).mkdir()
    mask = np.ones((8, 20), np.int64)
    mask[4:, 13 + (name == "prune"):] = 0  # half the examples padded
    np.save(work / name / "input_0.npy", rng.integers(0, 1000, (8, 20)))
    np.save(work / name / "input_1.npy", mask)
N, L = 4, 20


def compile_(out, *extra):
    r = subprocess.run([bindir / "iqc-compile", work / "m.onnx", "-o", work / out, "--prune-report",
                        *extra], check=True, capture_output=True, text=True)
    print(r.stderr, end="")
    m = re.search(r"final threshold (\S+) keeps (\S+) of the tokens and (\S+) of the "
                  r"multiply-adds", r.stderr)
    return float(m[1]), float(m[2]), float(m[3])


def kept_tokens(lib, data):
    out = work / ("out-" + lib)
    subprocess.run([bindir / "iqc-run", work / lib, "-q", "--output-dir", out,
                    "-i", data / "input_0.npy", "-i", data / "input_1.npy"], check=True)
    return np.load(out / "kept_tokens.npy")


weights = OnnxBert(work / "m.onnx")
fb = FloatBert(weights, heads=4)
d, d_ff = fb.hidden, fb.intermediate
schedule = lambda theta: [theta * l / N for l in range(N)]
flops = lambda kept: flops_ratio(d, d_ff, mask, kept)
check = Checks()

# int8, FLOPs target, quantization samples.
theta, keep, ratio = compile_("int8.so", "--quantize=int8", "--calibrate", work / "calib",
                              "--write-ranges", work / "r.json", "--prune-target-flops=0.5")
ids, mask = (np.load(work / "calib" / f"input_{i}.npy") for i in (0, 1))
points = json.loads((work / "r.json").read_text())["points"]
reference = lambda th: np.stack((ref := IntBert(weights, points, heads=4, thresholds=schedule(th)),
                                 ref(ids, mask))[0].kept, axis=1)
got = kept_tokens("int8.so", work / "calib")
want = reference(theta)
check(np.array_equal(got, want), f"int8: theta {theta:.6f} keeps {got.sum(0).tolist()} tokens per "
      f"layer, as the numpy reference (kept {want.sum(0).tolist()})")
r = flops(want)
check(r <= 0.5 and abs(r - ratio) < 1e-3 and abs(want.sum() / (mask.sum() * N) - keep) < 1e-3,
      f"int8: FLOPs ratio {r:.3f} <= 0.5, as printed ({ratio}); keep ratio as printed ({keep})")
check(flops(reference(theta * 0.98)) > 0.5, "int8: theta * 0.98 does not reach the target")

# fp32, keep-ratio target, separate pruning samples.
theta, keep, ratio = compile_("fp32.so", "--prune-target-keep=0.6", "--prune-calibrate", work / "prune")
ids, mask = (np.load(work / "prune" / f"input_{i}.npy") for i in (0, 1))
got = kept_tokens("fp32.so", work / "prune")
want = fb(ids, mask, schedule(theta))[2]
k = want.sum() / (mask.sum() * N)
check(np.array_equal(got, want) and k <= 0.6 and abs(k - keep) < 1e-3 and abs(flops(want) - ratio) < 1e-3,
      f"fp32: theta {theta:.6f} keeps {k:.3f} <= 0.6 of the token-layers, as printed ({keep}) and as "
      f"PyTorch's masked form")
check(fb(ids, mask, schedule(theta * 0.98))[2].sum() / (mask.sum() * N) > 0.6,
      "fp32: theta * 0.98 does not reach the target")
check.finish()
