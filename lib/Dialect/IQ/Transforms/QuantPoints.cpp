//===- QuantPoints.cpp - Names of quantization points ---------------------===//

#include "iqc/Dialect/IQ/Transforms/QuantPoints.h"

#include "iqc/Dialect/IQ/IR/IQDialect.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/StringMap.h"

using namespace mlir;

std::string iqc::iq::locationName(Location loc) {
  std::string name;
  loc->walk([&](Location l) {
    if (auto n = dyn_cast<NameLoc>(l)) {
      name = n.getName().str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return name;
}

bool iqc::iq::isFloatTensor(Type t) {
  auto s = dyn_cast<RankedTensorType>(t);
  return s && isa<FloatType>(s.getElementType());
}

llvm::MapVector<Value, std::string>
iqc::iq::quantPointNames(func::FuncOp func) {
  llvm::MapVector<Value, std::string> names;
  llvm::StringMap<unsigned> seen;
  auto add = [&](Value v, std::string name) {
    unsigned n = ++seen[name];
    if (n > 1)
      name += "#" + std::to_string(n);
    names.insert({v, std::move(name)});
  };
  for (BlockArgument arg : func.getArguments()) {
    if (!isFloatTensor(arg.getType()))
      continue;
    auto attr = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "iq.name");
    add(arg, attr ? attr.str() : "arg" + std::to_string(arg.getArgNumber()));
  }
  func.walk([&](Operation *op) {
    if (!isa<IQDialect>(op->getDialect()))
      return;
    std::string base = locationName(op->getLoc());
    if (base.empty())
      base = op->getName().getStringRef().str();
    for (OpResult r : op->getResults())
      if (isFloatTensor(r.getType()))
        add(r, r.getResultNumber() == 0
                   ? base
                   : base + ":" + std::to_string(r.getResultNumber()));
  });
  return names;
}

std::optional<std::vector<double>> iqc::iq::constantFloatValues(Value v) {
  Attribute attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || !type.getElementType().isF32() || !type.hasStaticShape())
    return std::nullopt;
  std::vector<double> out;
  out.reserve(type.getNumElements());
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    for (float f : dense.getValues<float>())
      out.push_back(f);
    return out;
  }
  auto res = dyn_cast<DenseResourceElementsAttr>(attr);
  AsmResourceBlob *blob = res ? res.getRawHandle().getBlob() : nullptr;
  if (!blob)
    return std::nullopt;
  ArrayRef<char> data = blob->getData();
  if ((int64_t)data.size() != type.getNumElements() * 4)
    return std::nullopt;
  for (int64_t i = 0; i < type.getNumElements(); ++i) {
    float f;
    std::memcpy(&f, data.data() + 4 * i, 4);
    out.push_back(f);
  }
  return out;
}

std::optional<double> iqc::iq::constantFloatSplat(Value v) {
  std::optional<std::vector<double>> values = constantFloatValues(v);
  if (!values || values->empty())
    return std::nullopt;
  for (double x : *values)
    if (x != values->front())
      return std::nullopt;
  return values->front();
}

iqc::iq::CastOp iqc::iq::additiveMaskSource(Value bias) {
  auto mul = bias.getDefiningOp<MulOp>();
  if (!mul)
    return {};
  std::optional<double> c = constantFloatSplat(mul.getRhs());
  Value other = mul.getLhs();
  if (!c) {
    c = constantFloatSplat(mul.getLhs());
    other = mul.getRhs();
  }
  if (!c || *c > -1e4)
    return {};
  auto sub = other.getDefiningOp<SubOp>();
  if (!sub || constantFloatSplat(sub.getLhs()) != 1.0)
    return {};
  auto cast = sub.getRhs().getDefiningOp<CastOp>();
  if (!cast ||
      !isa<IntegerType>(getElementTypeOrSelf(cast.getInput().getType())))
    return {};
  if (cast.getResult().getType() != bias.getType() &&
      llvm::cast<RankedTensorType>(cast.getResult().getType()).getShape() !=
          llvm::cast<RankedTensorType>(bias.getType()).getShape())
    return {};
  return cast;
}
