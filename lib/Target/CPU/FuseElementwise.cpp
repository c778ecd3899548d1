//===- FuseElementwise.cpp - Elementwise-only linalg fusion ---------------===//

#include "iqc/Target/CPU/Passes.h"

#include "iqc/Conversion/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace iqc {
#define GEN_PASS_DEF_CPUFUSEELEMENTWISE
#include "iqc/Target/CPU/Passes.h.inc"
} // namespace iqc

using namespace mlir;

namespace {
/// Elementwise generics fuse, except the float boundary (quantize /
/// dequantize), which stays a loop of its own outside the integer body.
bool isElementwise(Operation *op) {
  auto generic = dyn_cast_if_present<linalg::GenericOp>(op);
  return generic && generic.getNumParallelLoops() == generic.getNumLoops() &&
         !generic->hasAttr(iqc::kBoundaryAttrName);
}

struct CPUFuseElementwisePass
    : iqc::impl::CPUFuseElementwiseBase<CPUFuseElementwisePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    linalg::populateElementwiseOpsFusionPatterns(
        patterns, [](OpOperand *operand) {
          Operation *producer = operand->get().getDefiningOp();
          if (!isElementwise(producer) ||
              !isElementwise(operand->getOwner()) || !producer->hasOneUse())
            return false;
          // A producer read through a broadcast (a per-row value such as a
          // LayerNorm's 1/std used by every element) would be recomputed
          // for every element of the consumer: keep it a loop of its own.
          auto consumer = cast<linalg::GenericOp>(operand->getOwner());
          return consumer.getMatchingIndexingMap(operand).isPermutation();
        });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
