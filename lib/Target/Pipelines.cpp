//===- Pipelines.cpp - Named compilation pipelines per target -------------===//
//
// Assembles the CPU pipeline from iqc's passes and upstream MLIR passes and
// registers the stages as named pipelines, so `iqc-opt --iqc-cpu-bufferize`
// runs exactly what iqc-compile runs.
//
//===----------------------------------------------------------------------===//

#include "iqc/Target/Pipelines.h"

#include "iqc/Conversion/Passes.h"
#include "iqc/Dialect/IQ/Transforms/Passes.h"
#include "iqc/Target/CPU/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/raw_ostream.h"

#include <mutex>

using namespace mlir;

namespace {
/// Appends an upstream textual pipeline; the strings are fixed, so a parse
/// failure is a bug in iqc, not in the user's input.
void addUpstream(OpPassManager &pm, llvm::StringRef pipeline) {
  // Textual pipelines look passes up by name in the global registry.
  static std::once_flag registered;
  std::call_once(registered, [] { registerAllPasses(); });
  std::string err;
  llvm::raw_string_ostream os(err);
  if (failed(parsePassPipeline(pipeline, pm, os)))
    llvm::report_fatal_error(llvm::Twine("iqc: bad built-in pipeline '") +
                             pipeline + "': " + err);
}
} // namespace

/// `quantize` (an iq-quantize instance), then lowering to integer kernels
/// and the proof that no float is left.
static void addIntegerPasses(OpPassManager &pm, std::unique_ptr<Pass> quantize,
                             StringRef softmaxRounding) {
  OpPassManager &fpm = pm.nest<func::FuncOp>();
  fpm.addPass(std::move(quantize));
  addUpstream(fpm, "canonicalize,cse");
  iqc::iq::IQLowerQuantizedOptions lower;
  lower.softmaxRounding = softmaxRounding.str();
  fpm.addPass(iqc::iq::createIQLowerQuantized(lower));
  addUpstream(fpm, "canonicalize,cse");
  fpm.addPass(iqc::iq::createIQVerifyIntegerOnly());
}

void iqc::buildIntegerPipeline(OpPassManager &pm,
                                std::shared_ptr<const quant::RangeTable> ranges,
                                int64_t shiftMargin,
                                StringRef softmaxRounding) {
  addIntegerPasses(
      pm, iq::createIQQuantizeWithRanges(std::move(ranges), shiftMargin),
      softmaxRounding);
}

void iqc::buildCPULowerToLinalgPipeline(OpPassManager &pm,
                                        const CPUPipelineOptions &options) {
  if (options.raise)
    iq::buildRaisePipeline(pm);
  pm.addPass(createConvertIQToLinalg());
  pm.addPass(createConvertToSignless());
  addUpstream(pm, "canonicalize,cse");
  pm.addPass(createCPUFuseElementwise());
  addUpstream(pm, "canonicalize,cse");
}

void iqc::buildCPUBufferizePipeline(OpPassManager &pm,
                                    const CPUPipelineOptions &options) {
  addUpstream(pm, "one-shot-bufferize{bufferize-function-boundaries=1 "
                  "function-boundary-type-conversion=identity-layout-map},"
                  "canonicalize,buffer-deallocation-pipeline,"
                  "convert-bufferization-to-memref");
  if (options.vectorize) {
    CPULowerContractionsOptions kernel;
    kernel.vectorWidth = options.vectorWidth;
    kernel.rows = options.kernelRows;
    kernel.kBlock = options.kernelKBlock;
    pm.addPass(createCPULowerContractions(kernel));
    if (options.vnni)
      pm.addPass(createCPULowerIntegerContractions());
  }
  // The float boundary of integer models gets functions of its own.
  pm.addPass(createCPUOutlineBoundary());
  // symbol-dce: weights the int8 kernels repacked are dead.
  addUpstream(pm, "convert-linalg-to-loops,canonicalize,cse,symbol-dce");
  // Small functions keep LLVM's codegen time linear in model size.
  pm.addPass(createCPUOutlineLoops());
}

void iqc::buildCPULowerToLLVMPipeline(OpPassManager &pm,
                                      const CPUPipelineOptions &options) {
  pm.addNestedPass<func::FuncOp>(createCPUFlattenExpandShapes());
  if (options.approximateMath)
    pm.addPass(createCPUApproximateMath());
  addUpstream(pm, "convert-vector-to-scf,expand-strided-metadata,lower-affine,"
                  "convert-scf-to-cf,convert-math-to-funcs,"
                  "convert-vector-to-llvm,convert-math-to-llvm,"
                  "convert-math-to-libm,finalize-memref-to-llvm,"
                  "convert-arith-to-llvm,convert-index-to-llvm,"
                  "convert-cf-to-llvm,convert-ub-to-llvm,convert-func-to-llvm,"
                  "reconcile-unrealized-casts,canonicalize");
  pm.addPass(createCPUMarkNoAlias());
}

void iqc::buildCPUPipeline(OpPassManager &pm,
                           const CPUPipelineOptions &options) {
  buildCPULowerToLinalgPipeline(pm, options);
  buildCPUBufferizePipeline(pm, options);
  buildCPULowerToLLVMPipeline(pm, options);
}

void iqc::registerPipelines() {
  iq::registerPasses();
  registerIQCConversionPasses();
  registerCPUPasses();
  PassPipelineRegistration<IntegerPipelineOptions>(
      "iq-integer",
      "raised float iq model -> integer-only iq ops (iq-quantize with "
      "ranges=<file>, iq-lower-quantized, iq-verify-integer-only)",
      [](OpPassManager &pm, const IntegerPipelineOptions &options) {
        iq::IQQuantizeOptions q;
        q.rangesFile = options.ranges;
        q.shiftMargin = options.shiftMargin;
        addIntegerPasses(pm, iq::createIQQuantize(q), options.softmaxRounding);
      });
  PassPipelineRegistration<CPUPipelineOptions>(
      "iqc-cpu-lower-to-linalg",
      "iq ops to fused linalg on tensors (CPU stage 1)",
      buildCPULowerToLinalgPipeline);
  PassPipelineRegistration<CPUPipelineOptions>(
      "iqc-cpu-bufferize",
      "linalg on tensors to vectorized loops on memrefs (CPU stage 2)",
      buildCPUBufferizePipeline);
  PassPipelineRegistration<CPUPipelineOptions>(
      "iqc-cpu-lower-to-llvm",
      "loops and memrefs to the LLVM dialect (CPU "
      "stage 3)",
      buildCPULowerToLLVMPipeline);
  PassPipelineRegistration<CPUPipelineOptions>(
      "iqc-cpu", "the whole CPU pipeline: imported iq module to LLVM dialect",
      buildCPUPipeline);
}
