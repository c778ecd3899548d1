#!/usr/bin/env bash
# Retrains the bundled classifiers examples/digits-bert.onnx and
# examples/langid-bert.onnx (python -m iqc.train, one PyTorch thread so the
# weights are the same on every machine; about 45 s and 150 s here) and
# writes their held-out splits next to them under build/classifiers/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/build/classifiers}
export PYTHONPATH=$root/python
for task in digits langid; do
  /usr/bin/python3 -m iqc.train --task "$task" --threads 1 \
    -o "$root/examples/$task-bert.onnx" --split-dir "$out/$task"
done
