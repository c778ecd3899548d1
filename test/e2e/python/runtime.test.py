"""Checks python/iqc/runtime.py on a compiled BERT-tiny against the PyTorch
reference outputs written by iqc.export, plus its error reporting and use
from several threads. Usage: check_runtime.py model.so ref_dir [ref_dir...]"""
import concurrent.futures
import json
import sys
from pathlib import Path

import numpy as np

from iqc.runtime import IQCError, Model

model = Model(sys.argv[1])
print(model.name, [i.name for i in model.inputs], [o.name for o in model.outputs])
ids = model.inputs[0]
assert ids.dtype == np.int64 and ids.shape == (None, None), ids
assert ids.dim_names == ("batch", "sequence"), ids
assert ids.value_range == (-1000, 999), ids
assert model.outputs[0].shape == (None, None, 128), model.outputs[0]

for ref in map(Path, sys.argv[2:]):
    manifest = json.loads((ref / "manifest.json").read_text())
    inputs = {i["name"]: np.load(ref / i["file"]) for i in manifest["inputs"]}
    out = model.run(**inputs)
    for o in manifest["outputs"]:
        expected = np.load(ref / o["file"])
        got = out[o["name"]]
        assert got.shape == expected.shape, (got.shape, expected.shape)
        ok = np.allclose(got, expected, rtol=1e-4, atol=1e-5)
        print(f"{'PASS' if ok else 'FAIL'} {o['name']} {list(got.shape)} "
              f"max abs err {np.abs(got - expected).max():.3g}")
    # Positional inputs give the same result.
    again = model.run(*inputs.values())
    assert all(np.array_equal(again[k], out[k]) for k in out)

# Errors come from the model's checks, with its message.
ids32 = np.ones((1, 4), np.int32)
for bad, status, words in [
        (dict(input_ids=ids32, attention_mask=np.ones((1, 4), np.int64)), 2, "int32"),
        (dict(input_ids=np.ones((1, 5), np.int64), attention_mask=np.ones((1, 4), np.int64)), 3,
         "sequence"),
        (dict(input_ids=np.full((1, 4), 5000, np.int64), attention_mask=np.ones((1, 4), np.int64)),
         4, "5000")]:
    try:
        model.run(**bad)
        print("FAIL no error raised")
    except IQCError as e:
        print(f"{'PASS' if e.status == status and words in str(e) else 'FAIL'} error: {e}")
try:
    model.run(input_ids=ids32)
    print("FAIL missing input accepted")
except TypeError as e:
    print(f"PASS missing input: {e}")

# Threads share the model.
x = dict(input_ids=np.arange(24, dtype=np.int64).reshape(2, 12) % 1000,
         attention_mask=np.ones((2, 12), np.int64))
first = model.run(**x)["logits"]
with concurrent.futures.ThreadPoolExecutor(4) as pool:
    same = all(np.array_equal(r["logits"], first)
               for r in pool.map(lambda _: model.run(**x), range(16)))
print(f"{'PASS' if same else 'FAIL'} 16 runs on 4 threads match")
