"""Checks a compiled model's machine code for floating-point arithmetic.

An integer-only library (iqc-compile --quantize=int8) may compute in
floating point only in its boundary functions, `<model>_forward_quantize<N>`
and `<model>_forward_dequantize<N>` (iqc-cpu-outline-boundary). This tool
disassembles the library with llvm-objdump and lists, per function of the
model body (`<model>_forward*` and iqc's kernels `__iqc_*`), the x86
floating-point arithmetic instructions it contains: scalar/packed float
add, sub, mul, div, min, max, sqrt, reciprocal, rounding, FMA, compares and
conversions to or from float (moves, shuffles and bitwise ops are left
out: compilers use them on integer data too).

  python3 -m iqc.float_check model.so [--prefix bert_tiny] [--expect-float]

Exit status 0 when the body is integer-only (or, with --expect-float, when
it is not: the check's own control), 1 otherwise.
"""

import argparse
import re
import subprocess
import sys
from collections import defaultdict

OBJDUMP = "/usr/lib/llvm-22/bin/llvm-objdump"

FLOAT_ARITH = re.compile(
    r"^(v?(add|sub|mul|div|min|max|sqrt|rcp|rsqrt|rcp14|rsqrt14|rcp28|rsqrt28"
    r"|round|rndscale|getexp|getmant|scalef|hadd|hsub|addsub|dp|cmp|range|reduce)"
    r"(ss|sd|ps|pd|sh|ph)"
    r"|v?f(n)?m(add|sub|addsub|subadd)(132|213|231)?(ss|sd|ps|pd|sh|ph)"
    r"|v?u?comis[sdh]"
    r"|v?cvt\w*"
    r"|f(add|sub|subr|mul|div|divr|sqrt|ld|st|stp|ild|ist|istp|com|comp|ucom|ucomi|comi|prem|scale|sin|cos|xtract)p?)$")


def functions(path):
    """{function name: [mnemonics]} from llvm-objdump -d."""
    out = subprocess.run([OBJDUMP, "-d", "--no-show-raw-insn", "--no-leading-addr", path],
                         check=True, capture_output=True, text=True).stdout
    funcs = defaultdict(list)
    current = None
    for line in out.splitlines():
        m = re.match(r"^<(.+)>:$", line.strip())
        if m:
            current = m.group(1)
            continue
        if current and line.startswith((" ", "\t")) and line.strip():
            funcs[current].append(line.split()[0])
    return funcs


def body_functions(funcs, prefix):
    body = {}
    for name, insns in funcs.items():
        if "_quantize" in name or "_dequantize" in name:
            continue
        if (prefix and name.startswith(prefix + "_forward")) or name.startswith("__iqc_") or \
                (not prefix and "_forward" in name and not name.startswith("_mlir_ciface")):
            body[name] = insns
    return body


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("library")
    ap.add_argument("--prefix", default="", help="the model's symbol prefix (iqc-compile --name)")
    ap.add_argument("--expect-float", action="store_true",
                    help="succeed only if the body does contain float arithmetic")
    args = ap.parse_args(argv)
    funcs = functions(args.library)
    body = body_functions(funcs, args.prefix)
    boundary = [n for n in funcs if "_quantize" in n or "_dequantize" in n]
    offenders = {}
    for name, insns in sorted(body.items()):
        found = sorted({i for i in insns if FLOAT_ARITH.match(i)})
        if found:
            offenders[name] = found
    boundary_float = sum(1 for n in boundary if any(FLOAT_ARITH.match(i) for i in funcs[n]))
    print(f"{args.library}: {len(body)} body functions, "
          f"{sum(len(v) for v in body.values())} instructions; "
          f"{len(boundary)} boundary functions ({boundary_float} with float arithmetic)")
    for name, found in offenders.items():
        print(f"  float arithmetic in {name}: {' '.join(found)}")
    if not body:
        print("error: no model body functions found (wrong --prefix?)")
        return 1
    if args.expect_float:
        return 0 if offenders else 1
    print("integer-only body" if not offenders else
          f"error: {len(offenders)} body functions compute in floating point")
    return 1 if offenders else 0


if __name__ == "__main__":
    sys.exit(main())
