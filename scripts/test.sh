#!/usr/bin/env bash
# Installs dependencies, builds iqc and runs the whole test suite (lit +
# FileCheck regression tests, GoogleTest unit tests, PyTorch-exported models).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
build=${IQC_BUILD_DIR:-$root/build}
/usr/lib/llvm-22/bin/lit -sv "$build/test" "$build/test/unit" | tee "$build/lit.log"
# lit's summary as the plain closing line.
passed=$(grep -cE '^PASS: ' "$build/lit.log" || true)
failed=$(grep -cE '^(FAIL|XPASS|UNRESOLVED|TIMEOUT): ' "$build/lit.log" || true)
echo "lit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
