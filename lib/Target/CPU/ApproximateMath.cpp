//===- ApproximateMath.cpp - Vectorizable erf/tanh/exp --------------------===//

#include "iqc/Target/CPU/Passes.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace iqc {
#define GEN_PASS_DEF_CPUAPPROXIMATEMATH
#include "iqc/Target/CPU/Passes.h.inc"
} // namespace iqc

using namespace mlir;

namespace {
struct CPUApproximateMathPass
    : iqc::impl::CPUApproximateMathBase<CPUApproximateMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, [](StringRef name) {
      return name == "erf" || name == "tanh" || name == "exp" ||
             name == "math.erf" || name == "math.tanh" || name == "math.exp";
    });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
