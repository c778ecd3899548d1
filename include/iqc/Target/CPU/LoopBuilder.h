//===- LoopBuilder.h - scf.for nests built through one builder ---*- C++
//-*-===//
//
// What the CPU micro-kernel emitters (f32 and int8) share: loop nests built
// by callbacks that keep using their own OpBuilder, the strided memref types
// their kernel functions take, and those functions' creation.
//
//===----------------------------------------------------------------------===//

#ifndef IQC_TARGET_CPU_LOOPBUILDER_H
#define IQC_TARGET_CPU_LOOPBUILDER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

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

/// True if the innermost dim of `v` (a memref) has unit stride.
inline bool innermostContiguous(mlir::Value v) {
  auto type = mlir::dyn_cast<mlir::MemRefType>(v.getType());
  if (!type)
    return false;
  llvm::SmallVector<int64_t> strides;
  int64_t offset;
  if (mlir::failed(type.getStridesAndOffset(strides, offset)))
    return false;
  return !strides.empty() && strides.back() == 1;
}

/// memref<?x...x?xel> with dynamic offset and strides (the innermost stride
/// 1 with `unitInnerStride`).
inline mlir::MemRefType stridedType(mlir::MLIRContext *ctx, int64_t rank,
                                    mlir::Type el, bool unitInnerStride) {
  constexpr int64_t kDyn = mlir::ShapedType::kDynamic;
  llvm::SmallVector<int64_t> strides(rank, kDyn);
  if (unitInnerStride)
    strides.back() = 1;
  return mlir::MemRefType::get(
      llvm::SmallVector<int64_t>(rank, kDyn), el,
      mlir::StridedLayoutAttr::get(ctx, kDyn, strides));
}

/// A new private function `name` of `module` taking `args`, kept out of
/// line (one copy of each kernel: LLVM would otherwise inline it at every
/// call); `b` is left at the start of its entry block.
inline mlir::func::FuncOp createKernelFunction(mlir::ModuleOp module,
                                               llvm::StringRef name,
                                               mlir::TypeRange args,
                                               mlir::OpBuilder &b) {
  b.setInsertionPointToEnd(module.getBody());
  auto f = mlir::func::FuncOp::create(b, module.getLoc(), name,
                                      b.getFunctionType(args, {}));
  f.setPrivate();
  f->setAttr("passthrough", b.getArrayAttr({b.getStringAttr("noinline")}));
  b.setInsertionPointToStart(f.addEntryBlock());
  return f;
}

} // namespace iqc

#endif // IQC_TARGET_CPU_LOOPBUILDER_H
