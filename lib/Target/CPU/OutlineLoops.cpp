//===- OutlineLoops.cpp - One function per top-level loop nest ------------===//

#include "iqc/Target/CPU/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/RegionUtils.h"

namespace iqc {
#define GEN_PASS_DEF_CPUOUTLINELOOPS
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

struct CPUOutlineLoopsPass
    : iqc::impl::CPUOutlineLoopsBase<CPUOutlineLoopsPass> {
  using Base::Base;

  /// Outlines `loop` into a function placed after `after`; returns it.
  func::FuncOp outline(func::FuncOp func, Operation *after, scf::ForOp loop,
                       unsigned index) {
    // Values the nest uses from outside: its bounds and captured values.
    SetVector<Value> captured;
    for (Value v : loop->getOperands())
      captured.insert(v);
    getUsedValuesDefinedAbove(loop->getRegions(), captured);
    SmallVector<Value> args, constants;
    for (Value v : captured)
      (isClonableConstant(v) ? constants : args).push_back(v);

    OpBuilder b(func);
    b.setInsertionPointAfter(after);
    std::string name = (func.getSymName() + "_loop" + Twine(index)).str();
    auto outlined = func::FuncOp::create(
        b, loop.getLoc(), name,
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
    b.clone(*loop, map);
    func::ReturnOp::create(b, loop.getLoc());

    OpBuilder call(loop);
    func::CallOp::create(call, loop.getLoc(), outlined, args);
    loop.erase();
    return outlined;
  }

  void runOnOperation() override {
    SmallVector<func::FuncOp> funcs;
    for (auto f : getOperation().getOps<func::FuncOp>())
      if (!f.isDeclaration() && !f.isPrivate())
        funcs.push_back(f);
    for (func::FuncOp f : funcs) {
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
        after = outline(f, after, loop, i);
    }
  }
};

} // namespace
