//===- Passes.td - CPU code generation passes --------------*- tablegen -*-===//

#ifndef IQC_TARGET_CPU_PASSES_TD
#define IQC_TARGET_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def CPULowerContractions : Pass<"iqc-cpu-lower-contractions", "mlir::func::FuncOp"> {
  let summary = "Lower f32 linalg.matmul/batch_matmul on memrefs to a register-blocked vector micro-kernel";
  let description = [{
    Replaces each bufferized `linalg.matmul` / `linalg.batch_matmul` on f32
    memrefs whose innermost dims are contiguous with loops around a
    `rows x vector-width` block: the block's accumulators stay in vector
    registers (loop-carried values of the k loop), each k step loads one row
    of B as a vector, broadcasts one element of A per row and issues FMAs.
    Column tails use masked loads/stores, row tails a one-row block. Other
    contractions are left to `convert-linalg-to-loops`.
  }];
  let options = [
    Option<"rows", "rows", "int64_t", /*default=*/"6",
           "Rows of C per register block">,
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"16",
           "Columns of C per register block (f32 lanes)">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def CPUFlattenExpandShapes : Pass<"iqc-cpu-flatten-expand-shapes", "mlir::func::FuncOp"> {
  let summary = "Rewrite contiguous memref.expand_shape into memref.reinterpret_cast";
  let description = [{
    `expand-strided-metadata` in MLIR 22 crashes on an `expand_shape` whose
    reassociation group holds more than one dynamic size (as produced when
    canonicalization folds a `[B*S, K] -> [B, S, H, D]` reshape). For a
    result with the identity layout the strides are the running products of
    the output sizes, so the op is replaced by `extract_strided_metadata` +
    `reinterpret_cast` before that pass runs.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect"];
}

#endif // IQC_TARGET_CPU_PASSES_TD
