"""Helpers for iqc's Python-driven lit tests: compile and run an MLIR
function through iqc-run (JIT) on numpy inputs, and report checks as
PASS/FAIL lines with a closing failure count."""

import subprocess
import sys
from pathlib import Path
from typing import Dict

import numpy as np


def run_mlir(iqc_run: str, work: Path, mlir: str, inputs: Dict[str, np.ndarray]) -> Dict[str, np.ndarray]:
    """Writes `mlir` and the inputs (in order) under `work`, runs iqc-run and
    returns the outputs by name (the function's iq.name result attributes)."""
    work.mkdir(parents=True, exist_ok=True)
    (work / "model.mlir").write_text(mlir)
    cmd = [iqc_run, str(work / "model.mlir"), "-q", "--output-dir", str(work / "out")]
    for name, array in inputs.items():
        np.save(work / f"{name}.npy", array)
        cmd += ["-i", str(work / f"{name}.npy")]
    subprocess.run(cmd, check=True)
    return {p.stem: np.load(p) for p in (work / "out").glob("*.npy")}


class Checks:
    """Prints PASS/FAIL lines; `finish()` prints the count and exits."""

    def __init__(self):
        self.failures = 0

    def __call__(self, cond, msg: str) -> None:
        self.failures += not bool(cond)
        print(("PASS " if cond else "FAIL ") + msg)

    def finish(self) -> None:
        print(f"{self.failures} failure(s)")
        sys.exit(1 if self.failures else 0)
