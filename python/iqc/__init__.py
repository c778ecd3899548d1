# iqc Python helpers: reference PyTorch models and their ONNX exporters.
"""Python-side tooling for the iqc compiler.

Submodules:
  iqc.models  -- seeded PyTorch reference models (BERT-like, nn.TransformerEncoder,
                 Squeezeformer-like speech encoder).
  iqc.export  -- command-line ONNX exporter, expected-op counts and reference I/O dumps.

Importing the package itself is cheap; torch/onnx are only imported by the submodules.
"""
