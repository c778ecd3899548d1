#!/usr/bin/env bash
# Installs dependencies, builds iqc and runs the whole test suite (lit +
# FileCheck regression tests, GoogleTest unit tests, PyTorch-exported models).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
build=${IQC_BUILD_DIR:-$root/build}
status=0
/usr/lib/llvm-22/bin/lit -sv "$build/test" "$build/test/unit" | tee "$build/lit.log" || status=$?
# lit's summary as one plain closing line.
# (lit pads the labels when their lengths differ: "  Passed : 153").
count() { sed -nE "s/^ *$1 *: *([0-9]+).*/\1/p" "$build/lit.log" | tail -1; }
passed=$(count Passed); failed=$(count Failed)
skipped=$(( $(count Skipped || true) + $(count Unsupported || true) + 0 ))
echo "lit: ${passed:-0} passed, ${failed:-0} failed, ${skipped} skipped"
exit "$status"
