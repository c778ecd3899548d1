//===- Passes.td - iqc conversion passes -------------------*- tablegen -*-===//
//
// Conversions from the iq dialect to upstream dialects. Each conversion lives
// in lib/Conversion/<AToB>/.
//
//===----------------------------------------------------------------------===//

#ifndef IQC_CONVERSION_PASSES_TD
#define IQC_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertIQToLinalg : Pass<"convert-iq-to-linalg"> {
  let summary = "Lower float and plain-integer iq ops to linalg/tensor/arith/math";
  let description = [{
    Rewrites every `iq` op on tensors of plain (float, signless, unsigned or
    bool) element types into `linalg.generic`/named linalg ops, `tensor`
    ops and scalar `arith`/`math` bodies. Broadcasting becomes indexing maps;
    dynamic sizes come from `tensor.dim` of the operands, so batch and
    sequence length stay dynamic. Unsigned tensors are bitcast to signless
    storage around the arithmetic, which uses unsigned operations.

    Gather clamps its indices into range so the generated code never reads
    out of bounds; range errors are reported by the runtime's input checks.
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // IQC_CONVERSION_PASSES_TD
