//===- Signless.cpp - Drop integer signedness after lowering --------------===//

#include "iqc/Conversion/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace iqc {
#define GEN_PASS_DEF_CONVERTTOSIGNLESS
#include "iqc/Conversion/Passes.h.inc"
} // namespace iqc

using namespace mlir;

namespace {

Type signlessType(Type t) {
  if (auto i = dyn_cast<IntegerType>(t); i && !i.isSignless())
    return IntegerType::get(t.getContext(), i.getWidth());
  if (auto s = dyn_cast<ShapedType>(t)) {
    Type el = signlessType(s.getElementType());
    if (el != s.getElementType())
      return s.clone(el);
  }
  if (auto f = dyn_cast<FunctionType>(t)) {
    auto conv = [](TypeRange r) {
      return llvm::map_to_vector(r, [](Type x) { return signlessType(x); });
    };
    return FunctionType::get(t.getContext(), conv(f.getInputs()),
                             conv(f.getResults()));
  }
  return t;
}

Attribute signlessAttr(Attribute a) {
  if (auto ta = dyn_cast<TypeAttr>(a))
    return TypeAttr::get(signlessType(ta.getValue()));
  if (auto ia = dyn_cast<IntegerAttr>(a)) {
    Type t = signlessType(ia.getType());
    return t == ia.getType() ? a : IntegerAttr::get(t, ia.getValue());
  }
  if (auto dense = dyn_cast<DenseElementsAttr>(a)) {
    Type t = signlessType(dense.getType());
    if (t == dense.getType())
      return a;
    return dense.bitcast(cast<ShapedType>(t).getElementType());
  }
  if (auto res = dyn_cast<DenseResourceElementsAttr>(a)) {
    Type t = signlessType(res.getType());
    if (t == res.getType())
      return a;
    return DenseResourceElementsAttr::get(cast<ShapedType>(t),
                                          res.getRawHandle());
  }
  return a;
}

struct ConvertToSignlessPass
    : iqc::impl::ConvertToSignlessBase<ConvertToSignlessPass> {
  void runOnOperation() override {
    getOperation().walk([](Operation *op) {
      for (Value r : op->getResults())
        r.setType(signlessType(r.getType()));
      for (Region &region : op->getRegions())
        for (Block &block : region)
          for (BlockArgument arg : block.getArguments())
            arg.setType(signlessType(arg.getType()));
      for (NamedAttribute attr : op->getAttrs()) {
        Attribute converted = signlessAttr(attr.getValue());
        if (converted != attr.getValue())
          op->setAttr(attr.getName(), converted);
      }
    });
    // Bitcasts between ui8 and i8 are now identities.
    getOperation().walk([](tensor::BitcastOp op) {
      if (op.getSource().getType() == op.getType()) {
        op.replaceAllUsesWith(op.getSource());
        op.erase();
      }
    });
  }
};

} // namespace
