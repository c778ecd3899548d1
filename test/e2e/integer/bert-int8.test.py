"""Whole-model bit-exactness of the integer-only BERT. Usage:
bert-int8.test.py <bin dir> <model.onnx> <work dir> [iqc-compile flags...]

Calibrates the model through iqc-compile, compiles it with the calibrated
ranges and two distorted copies of them, runs each library and compares
both outputs with iqc.intmodel, which implements docs/Quantization.md and
shared/INTEGER-KERNELS.md in numpy. The float model is not involved: the
comparison is exact (the outputs are float32(q) * float32(S))."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from iqc.intmodel import IntBert, OnnxBert
from iqc.testing import Checks
from iqc import float_check

bindir, model, work = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
flags = sys.argv[4:]            # e.g. --mcpu=native: the AVX-512 VNNI kernels
work.mkdir(parents=True)
rng = np.random.default_rng(4)


def save_inputs(d, ids, mask):
    d.mkdir()
    np.save(d / "input_0.npy", ids.astype(np.int64))
    np.save(d / "input_1.npy", mask.astype(np.int64))


# Calibration: 8 sequences of 32 tokens, full masks.
save_inputs(work / "calib", rng.integers(0, 1000, (8, 32)), np.ones((8, 32)))
# Test inputs: 3 sequences of 20: full, padded after 11, and all-masked.
ids = rng.integers(0, 1000, (3, 20))
mask = np.ones((3, 20), dtype=np.int64)
mask[1, 11:] = 0
mask[2, :] = 0
save_inputs(work / "test", ids, mask)

subprocess.run([bindir / "iqc-compile", model, "--quantize=int8", "--calibrate", work / "calib",
                "--write-ranges", work / "calibrated.json", "-o", work / "calibrated.so", *flags],
               check=True)
ranges = json.loads((work / "calibrated.json").read_text())
for variant, factor in (("narrow", 0.05), ("wide", 40.0)):
    r = json.loads(json.dumps(ranges))
    for p in r["points"].values():
        p["min"] *= factor
        p["max"] *= factor
        if "row_sum_squares" in p:
            p["row_sum_squares"] *= factor * factor
    (work / f"{variant}.json").write_text(json.dumps(r))
    subprocess.run([bindir / "iqc-compile", model, "--quantize=int8", "--ranges",
                    work / f"{variant}.json", "-o", work / f"{variant}.so", *flags], check=True)

weights = OnnxBert(model)
check = Checks()
for variant in ("calibrated", "narrow", "wide"):
    out = work / f"out-{variant}"
    subprocess.run([bindir / "iqc-run", work / f"{variant}.so", "--test-dir", work / "test", "-q",
                    "--output-dir", out], check=True)
    points = json.loads((work / f"{variant}.json").read_text())["points"]
    ref = IntBert(weights, points, heads=2)
    hidden, logits = ref(ids, mask)
    for name, exp in (("last_hidden_state", hidden), ("logits", logits)):
        got = np.load(out / f"{name}.npy")
        diff = int(np.sum(got != exp))
        check(got.shape == exp.shape and diff == 0,
              f"{variant} {name}: {diff} of {exp.size} differ (max abs {np.max(np.abs(got - exp)):.3g})")
    if variant == "calibrated":
        rc = float_check.main([str(work / "calibrated.so"), "--prefix", "bert_tiny"])
        check(rc == 0, "calibrated integer-only body (iqc.float_check)")
    if variant == "narrow":
        # Too narrow ranges saturate the int8 hidden state.
        s = max(abs(points["/layers.1/output_norm/Add_1"]["min"]),
                abs(points["/layers.1/output_norm/Add_1"]["max"])) / 127
        q = np.rint(hidden / np.float32(s))
        check(np.mean(np.abs(q) >= 127) > 0.1,
              f"narrow saturates: {np.mean(np.abs(q) >= 127):.2f} of the outputs at +-127/128")
check.finish()
