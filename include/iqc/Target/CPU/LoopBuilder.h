//===- LoopBuilder.h - scf.for nests built through one builder ---*- C++ -*-===//
//
// The CPU micro-kernel emitters build loop nests by callbacks that keep
// using their own OpBuilder; this is the one helper they share.
//
//===----------------------------------------------------------------------===//

#ifndef IQC_TARGET_CPU_LOOPBUILDER_H
#define IQC_TARGET_CPU_LOOPBUILDER_H

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"

namespace iqc {

/// scf.for lb..ub step `step` (no iter args) whose body `body(iv)` is built
/// through `b`, which points into the body meanwhile.
inline void buildLoop(mlir::OpBuilder &b, mlir::Location loc, mlir::Value lb,
                      mlir::Value ub, mlir::Value step,
                      llvm::function_ref<void(mlir::Value)> body) {
  mlir::scf::ForOp::create(
      b, loc, lb, ub, step, mlir::ValueRange{},
      [&](mlir::OpBuilder &nb, mlir::Location, mlir::Value iv,
          mlir::ValueRange) {
        mlir::OpBuilder::InsertionGuard g(b);
        b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
        body(iv);
        mlir::scf::YieldOp::create(b, loc);
      });
}

} // namespace iqc

#endif // IQC_TARGET_CPU_LOOPBUILDER_H
