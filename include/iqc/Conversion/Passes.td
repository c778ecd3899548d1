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
    "::mlir::quant::QuantDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def ConvertToSignless : Pass<"iqc-convert-to-signless", "mlir::ModuleOp"> {
  let summary = "Rewrite unsigned/signed integer types to signless after lowering";
  let description = [{
    After `convert-iq-to-linalg` all arithmetic on unsigned data already uses
    unsigned arith ops; only types still say `ui8`. Bufferization and the
    LLVM conversion want signless integers, so this pass rewrites every
    value, block argument, function type and constant attribute to the
    signless type of the same width and drops the now no-op
    `tensor.bitcast`s. The model's C ABI keeps the original dtypes (they
    are recorded before the pipeline runs).
  }];
}

#endif // IQC_CONVERSION_PASSES_TD
