//===- Passes.h - Passes of the iq dialect ----------------------*- C++ -*-===//
//
// Declares the iq passes and the `iq-raise` pipeline.
//
//===----------------------------------------------------------------------===//

#ifndef IQC_DIALECT_IQ_TRANSFORMS_PASSES_H
#define IQC_DIALECT_IQ_TRANSFORMS_PASSES_H

#include "iqc/Dialect/IQ/IR/IQOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

namespace iqc::quant {
struct RangeTable;
} // namespace iqc::quant

namespace iqc::iq {

#define GEN_PASS_DECL
#include "iqc/Dialect/IQ/Transforms/Passes.h.inc"

/// Adds every raising pass, with canonicalization between them, in the order
/// the quantizer expects (linear before gelu so bias adds are absorbed first).
void buildRaisePipeline(mlir::OpPassManager &pm);

/// iq-quantize with ranges calibrated in process (instead of a file).
std::unique_ptr<mlir::Pass>
createIQQuantizeWithRanges(std::shared_ptr<const quant::RangeTable> ranges,
                           int64_t shiftMargin = 1);

/// iq-prune-tokens' fixed-point threshold round(max(1e-5, theta) 2^40) (the
/// form of its runtime-thresholds input); 0 for theta = 0 (the layer keeps
/// everything).
int64_t pruneFixedThreshold(double theta);

/// Registers the passes and the `iq-raise` pipeline with the global registry.
void registerPasses();

#define GEN_PASS_REGISTRATION
#include "iqc/Dialect/IQ/Transforms/Passes.h.inc"

} // namespace iqc::iq

#endif // IQC_DIALECT_IQ_TRANSFORMS_PASSES_H
