"""Checks raised iq IR against the building blocks counted in the torch model.

Usage: iqc-opt --iq-raise --print-op-stats ... 2>&1 | check_raised.py EXPECTED.json

EXPECTED.json comes from `export.py --expected-counts`, which counts torch
modules (independent of the importer). Every LayerNorm, GELU, swish, linear
and conv of the model must be a semantic iq op, and none of the decomposed
forms (erf, reduce_mean, sqrt, pow) may remain.
"""
import json
import re
import sys


def parse_op_stats(text):
    counts = {}
    for m in re.finditer(r"^\s*([a-z_]+\.[a-z_]+)\s*,\s*(\d+)\s*$", text, re.M):
        counts[m.group(1)] = int(m.group(2))
    return counts


def main():
    expected = json.load(open(sys.argv[1]))
    ops = parse_op_stats(sys.stdin.read())
    want = {
        "iq.layer_norm": expected["layer_norm"],
        "iq.gelu": expected["gelu"],
        "iq.swish": expected["swish"],
        # nn.MultiheadAttention exports its Q/K/V linears as one packed linear.
        "iq.linear": expected["linear"] - 2 * expected.get("packed_qkv", 0),
        "iq.conv": expected["conv"],
        "iq.erf": 0,
        "iq.reduce_mean": 0,
        "iq.sqrt": 0,
        "iq.pow": 0,
    }
    bad = 0
    for op, n in want.items():
        got = ops.get(op, 0)
        status = "ok" if got == n else "MISMATCH"
        bad += got != n
        print(f"{op:16s} expected {n:4d} got {got:4d} {status}")
    print("raised: all building blocks are semantic ops" if not bad
          else f"raised: {bad} mismatches")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
