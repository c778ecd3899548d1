//===- Pipelines.h - Named compilation pipelines per target ----*- C++ -*-===//
//
// The one place where iqc's pass pipelines are assembled. Tools (iqc-opt,
// iqc-compile, iqc-run) and tests use these instead of building their own.
//
//===----------------------------------------------------------------------===//

#ifndef IQC_TARGET_PIPELINES_H
#define IQC_TARGET_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace iqc {
namespace quant {
struct RangeTable;
} // namespace quant

struct CPUPipelineOptions
    : public mlir::PassPipelineOptions<CPUPipelineOptions> {
  Option<bool> raise{*this, "raise",
                     llvm::cl::desc("Run the iq-raise pipeline first"),
                     llvm::cl::init(true)};
  Option<bool> vectorize{
      *this, "vectorize",
      llvm::cl::desc("Tile and vectorize contractions (off: plain loops)"),
      llvm::cl::init(true)};
  Option<bool> approximateMath{
      *this, "approximate-math",
      llvm::cl::desc("Vectorizable polynomial erf/tanh/exp for f32 instead "
                     "of libm calls"),
      llvm::cl::init(true)};
  Option<int64_t> vectorWidth{
      *this, "vector-width",
      llvm::cl::desc("f32 columns per matmul register block (16: AVX2, 32: "
                     "AVX-512)"),
      llvm::cl::init(16)};
  Option<int64_t> kernelRows{
      *this, "kernel-rows",
      llvm::cl::desc("Rows of C per matmul register block"),
      llvm::cl::init(6)};
  Option<bool> vnni{
      *this, "vnni",
      llvm::cl::desc("int8 contractions with the AVX-512 VNNI micro-kernel "
                     "(off: plain loops)"),
      llvm::cl::init(false)};
  Option<int64_t> kernelKBlock{
      *this, "kernel-k-block",
      llvm::cl::desc("k values per matmul cache block (0: none)"),
      llvm::cl::init(256)};
};

struct IntegerPipelineOptions
    : public mlir::PassPipelineOptions<IntegerPipelineOptions> {
  Option<std::string> ranges{
      *this, "ranges",
      llvm::cl::desc("JSON file with the calibrated activation ranges")};
  Option<int64_t> shiftMargin{
      *this, "shift-margin",
      llvm::cl::desc("Margin added to calibrated LayerNorm variance shifts"),
      llvm::cl::init(1)};
  Option<std::string> softmaxRounding{
      *this, "softmax-rounding",
      llvm::cl::desc("Integer softmax's last division: nearest or floor"),
      llvm::cl::init("nearest")};
};

/// A raised float model -> integer-only iq ops: iq-quantize with `ranges`,
/// iq-lower-quantized, canonicalization, iq-verify-integer-only.
void buildIntegerPipeline(mlir::OpPassManager &pm,
                          std::shared_ptr<const quant::RangeTable> ranges,
                          int64_t shiftMargin = 1,
                          llvm::StringRef softmaxRounding = "nearest");

/// iq (float or plain integer) -> linalg on tensors, fused.
void buildCPULowerToLinalgPipeline(mlir::OpPassManager &pm,
                                   const CPUPipelineOptions &options);
/// linalg on tensors -> bufferized loops/vectors on memrefs.
void buildCPUBufferizePipeline(mlir::OpPassManager &pm,
                               const CPUPipelineOptions &options);
/// memrefs/loops/vectors -> the LLVM dialect.
void buildCPULowerToLLVMPipeline(mlir::OpPassManager &pm,
                                 const CPUPipelineOptions &options);
/// All three: an imported iq module to the LLVM dialect.
void buildCPUPipeline(mlir::OpPassManager &pm,
                      const CPUPipelineOptions &options);

/// Registers iqc's passes and the named pipelines `iq-integer`,
/// `iqc-cpu-lower-to-linalg`, `iqc-cpu-bufferize`, `iqc-cpu-lower-to-llvm`
/// and `iqc-cpu`.
void registerPipelines();

} // namespace iqc

#endif // IQC_TARGET_PIPELINES_H
