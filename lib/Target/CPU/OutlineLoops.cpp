//===- OutlineLoops.cpp - One function per top-level loop nest ------------===//
//
// Both passes move a result-free op of the model function (a loop nest, or
// a boundary linalg op on memrefs) into a private noinline function that
// the model function calls.
//
//===----------------------------------------------------------------------===//

#include "iqc/Target/CPU/Passes.h"

#include "iqc/Conversion/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/RegionUtils.h"

namespace iqc {
#define GEN_PASS_DEF_CPUOUTLINELOOPS
#define GEN_PASS_DEF_CPUOUTLINEBOUNDARY
#include "iqc/Target/CPU/Passes.h.inc"
} // namespace iqc

using namespace mlir;

namespace {

bool isClonableConstant(Value v) {
  Operation *def = v.getDefiningOp();
  return def && def->hasTrait<OpTrait::ConstantLike>() &&
         def->getNumOperands() == 0 && def->getNumRegions() == 0 &&
         (v.getType().isIntOrIndexOrFloat());
}

/// Outlines the result-free `op` of `func` into a function `name` placed
/// after `after`, called in its place; returns the new function.
func::FuncOp outline(func::FuncOp func, Operation *after, Operation *op,
                     StringRef name) {
  // Values the op uses from outside: its operands and captured values.
  SetVector<Value> captured;
  for (Value v : op->getOperands())
    captured.insert(v);
  getUsedValuesDefinedAbove(op->getRegions(), captured);
  SmallVector<Value> args, constants;
  for (Value v : captured)
    (isClonableConstant(v) ? constants : args).push_back(v);

  OpBuilder b(func);
  b.setInsertionPointAfter(after);
  auto outlined = func::FuncOp::create(
      b, op->getLoc(), name,
      b.getFunctionType(ValueRange(args).getTypes(), {}));
  outlined.setPrivate();
  outlined->setAttr("passthrough",
                    b.getArrayAttr({b.getStringAttr("noinline")}));
  Block *entry = outlined.addEntryBlock();
  b.setInsertionPointToStart(entry);
  IRMapping map;
  for (auto [v, arg] : llvm::zip(args, entry->getArguments()))
    map.map(v, arg);
  for (Value c : constants)
    map.map(c, b.clone(*c.getDefiningOp())->getResult(0));
  b.clone(*op, map);
  func::ReturnOp::create(b, op->getLoc());

  OpBuilder call(op);
  func::CallOp::create(call, op->getLoc(), outlined, args);
  op->erase();
  return outlined;
}

SmallVector<func::FuncOp> modelFunctions(ModuleOp module) {
  SmallVector<func::FuncOp> funcs;
  for (auto f : module.getOps<func::FuncOp>())
    if (!f.isDeclaration() && !f.isPrivate())
      funcs.push_back(f);
  return funcs;
}

struct CPUOutlineLoopsPass
    : iqc::impl::CPUOutlineLoopsBase<CPUOutlineLoopsPass> {
  using Base::Base;

  void runOnOperation() override {
    for (func::FuncOp f : modelFunctions(getOperation())) {
      SmallVector<scf::ForOp> loops;
      for (Block &block : f.getBody())
        for (auto loop : block.getOps<scf::ForOp>()) {
          int64_t size = 0;
          loop->walk([&](Operation *) { ++size; });
          if (loop.getNumResults() == 0 && size >= minOps)
            loops.push_back(loop);
        }
      Operation *after = f;
      for (auto [i, loop] : llvm::enumerate(loops))
        after = outline(f, after, loop,
                        (f.getSymName() + "_loop" + Twine(i)).str());
    }
  }
};

struct CPUOutlineBoundaryPass
    : iqc::impl::CPUOutlineBoundaryBase<CPUOutlineBoundaryPass> {
  void runOnOperation() override {
    for (func::FuncOp f : modelFunctions(getOperation())) {
      SmallVector<Operation *> ops;
      f.walk([&](Operation *op) {
        if (op->hasAttr(iqc::kBoundaryAttrName) && op->getNumResults() == 0)
          ops.push_back(op);
      });
      Operation *after = f;
      llvm::StringMap<unsigned> counts;
      for (Operation *op : ops) {
        StringRef kind =
            op->getAttrOfType<StringAttr>(iqc::kBoundaryAttrName).getValue();
        after = outline(f, after, op,
                        (f.getSymName() + "_" + kind +
                         Twine(counts[kind]++))
                            .str());
      }
    }
  }
};

} // namespace
