//===- FlattenExpandShapes.cpp - Work around expand_shape lowering --------===//
//
// See the pass description: identity-layout memref.expand_shape becomes a
// reinterpret_cast with row-major strides computed from the output sizes.
//
//===----------------------------------------------------------------------===//

#include "iqc/Target/CPU/Passes.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"

namespace iqc {
#define GEN_PASS_DEF_CPUFLATTENEXPANDSHAPES
#include "iqc/Target/CPU/Passes.h.inc"
} // namespace iqc

using namespace mlir;

namespace {
struct CPUFlattenExpandShapesPass
    : iqc::impl::CPUFlattenExpandShapesBase<CPUFlattenExpandShapesPass> {
  void runOnOperation() override {
    SmallVector<memref::ExpandShapeOp> todo;
    getOperation().walk([&](memref::ExpandShapeOp op) {
      int64_t dynamicInGroup = 0;
      for (const auto &group : op.getReassociationIndices()) {
        int64_t n = 0;
        for (int64_t d : group)
          n += op.getResultType().isDynamicDim(d);
        dynamicInGroup = std::max(dynamicInGroup, n);
      }
      if (dynamicInGroup > 1 && op.getResultType().getLayout().isIdentity() &&
          op.getSrcType().getLayout().isIdentity())
        todo.push_back(op);
    });
    for (memref::ExpandShapeOp op : todo) {
      OpBuilder b(op);
      Location loc = op.getLoc();
      auto meta = memref::ExtractStridedMetadataOp::create(b, loc, op.getSrc());
      SmallVector<OpFoldResult> sizes = op.getMixedOutputShape();
      int64_t rank = sizes.size();
      SmallVector<OpFoldResult> strides(rank);
      OpFoldResult running = b.getIndexAttr(1);
      for (int64_t i = rank - 1; i >= 0; --i) {
        strides[i] = running;
        if (i == 0)
          break;
        std::optional<int64_t> r = getConstantIntValue(running);
        std::optional<int64_t> s = getConstantIntValue(sizes[i]);
        if (r && s) {
          running = b.getIndexAttr(*r * *s);
          continue;
        }
        running = arith::MulIOp::create(
                      b, loc, getValueOrCreateConstantIndexOp(b, loc, running),
                      getValueOrCreateConstantIndexOp(b, loc, sizes[i]))
                      .getResult();
      }
      auto cast = memref::ReinterpretCastOp::create(
          b, loc, op.getResultType(), meta.getBaseBuffer(), b.getIndexAttr(0),
          sizes, strides);
      op.replaceAllUsesWith(cast.getResult());
      op.erase();
    }
  }
};
} // namespace
