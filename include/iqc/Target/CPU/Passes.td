//===- Passes.td - CPU code generation passes --------------*- tablegen -*-===//

#ifndef IQC_TARGET_CPU_PASSES_TD
#define IQC_TARGET_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def CPULowerContractions : Pass<"iqc-cpu-lower-contractions", "mlir::ModuleOp"> {
  let summary = "Lower f32 linalg.matmul/batch_matmul on memrefs to a register-blocked vector micro-kernel";
  let description = [{
    Replaces each bufferized `linalg.matmul` / `linalg.batch_matmul` on f32
    memrefs whose innermost dims are contiguous with loops around a
    `rows x vector-width` block: the block's accumulators stay in vector
    registers (loop-carried values of the k loop), each k step loads one row
    of B as a vector, broadcasts one element of A per row and issues FMAs.
    Column tails use masked loads/stores, row tails a one-row block. Other
    contractions are left to `convert-linalg-to-loops`. The kernel is one
    private function per module (`__iqc_matmul_f32`,
    `__iqc_batch_matmul_f32`) on dynamically strided memrefs; each matmul
    becomes a call, which keeps code size and LLVM compile time small.
  }];
  let options = [
    Option<"rows", "rows", "int64_t", /*default=*/"6",
           "Rows of C per register block">,
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"16",
           "Columns of C per register block (f32 lanes)">,
    Option<"kBlock", "k-block", "int64_t", /*default=*/"256",
           "Sweep all row blocks per block of this many k (0: no blocking)">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def CPULowerIntegerContractions : Pass<"iqc-cpu-lower-int8-contractions", "mlir::ModuleOp"> {
  let summary = "Lower int8 contraction generics on memrefs to an AVX-512 VNNI micro-kernel";
  let description = [{
    Matches the integer contraction generics of convert-iq-to-linalg
    (`c + ext(a) * extsi(b)` on i8 operands, i32 accumulator; matmul or
    batch matmul maps) and replaces each by calls to three shared
    routines: a copy of the lhs with its sign bit flipped (for vpdpbusd's
    unsigned operand; unsigned lhs are only copied), the rhs packed as
    [N/NR][K/4][NR][4] bytes with 128 * colsum(B) (done once at compile
    time for constant weights, which replace the row-major global), and a
    register-blocked kernel of `rows` x `columns` i32 accumulators built on
    `llvm.x86.avx512.vpdpbusd.512`. The results are exact: the same i32
    sums as the generic. Run it only for targets with avx512vnni.
  }];
  let options = [
    Option<"rows", "rows", "int64_t", /*default=*/"8",
           "Rows of C per register block">,
    Option<"columns", "columns", "int64_t", /*default=*/"32",
           "Columns of C per register block (a multiple of 16)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::func::FuncDialect",
    "::mlir::LLVM::LLVMDialect", "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect", "::mlir::vector::VectorDialect"
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

def CPUFuseElementwise : Pass<"iqc-cpu-fuse-elementwise"> {
  let summary = "Fuse chains of elementwise linalg.generic ops, keeping contractions intact";
  let description = [{
    Upstream `linalg-fuse-elementwise-ops` also propagates reshapes into
    contractions and fuses producers into them, which turns a
    `linalg.matmul` between a collapse and an expand into a higher-rank
    `linalg.generic` that the matmul micro-kernel no longer recognizes.
    This pass fuses only when both producer and consumer are all-parallel
    generics (elementwise chains such as bias + GELU + residual).
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def CPUApproximateMath : Pass<"iqc-cpu-approximate-math"> {
  let summary = "Replace f32 erf/tanh/exp by MLIR's polynomial approximations";
  let description = [{
    libm calls inside loops block LLVM's vectorizer (GELU's erf over a
    [128, 3072] tensor is 400k calls per layer). MLIR's polynomial
    approximations are plain arith, accurate to a few ulp for f32, and
    vectorize. f64 and other ops keep libm.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect"];
}

def CPUOutlineLoops : Pass<"iqc-cpu-outline-loops", "mlir::ModuleOp"> {
  let summary = "Outline each top-level loop nest of the model function into its own function";
  let description = [{
    A whole model lowered to loops is one function with thousands of loops;
    LLVM's codegen (loop strength reduction, register allocation) is
    superlinear in function size, so BERT-base took over a minute to
    compile. Each top-level `scf.for` nest (one per linalg op) becomes a
    private `noinline` function taking the values it uses, and the model
    function calls them in order. Index constants are cloned, not passed.
    Memref arguments that no other argument can alias are recorded for
    `iqc-cpu-mark-noalias` (attribute `iqc.noalias_slots`).
  }];
  let options = [
    Option<"minOps", "min-ops", "int64_t", /*default=*/"8",
           "Only outline loop nests with at least this many operations">
  ];
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

def CPUMarkNoAlias : Pass<"iqc-cpu-mark-noalias", "mlir::ModuleOp"> {
  let summary = "Mark the pointers of memrefs that nothing else aliases noalias";
  let description = [{
    `iqc-cpu-outline-loops` records, on each function it outlines, which
    memref arguments view a fresh allocation (`memref.alloc`/`alloca`)
    that no other argument views, while every other memref argument comes
    from a known buffer (an allocation, a global or a model argument). On
    the LLVM dialect (after `convert-func-to-llvm`, which expands a memref
    into its descriptor's fields) this pass puts `llvm.noalias` on those
    memrefs' aligned pointers. LLVM can then keep a reduction's
    accumulator in registers instead of storing it back each iteration,
    and vectorize the loop (integer reductions; float ones keep their
    order without reassociation flags).
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def CPUOutlineBoundary : Pass<"iqc-cpu-outline-boundary", "mlir::ModuleOp"> {
  let summary = "Outline the float boundary of an integer-only model into named functions";
  let description = [{
    The linalg ops that quantize model inputs and dequantize outputs
    (tagged `iq.boundary` by convert-iq-to-linalg) become private
    `noinline` functions `<model>_quantize<N>` / `<model>_dequantize<N>`
    on memrefs. Everything else the model function computes is the
    integer-only body, so the symbol names of a compiled library say which
    code may contain floating point (checked by test/e2e/integer).
  }];
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

#endif // IQC_TARGET_CPU_PASSES_TD
