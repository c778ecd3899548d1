//===- OutlineLoops.cpp - One function per top-level loop nest ------------===//
//
// Both passes move a result-free op of the model function (a loop nest, or
// a boundary linalg op on memrefs) into a private noinline function that
// the model function calls.
//
// The outlined functions record which of their memref arguments are fresh
// allocations no other argument can alias; iqc-cpu-mark-noalias turns that
// into LLVM `noalias` on the lowered pointers, so LLVM may keep reduction
// accumulators in registers and vectorize.
//
//===----------------------------------------------------------------------===//

#include "iqc/Target/CPU/Passes.h"

#include "iqc/Conversion/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/RegionUtils.h"

namespace iqc {
#define GEN_PASS_DEF_CPUOUTLINELOOPS
#define GEN_PASS_DEF_CPUOUTLINEBOUNDARY
#define GEN_PASS_DEF_CPUMARKNOALIAS
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

/// The buffer `v` views, through view-like ops (casts, subviews, reshapes).
Value viewRoot(Value v) {
  while (auto view = v.getDefiningOp<ViewLikeOpInterface>())
    v = view.getViewSource();
  return v;
}

bool isFreshAllocation(Value root) {
  return isa_and_nonnull<memref::AllocOp, memref::AllocaOp>(root.getDefiningOp());
}

/// Whether no buffer of unknown origin hides behind `root`: a fresh
/// allocation, a global, or an argument of the model function.
bool isKnownRoot(Value root, func::FuncOp func) {
  if (auto arg = dyn_cast<BlockArgument>(root))
    return arg.getOwner() == &func.getBody().front();
  return isFreshAllocation(root) ||
         isa_and_nonnull<memref::GetGlobalOp>(root.getDefiningOp());
}

/// The positions of the aligned pointers, among the LLVM arguments that
/// `args` lower to (a ranked memref of rank r: allocated and aligned
/// pointer, offset, r sizes, r strides; a scalar: itself), of the memrefs
/// that view a fresh allocation no other argument views. Empty when an
/// argument has another type or a memref of unknown origin is passed.
SmallVector<int64_t> noAliasSlots(func::FuncOp func, ArrayRef<Value> args) {
  SmallVector<Value> roots;
  for (Value v : args) {
    if (!isa<MemRefType>(v.getType()))
      continue;
    Value root = viewRoot(v);
    if (!isKnownRoot(root, func))
      return {};
    roots.push_back(root);
  }
  SmallVector<int64_t> slots;
  int64_t slot = 0;
  for (Value v : args) {
    Type t = v.getType();
    if (auto m = dyn_cast<MemRefType>(t)) {
      Value root = viewRoot(v);
      if (isFreshAllocation(root) && llvm::count(roots, root) == 1)
        slots.push_back(slot + 1);
      slot += 3 + 2 * m.getRank();
    } else if (t.isIntOrIndexOrFloat()) {
      ++slot;
    } else {
      return {};
    }
  }
  return slots;
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
  SmallVector<int64_t> slots = noAliasSlots(func, args);
  if (!slots.empty())
    outlined->setAttr(iqc::kNoAliasSlotsAttrName,
                      b.getDenseI64ArrayAttr(slots));
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

struct CPUMarkNoAliasPass
    : iqc::impl::CPUMarkNoAliasBase<CPUMarkNoAliasPass> {
  void runOnOperation() override {
    getOperation().walk([&](LLVM::LLVMFuncOp f) {
      auto slots = f->getAttrOfType<DenseI64ArrayAttr>(iqc::kNoAliasSlotsAttrName);
      if (!slots)
        return;
      f->removeAttr(iqc::kNoAliasSlotsAttrName);
      for (int64_t i : slots.asArrayRef()) {
        if (i >= f.getNumArguments() ||
            !isa<LLVM::LLVMPointerType>(f.getArgumentTypes()[i])) {
          f.emitError("iqc-cpu-mark-noalias: argument ")
              << i << " is not a lowered memref's aligned pointer";
          return signalPassFailure();
        }
        f.setArgAttr(i, LLVM::LLVMDialect::getNoAliasAttrName(),
                     UnitAttr::get(f.getContext()));
      }
    });
  }
};

} // namespace
