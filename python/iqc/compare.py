"""Compares output tensors (.npy) by cosine similarity and largest
difference, for quantized models against their float references.

  python3 -m iqc.compare got.npy expected.npy [--min-cosine 0.99] [--label NAME]

Prints `NAME: cosine C, max abs diff D, ...`; exits 1 when the cosine is
below --min-cosine or the shapes differ.
"""

import argparse
import sys

import numpy as np


def cosine(a, b) -> float:
    a = np.asarray(a, dtype=np.float64).ravel()
    b = np.asarray(b, dtype=np.float64).ravel()
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("got")
    ap.add_argument("expected")
    ap.add_argument("--min-cosine", type=float, default=None)
    ap.add_argument("--label", default=None)
    args = ap.parse_args(argv)
    got, exp = np.load(args.got), np.load(args.expected)
    label = args.label or args.got
    if got.shape != exp.shape:
        print(f"{label}: shape {got.shape} differs from the expected {exp.shape}")
        return 1
    c = cosine(got, exp)
    diff = np.abs(got.astype(np.float64) - exp)
    print(f"{label}: cosine {c:.5f}, max abs diff {diff.max():.3g}, "
          f"mean abs diff {diff.mean():.3g}, expected max |x| {np.abs(exp).max():.3g}")
    if args.min_cosine is not None and not c >= args.min_cosine:
        print(f"error: cosine {c:.5f} < {args.min_cosine}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
