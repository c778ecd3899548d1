#!/usr/bin/env bash
# Learned token pruning on the trained classifiers (examples/digits-bert.onnx,
# examples/langid-bert.onnx): accuracy and FLOPs reduction for several
# thresholds, LTP's masked form in fp32 (PyTorch) next to iqc's integer-only
# compacted model, on the held-out splits (python/iqc/prune_table.py).
# About 3 minutes.
#
#   bench/prune-accuracy.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${IQC_BUILD_DIR:-$root/build}
out=$build/bench/prune-accuracy
mkdir -p "$out"
export PYTHONPATH=$root/python PATH=$build/bin:$PATH
py=/usr/bin/python3
# The thresholds bracket the mean importance 1 / length (65 pixels; words
# of 11 characters on average padded to 21).
declare -A thresholds=([digits]=0,0.005,0.01,0.0125,0.015,0.02,0.03
                       [langid]=0,0.02,0.03,0.035,0.04,0.05,0.07)
for task in digits langid; do
  [ -f "$out/$task/test_labels.npy" ] ||
    $py -m iqc.train --task "$task" --split-only --split-dir "$out/$task" >/dev/null
  $py -m iqc.prune_table "$root/examples/$task-bert.onnx" "$out/$task" --heads 2 \
    --thresholds "${thresholds[$task]}" --work "$out/$task-libs" | tee "$out/$task.md"
done
