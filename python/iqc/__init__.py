# iqc Python helpers: reference models, exporters, runtime loader, references.
"""Python-side tooling for the iqc compiler.

Submodules:
  iqc.models      -- seeded PyTorch reference models (BERT-like, nn.TransformerEncoder,
                     Squeezeformer-like speech encoder).
  iqc.export      -- command-line ONNX exporter, expected-op counts and reference I/O dumps.
  iqc.runtime     -- ctypes loader that runs a library built by iqc-compile on numpy arrays.
  iqc.node_tests  -- runs the ONNX backend node tests of the supported operators.
  iqc.intref      -- numpy reference of the integer-only kernels (bit-exact semantics).
  iqc.testing     -- helpers for the Python-driven lit tests.

Importing the package itself is cheap; torch/onnx are only imported by the submodules.
"""
