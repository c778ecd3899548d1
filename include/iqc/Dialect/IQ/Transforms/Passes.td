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
