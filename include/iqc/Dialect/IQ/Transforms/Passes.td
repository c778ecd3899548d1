//===- Passes.td - Passes of the iq dialect ----------------*- tablegen -*-===//
//
// Raising passes turn the decomposed patterns that PyTorch's ONNX exporter
// emits back into the semantic `iq` ops quantization works on.
//
//===----------------------------------------------------------------------===//

#ifndef IQC_DIALECT_IQ_TRANSFORMS_PASSES_TD
#define IQC_DIALECT_IQ_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def IQRaiseLayerNorm : Pass<"iq-raise-layer-norm"> {
  let summary = "Raise the decomposed LayerNorm subgraph to iq.layer_norm";
  let description = [{
    Matches `ReduceMean -> Sub -> Pow(2) -> ReduceMean -> Add(eps) -> Sqrt ->
    Div -> Mul(scale) -> Add(bias)` over the trailing dimension (as torch
    exports `nn.LayerNorm` below opset 17) and replaces it with
    `iq.layer_norm`. The scale/bias multiply and add are optional.
  }];
  let dependentDialects = ["::iqc::iq::IQDialect"];
}

def IQRaiseGelu : Pass<"iq-raise-gelu"> {
  let summary = "Raise x * 0.5 * (1 + erf(x / sqrt(2))) to iq.gelu";
  let description = [{
    Matches the erf form of GELU that torch exports (`Div(sqrt 2) -> Erf ->
    Add(1) -> Mul(x) -> Mul(0.5)`, in any operand order, also with
    `Mul(1/sqrt 2)` instead of the division) and replaces it with `iq.gelu`.
  }];
  let dependentDialects = ["::iqc::iq::IQDialect"];
}

def IQRaiseLinear : Pass<"iq-raise-linear"> {
  let summary = "Raise iq.matmul with a constant 2-D weight (+ bias add) to iq.linear";
  let description = [{
    `iq.matmul(x, W)` with a constant `W : [K, N]` becomes `iq.linear`; a
    following `iq.add` of a constant `[N]` bias is folded into it.
  }];
  let dependentDialects = ["::iqc::iq::IQDialect"];
}

def IQRaiseSwish : Pass<"iq-raise-swish"> {
  let summary = "Raise x * sigmoid(x) to iq.swish";
  let dependentDialects = ["::iqc::iq::IQDialect"];
}

def IQStripQDQ : Pass<"iq-strip-qdq", "mlir::func::FuncOp"> {
  let summary = "Turn a QDQ model (QuantizeLinear/DequantizeLinear pairs) back into its float graph";
  let description = [{
    Models quantized in the QDQ format (e.g. by ONNX Runtime's static
    quantizer) mark their activations with `quant.dcast(quant.qcast(x))`
    pairs and store weights as `quant.dcast` of integer constants. This pass
    replaces each pair by `x` and each dequantized constant by its float
    values, so the graph can be raised and quantized with iqc's own integer
    kernels. iqc-compile --quantize=int8 keeps the ranges the pairs encode
    (`(qmin - zp) S` .. `(qmax - zp) S`, per value named as in calibration)
    and uses them instead of calibrated ones.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def IQQuantize : Pass<"iq-quantize", "mlir::func::FuncOp"> {
  let summary = "Rewrite the raised float graph into quantized iq ops on !quant.uniform tensors";
  let description = [{
    Quantizes a raised float model with calibrated activation ranges (a
    JSON ranges file, see docs/Quantization.md), following
    shared/INTEGER-KERNELS.md:

    * weights: symmetric int8 per output channel; biases i32 at scale
      `S_x * S_w[c]`; embedding tables int8 per tensor;
    * activations: symmetric int8 per tensor from the calibrated range;
      `iq.linear`/`iq.matmul` produce their i32 accumulator, which feeds
      `iq.gelu`, `iq.tanh`, residual `iq.add`s and outputs directly and is
      `iq.rescale`d to int8 for everything else;
    * residual adds produce 22-bit LayerNorm inputs (16-bit for embedding
      sums), both operands rescaled to the result scale;
    * attention: the 1/sqrt(d) division is folded into the logits' scale,
      BERT's additive mask `(1 - mask) * -10000` becomes the `mask` of the
      quantized `iq.softmax` (u8 probabilities, scale 2^-8);
    * `iq.layer_norm` gets its `variance_shift` from the calibrated row
      variance of its input;
    * float model inputs are quantized by `quant.qcast` and float outputs
      dequantized by `quant.dcast`: the only float ops left.

    Reshapes, transposes and slices run on the integer storage between
    `quant.scast`s. An op without an integer form, or a value without a
    calibrated range, is an error naming the op and the value.
  }];
  let options = [
    Option<"rangesFile", "ranges", "std::string", /*default=*/"\"\"",
           "JSON file with the calibrated ranges (iqc-compile --write-ranges)">,
    Option<"shiftMargin", "shift-margin", "int64_t", /*default=*/"1",
           "Safety margin added to the calibrated LayerNorm variance shift">,
  ];
  let dependentDialects = ["::iqc::iq::IQDialect", "::mlir::quant::QuantDialect",
                           "::mlir::arith::ArithDialect", "::mlir::tensor::TensorDialect"];
}

def IQLowerQuantized : Pass<"iq-lower-quantized", "mlir::func::FuncOp"> {
  let summary = "Lower quantized iq ops to integer kernels on storage types with dyadic constants";
  let description = [{
    Replaces every quantized iq op by integer ops on its storage types,
    computing the compile-time constants from the scales in the types
    (lib/Quant): `iq.rescale` becomes `iq.requant`, a quantized `iq.add`
    `iq.iadd`, `iq.gelu` `iq.igelu` + `iq.requant` (after an upscale when
    the input scale exceeds 3e-4), `iq.softmax` `iq.isoftmax`,
    `iq.layer_norm` `iq.ilayernorm`, `iq.tanh` `2 * iq.isigmoid(2x) - 1`;
    `iq.linear`, `iq.matmul` and `iq.gather` keep their names on integers.
    Afterwards quantized types remain only on the boundary
    `quant.qcast`/`quant.dcast` and the `quant.scast`s next to them.
  }];
  let options = [
    Option<"softmaxRounding", "softmax-rounding", "std::string",
           /*default=*/"\"nearest\"",
           "Last division of the integer softmax: 'nearest' (default; rows sum "
           "to about 1) or 'floor' (I-BERT, shared/INTEGER-KERNELS.md; rows "
           "sum to [1 - L/256, 1])">,
  ];
  let dependentDialects = ["::iqc::iq::IQDialect", "::mlir::quant::QuantDialect",
                           "::mlir::arith::ArithDialect", "::mlir::tensor::TensorDialect"];
}

def IQPruneTokens : Pass<"iq-prune-tokens", "mlir::func::FuncOp"> {
  let summary = "Learned token pruning: drop unimportant tokens between layers and compact the sequence";
  let description = [{
    For encoder layer l (the l-th softmax of the model, l = 0 .. N-1) with
    threshold theta_l > 0, the attention each token receives (summed over
    heads and live query rows, `iq.token_importance`) is compared with
    `max(1e-5, theta_l) * H * L_orig` (`iq.prune_keep`, L_orig the padded
    input length, the CLS token always kept); after the layer's attention
    block (its first LayerNorm) the hidden states of each example are
    compacted to its kept tokens, padded to the batch's longest
    (`iq.compact_indices`, `iq.gather_rows`), and the later layers' softmax
    masks follow. Outputs of rank 3 (token outputs such as the last hidden
    state) are scattered back to the original positions with zeros for
    pruned tokens (`iq.scatter_rows`); outputs computed from CLS are
    unaffected. Thresholds are `thresholds` (one per layer) or
    `final-threshold` with the schedule theta_l = theta l / N (so that
    layer 0 never prunes); layers with theta_l = 0 keep what they get. Works on the integer graph (after
    iq-lower-quantized: iq.isoftmax, iq.ilayernorm) and on the raised float
    graph (iq.softmax with BERT's additive mask, iq.layer_norm). See
    docs/TokenPruning.md.
  }];
  let options = [
    ListOption<"thresholds", "thresholds", "double",
               "Per-layer thresholds theta_0, ..., theta_N-1">,
    Option<"finalThreshold", "final-threshold", "double", /*default=*/"0.0",
           "theta_N of the schedule theta_l = theta l / N">,
    Option<"reportKept", "report-kept", "bool", /*default=*/"false",
           "Add an output kept_tokens [B, N] (i64): tokens each example has "
           "after each layer">,
    Option<"runtimeThresholds", "runtime-thresholds", "bool", /*default=*/"false",
           "Read the fixed-point thresholds round(max(1e-5, theta_l) 2^40) "
           "from an extra input prune_thresholds [N] (i64) instead (for "
           "threshold calibration); every layer but the first prunes">,
  ];
  let dependentDialects = ["::iqc::iq::IQDialect", "::mlir::tensor::TensorDialect",
                           "::mlir::linalg::LinalgDialect", "::mlir::arith::ArithDialect"];
}

def IQVerifyIntegerOnly : Pass<"iq-verify-integer-only", "mlir::func::FuncOp"> {
  let summary = "Fail if any floating-point value or op remains between the boundary quantize and dequantize";
  let description = [{
    The model may compute in floating point only at its boundary: from its
    float arguments up to the `quant.qcast` that quantizes them, and from
    the `quant.dcast` that dequantizes an output to the returned value.
    Every other op whose operands or results have a float type (scalar,
    tensor, vector or memref; `!quant.uniform` storage types are integers)
    is reported, naming the op and its location, and the pass fails. Ops
    without float types (integer kernels, data movement on integers) pass.
  }];
}

#endif // IQC_DIALECT_IQ_TRANSFORMS_PASSES_TD
