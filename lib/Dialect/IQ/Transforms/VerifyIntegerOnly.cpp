//===- VerifyIntegerOnly.cpp - Prove the model body is integer-only -------===//
//
// Floating point is allowed only in the input boundary (ops reachable from a
// float function argument before its quant.qcast) and the output boundary
// (ops from which a float result is reached after its quant.dcast). Any
// other op touching a float type is an error.
//
//===----------------------------------------------------------------------===//

#include "iqc/Dialect/IQ/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "llvm/ADT/SetVector.h"

namespace iqc::iq {
#define GEN_PASS_DEF_IQVERIFYINTEGERONLY
#include "iqc/Dialect/IQ/Transforms/Passes.h.inc"
} // namespace iqc::iq

using namespace mlir;

namespace {

bool isFloatType(Type t) {
  if (auto s = dyn_cast<ShapedType>(t))
    t = s.getElementType();
  return isa<FloatType>(t);
}

bool touchesFloat(Operation *op) {
  auto any = [](TypeRange types) { return llvm::any_of(types, isFloatType); };
  if (any(op->getOperandTypes()) || any(op->getResultTypes()))
    return true;
  // Float arithmetic inside regions (e.g. a linalg.generic body).
  for (Region &r : op->getRegions())
    for (Block &b : r)
      if (llvm::any_of(b.getArgumentTypes(), isFloatType))
        return true;
  return false;
}

struct IQVerifyIntegerOnlyPass
    : iqc::iq::impl::IQVerifyIntegerOnlyBase<IQVerifyIntegerOnlyPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isDeclaration())
      return;
    llvm::SmallPtrSet<Operation *, 32> boundary;
    // Input boundary: forward from float arguments, stopping after qcast.
    SmallVector<Value> work;
    for (BlockArgument arg : func.getArguments())
      if (isFloatType(arg.getType()))
        work.push_back(arg);
    while (!work.empty()) {
      Value v = work.pop_back_val();
      for (Operation *user : v.getUsers()) {
        Operation *top = func.getBody().front().findAncestorOpInBlock(*user);
        if (!top || !boundary.insert(top).second)
          continue;
        if (isa<quant::QuantizeCastOp>(top))
          continue;
        for (Value r : top->getResults())
          work.push_back(r);
      }
    }
    // Output boundary: backward from float results, stopping at dcast.
    auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
    for (Value v : ret.getOperands())
      if (isFloatType(v.getType()))
        work.push_back(v);
    while (!work.empty()) {
      Value v = work.pop_back_val();
      Operation *def = v.getDefiningOp();
      if (!def || !boundary.insert(def).second)
        continue;
      if (isa<quant::DequantizeCastOp>(def))
        continue;
      for (Value o : def->getOperands())
        work.push_back(o);
    }
    bool failedAny = false;
    for (Operation &op : func.getBody().front()) {
      if (boundary.contains(&op) || isa<func::ReturnOp>(op) ||
          !touchesFloat(&op))
        continue;
      op.emitError() << "'" << op.getName()
                     << "' computes in floating point inside the "
                        "integer-only model body (between the input "
                        "quantization and the output dequantization)";
      failedAny = true;
    }
    if (failedAny)
      signalPassFailure();
  }
};

} // namespace
