"""Run the ONNX backend node tests shipped by Debian's libonnx-testdata.

For every test case whose operators iqc supports (the list comes from
`iqc-translate --print-supported-ops`), JIT-compile `model.onnx` with
`iqc-run` and compare its outputs on every `test_data_set_*` with the
expected `output_*.pb`. Prints each case run and its result, the cases
excluded (with the reason) and a summary; exits 1 if any case fails.

    python3 -m iqc.node_tests --bin build/bin [-j 2] [-k gather]
"""

import argparse
import concurrent.futures
import os
import subprocess
import sys
from pathlib import Path

import onnx

DEFAULT_DATA = Path("/usr/share/libonnx-testdata/data/node")

# Cases of supported ops that are not run, and why. Every entry needs a
# reason a user can check against the ONNX spec or the iqc docs.
_TRAINING = "training mode (random Dropout masks / batch statistics); iqc compiles inference graphs"
EXCLUDED = {
    "test_training_dropout": _TRAINING,
    "test_training_dropout_default": _TRAINING,
    "test_training_dropout_default_mask": _TRAINING,
    "test_training_dropout_mask": _TRAINING,
    "test_training_dropout_zero_ratio": _TRAINING,
    "test_training_dropout_zero_ratio_mask": _TRAINING,
    "test_batchnorm_epsilon_training_mode": _TRAINING,
    "test_batchnorm_example_training_mode": _TRAINING,
}

# Operand positions that iqc needs at compile time (shapes, axes, scales).
# When a test feeds them as graph inputs, each data set's value is bound as
# a constant with --bind-input, as a deployed model would have it.
PARAMETER_OPERANDS = {
    "Reshape": (1,), "Unsqueeze": (1,), "Squeeze": (1,), "Slice": (1, 2, 3, 4),
    "Tile": (1,), "Split": (1,), "Range": (0, 1, 2), "Expand": (1,),
    "Pad": (1, 2), "ConstantOfShape": (0,), "ReduceSum": (1,), "ReduceMean": (1,),
    "QuantizeLinear": (1, 2), "DequantizeLinear": (1, 2), "Dropout": (1, 2),
}

# Element types iqc does not compile (the C ABI and lowering cover bool,
# 8-64-bit integers, float32 and float64).
UNSUPPORTED_TYPES = {
    onnx.TensorProto.STRING: "string tensors",
    onnx.TensorProto.FLOAT16: "float16 tensors",
    onnx.TensorProto.BFLOAT16: "bfloat16 tensors",
    onnx.TensorProto.COMPLEX64: "complex tensors",
    onnx.TensorProto.COMPLEX128: "complex tensors",
}


def supported_ops(bin_dir: Path):
    out = subprocess.run([str(bin_dir / "iqc-translate"), "--print-supported-ops"],
                         check=True, capture_output=True, text=True).stdout
    return set(out.split())


def graph_types(graph):
    """Element types of the graph's inputs, outputs and initializers."""
    types = set()
    for v in list(graph.input) + list(graph.output) + list(graph.value_info):
        if v.type.HasField("tensor_type"):
            types.add(v.type.tensor_type.elem_type)
    for t in graph.initializer:
        types.add(t.data_type)
    for n in graph.node:
        for a in n.attribute:
            if a.HasField("t"):
                types.add(a.t.data_type)
            if a.name == "to":
                types.add(a.i)
    return types


def classify(case: Path, ops):
    """Returns (run?, reason). Cases with unsupported ops are not iqc's."""
    model = onnx.load(str(case / "model.onnx"))
    for n in model.graph.node:
        if n.domain not in ("", "ai.onnx") or n.op_type not in ops:
            return False, None
    if case.name in EXCLUDED:
        return False, EXCLUDED[case.name]
    opset = max((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")),
                default=0)
    if opset < 11 or opset > 17:
        return False, f"opset {opset} (iqc imports opsets 11-17)"
    for v in list(model.graph.input) + list(model.graph.output):
        if not v.type.HasField("tensor_type"):
            return False, "sequence/optional/map values (iqc compiles tensor graphs)"
    bad = sorted(UNSUPPORTED_TYPES[t] for t in graph_types(model.graph)
                 if t in UNSUPPORTED_TYPES)
    if bad:
        return False, "uses " + ", ".join(sorted(set(bad)))
    return True, None


def parameter_inputs(model):
    """Graph inputs (by position) used as compile-time parameters."""
    initializers = {t.name for t in model.graph.initializer}
    inputs = [i.name for i in model.graph.input if i.name not in initializers]
    params = set()
    for n in model.graph.node:
        for pos in PARAMETER_OPERANDS.get(n.op_type, ()):
            if pos < len(n.input) and n.input[pos] in inputs:
                params.add(n.input[pos])
    return [(inputs.index(p), p) for p in sorted(params)]


def run_case(bin_dir: Path, case: Path, timeout: float):
    sets = sorted(case.glob("test_data_set_*"))
    if not sets:
        return case.name, False, "no test_data_set_*"
    params = parameter_inputs(onnx.load(str(case / "model.onnx")))
    base = [str(bin_dir / "iqc-run"), str(case / "model.onnx"), "-q", "--name", "model"]
    # One compilation for all data sets, unless parameters differ per set.
    if params:
        cmds = [base + ["--test-dir", str(s)] +
                [f"--bind-input={name}={s}/input_{k}.pb" for k, name in params]
                for s in sets]
    else:
        cmds = [base + [a for s in sets for a in ("--test-dir", str(s))]]
    for cmd in cmds:
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return case.name, False, f"timed out after {timeout:.0f} s"
        text = (p.stdout + p.stderr).strip()
        ok = p.returncode == 0 and "FAIL" not in p.stdout and "PASS" in p.stdout
        if not ok:
            detail = " | ".join(l for l in text.splitlines() if "FAIL" in l or "error" in l)
            return case.name, False, (detail or text or f"exit code {p.returncode}")[:400]
    note = f", bound {', '.join(n for _, n in params)}" if params else ""
    return case.name, True, f"{len(sets)} data set(s){note}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", type=Path, required=True, help="directory with iqc-run/iqc-translate")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("-k", "--filter", default="", help="only cases whose name contains this")
    ap.add_argument("--timeout", type=float, default=120)
    args = ap.parse_args(argv)

    if not args.data.is_dir():
        print(f"node_tests: {args.data} not found (install libonnx-testdata)", file=sys.stderr)
        return 1
    ops = supported_ops(args.bin)
    to_run, excluded = [], []
    for case in sorted(args.data.iterdir()):
        if args.filter not in case.name or not (case / "model.onnx").exists():
            continue
        run, reason = classify(case, ops)
        if run:
            to_run.append(case)
        elif reason:
            excluded.append((case.name, reason))

    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(run_case, args.bin, c, args.timeout) for c in to_run]
        for f in concurrent.futures.as_completed(futures):
            name, ok, detail = f.result()
            results.append((name, ok, detail))
            print(f"{'PASS' if ok else 'FAIL'} {name}: {detail}", flush=True)

    for name, reason in excluded:
        print(f"EXCLUDED {name}: {reason}")
    failed = sorted(n for n, ok, _ in results if not ok)
    print(f"\nONNX node tests of supported ops: {len(results)} run, "
          f"{len(results) - len(failed)} passed, {len(failed)} failed, "
          f"{len(excluded)} excluded")
    for n in failed:
        print(f"  failed: {n}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
