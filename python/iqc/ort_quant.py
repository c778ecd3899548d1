"""ONNX Runtime's dynamic int8 quantization of an ONNX model, as a graph
rewrite (the peer iqc's integer-only models are compared with).

onnxruntime's Python quantization tool is not installable here (PyPI is
unreachable; only the npm package onnxruntime-node is), so this script
builds the graph `onnxruntime.quantization.quantize_dynamic(model,
weight_type=QInt8)` produces for MatMul nodes with constant 2-D weights:

  DynamicQuantizeLinear(x) -> x_q (uint8), x_scale, x_zero_point
  MatMulInteger(x_q, W_q, x_zero_point, W_zero_point = 0) -> int32
  Cast(float) * (x_scale * W_scale)

with per-tensor symmetric int8 weights (scale max|W| / 127, zero point 0).
ONNX Runtime then runs it with its own int8 kernels (it fuses the pattern
into MatMulIntegerToFloat). Activations are quantized at run time per
tensor (asymmetric uint8), everything else stays float.

  python3 -m iqc.ort_quant model.onnx model-ort-int8.onnx
"""

import argparse
import sys
from pathlib import Path

import numpy as np


def drop_unused_initializers(graph):
    """Removes the initializers no node of `graph` reads."""
    used = {i for n in graph.node for i in n.input}
    kept = [t for t in graph.initializer if t.name in used]
    del graph.initializer[:]
    graph.initializer.extend(kept)


def quantize_dynamic(model):
    import onnx
    from onnx import helper, numpy_helper, TensorProto
    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    nodes = []
    count = 0
    for node in graph.node:
        w = inits.get(node.input[1]) if node.op_type == "MatMul" and len(node.input) == 2 else None
        if w is None or len(w.dims) != 2 or w.data_type != TensorProto.FLOAT:
            nodes.append(node)
            continue
        wf = numpy_helper.to_array(w).astype(np.float32)
        scale = np.float32(max(float(np.abs(wf).max()), 1e-8) / 127)
        wq = np.clip(np.rint(wf / scale), -127, 127).astype(np.int8)
        p = f"{node.name or node.output[0]}_dq"
        graph.initializer.extend([
            numpy_helper.from_array(wq, p + "_W_quantized"),
            numpy_helper.from_array(np.array(scale, dtype=np.float32), p + "_W_scale"),
            numpy_helper.from_array(np.array(0, dtype=np.int8), p + "_W_zero_point"),
        ])
        x = node.input[0]
        nodes += [
            helper.make_node("DynamicQuantizeLinear", [x], [p + "_x_q", p + "_x_scale", p + "_x_zp"],
                             name=p + "_quant"),
            helper.make_node("MatMulInteger", [p + "_x_q", p + "_W_quantized", p + "_x_zp",
                                               p + "_W_zero_point"], [p + "_int32"],
                             name=p + "_matmul"),
            helper.make_node("Cast", [p + "_int32"], [p + "_float"], to=TensorProto.FLOAT,
                             name=p + "_cast"),
            helper.make_node("Mul", [p + "_x_scale", p + "_W_scale"], [p + "_scales"],
                             name=p + "_scales_mul"),
            helper.make_node("Mul", [p + "_float", p + "_scales"], [node.output[0]],
                             name=p + "_output_mul"),
        ]
        count += 1
    del graph.node[:]
    graph.node.extend(nodes)
    # The float weights of rewritten MatMuls are no longer used.
    drop_unused_initializers(graph)
    return model, count


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", type=Path)
    ap.add_argument("output", type=Path)
    args = ap.parse_args(argv)
    import onnx
    model = onnx.load(str(args.model))
    model, count = quantize_dynamic(model)
    onnx.save(model, str(args.output))
    print(f"quantized {count} MatMul nodes dynamically -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
