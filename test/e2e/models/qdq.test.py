"""Checks of the QDQ compilation in qdq.test. Usage: qdq.test.py <bin> <dir>"""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper

from iqc import float_check
from iqc.compare import cosine
from iqc.testing import Checks

bindir, work = Path(sys.argv[1]), Path(sys.argv[2])
check = Checks()

# The range iqc used for a linear's output is the one its QDQ pair encodes.
m = onnx.load(str(work / "qdq.onnx"))
init = {t.name: numpy_helper.to_array(t) for t in m.graph.initializer}
tensor = "/layers.0/attention/query/Add_output_0"
s = float(init[tensor + "_scale"])
zp = int(init[tensor + "_zero_point"])
ranges = json.loads((work / "ranges.json").read_text())
got = ranges["points"]["/layers.0/attention/query/Add"]
want = ((0 - zp) * s, (255 - zp) * s)
check(ranges["method"] == "qdq" and abs(got["min"] - want[0]) < 1e-6 * s and
      abs(got["max"] - want[1]) < 1e-6 * s,
      f"ranges from the model: {got['min']:.6f}..{got['max']:.6f} = ({zp} zero point, {s:.6g} scale)")

rng = np.random.default_rng(3)
d = work / "inputs"
d.mkdir(exist_ok=True)
ids = rng.integers(0, 1000, (3, 20))
mask = np.ones((3, 20), dtype=np.int64)
mask[1, 9:] = 0
np.save(d / "input_0.npy", ids)
np.save(d / "input_1.npy", mask)
for lib in ("qdq", "fp32"):
    subprocess.run([bindir / "iqc-run", work / f"{lib}.so", "--test-dir", d, "-q",
                    "--output-dir", work / f"out-{lib}"], check=True)
c = cosine(np.load(work / "out-qdq" / "last_hidden_state.npy"),
           np.load(work / "out-fp32" / "last_hidden_state.npy"))
check(c >= 0.995, f"last_hidden_state: cosine {c:.5f} with the float model >= 0.995")
check(float_check.main([str(work / "qdq.so"), "--prefix", "qdq"]) == 0, "integer-only body")
check.finish()
