"""Builds a QDQ-format model (QuantizeLinear/DequantizeLinear pairs) from a
float ONNX model, the way ONNX Runtime's static quantizer lays it out, to
test that iqc compiles QDQ models with their own scales.

  python3 -m iqc.qdq model.onnx calibration/ model-qdq.onnx

Activation ranges come from ONNX Runtime (npm onnxruntime-node, through
tools/ort-run) running the float model on the calibration inputs
(input_<i>.npy) with the annotated tensors as extra outputs: the inputs of
every MatMul and the inputs and outputs of every Add (ORT quantizes both
op types), as asymmetric uint8 (scale (max - min) / 255, zero point
round(-min / scale)). MatMul weights become per-output-channel symmetric
int8 initializers behind a DequantizeLinear (axis 1).
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from iqc.ort_quant import drop_unused_initializers

ROOT = Path(__file__).resolve().parents[2]


def annotated_tensors(graph):
    inits = {t.name for t in graph.initializer}
    names = []
    for node in graph.node:
        if node.op_type == "MatMul":
            cand = list(node.input)
        elif node.op_type == "Add":
            cand = list(node.input) + list(node.output)
        else:
            continue
        for n in cand:
            if n and n not in inits and n not in names:
                names.append(n)
    return names


def activation_ranges(model_path, names, calib: Path):
    """{tensor: (min, max)} from ORT on the calibration inputs."""
    import onnx
    from onnx import helper, TensorProto
    m = onnx.load(str(model_path))
    outputs = {o.name for o in m.graph.output}
    for n in names:
        if n not in outputs:
            m.graph.output.append(helper.make_tensor_value_info(n, TensorProto.FLOAT, None))
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / "probe.onnx"
        onnx.save(m, str(probe))
        cmd = ["node", str(ROOT / "tools" / "ort-run" / "ort-run.mjs"), str(probe),
               "--output-dir", str(Path(tmp) / "out")]
        for i in range(len(m.graph.input)):
            cmd += ["-i", str(calib / f"input_{i}.npy")]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        sanitize = lambda n: "".join(c if c.isalnum() else "_" for c in n)
        ranges = {}
        for n in names:
            v = np.load(Path(tmp) / "out" / (sanitize(n) + ".npy"))
            ranges[n] = (float(v.min()), float(v.max()))
    return ranges


def uint8_params(lo, hi):
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    scale = max(hi - lo, 1e-8) / 255
    zp = int(np.clip(round(-lo / scale), 0, 255))
    return np.float32(scale), np.uint8(zp)


def to_qdq(model_path, ranges):
    import onnx
    from onnx import helper, numpy_helper
    m = onnx.load(str(model_path))
    g = m.graph
    inits = {t.name: t for t in g.initializer}
    pairs = {}                                   # tensor -> [Q, DQ] nodes
    for name, (lo, hi) in ranges.items():
        s, zp = uint8_params(lo, hi)
        g.initializer.extend([numpy_helper.from_array(np.array(s), name + "_scale"),
                              numpy_helper.from_array(np.array(zp), name + "_zero_point")])
        pairs[name] = [
            helper.make_node("QuantizeLinear", [name, name + "_scale", name + "_zero_point"],
                             [name + "_quantized"], name=name + "_QuantizeLinear"),
            helper.make_node("DequantizeLinear",
                             [name + "_quantized", name + "_scale", name + "_zero_point"],
                             [name + "_dequantized"], name=name + "_DequantizeLinear")]
    weight_nodes, weights = [], {}
    for node in g.node:
        wn = node.input[1] if node.op_type == "MatMul" else None
        if wn in inits and len(inits[wn].dims) == 2 and wn not in weights:
            w = numpy_helper.to_array(inits[wn]).astype(np.float32)
            s = (np.maximum(np.abs(w).max(axis=0), 1e-8) / 127).astype(np.float32)
            q = np.clip(np.rint(w / s), -127, 127).astype(np.int8)
            g.initializer.extend([numpy_helper.from_array(q, wn + "_quantized"),
                                  numpy_helper.from_array(s, wn + "_scale"),
                                  numpy_helper.from_array(np.zeros(s.shape, np.int8),
                                                          wn + "_zero_point")])
            weight_nodes.append(helper.make_node(
                "DequantizeLinear", [wn + "_quantized", wn + "_scale", wn + "_zero_point"],
                [wn + "_dequantized"], name=wn + "_DequantizeLinear", axis=1))
            weights[wn] = wn + "_dequantized"
    original = list(g.node)
    for node in original:
        for i, n in enumerate(node.input):
            if n in pairs:
                node.input[i] = n + "_dequantized"
            elif node.op_type == "MatMul" and i == 1 and n in weights:
                node.input[i] = weights[n]
    # Topological order: weight dequantization and pairs of graph inputs
    # first, then each node followed by the pairs of the tensors it makes.
    order = list(weight_nodes)
    for i in g.input:
        order += pairs.get(i.name, [])
    for node in original:
        order.append(node)
        for o in node.output:
            order += pairs.get(o, [])
    del g.node[:]
    g.node.extend(order)
    drop_unused_initializers(g)
    onnx.checker.check_model(m)
    return m


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", type=Path)
    ap.add_argument("calibration", type=Path)
    ap.add_argument("output", type=Path)
    args = ap.parse_args(argv)
    import onnx
    names = annotated_tensors(onnx.load(str(args.model)).graph)
    ranges = activation_ranges(args.model, names, args.calibration)
    m = to_qdq(args.model, ranges)
    onnx.save(m, str(args.output))
    print(f"wrote {args.output}: {len(ranges)} QDQ pairs", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
