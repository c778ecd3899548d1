//===- QDQ.cpp - Strip QuantizeLinear/DequantizeLinear pairs --------------===//
//
// A QDQ model is a float model annotated with quantization: the ranges of
// its activations are in the types of `quant.dcast(quant.qcast(x))` pairs,
// its weights are `quant.dcast`s of integer constants. iqc quantizes with
// its own rules (symmetric int8, I-BERT kernels), so it takes the float
// graph back (dequantized weights are folded at compile time) and keeps the
// pairs' ranges as if they had been calibrated.
//
//===----------------------------------------------------------------------===//

#include "iqc/Dialect/IQ/Transforms/Passes.h"
#include "iqc/Dialect/IQ/Transforms/QuantPoints.h"
#include "iqc/Quant/Ranges.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

namespace iqc::iq {
#define GEN_PASS_DEF_IQSTRIPQDQ
#include "iqc/Dialect/IQ/Transforms/Passes.h.inc"
} // namespace iqc::iq

using namespace mlir;
namespace mq = mlir::quant;

namespace {

/// Looks through storage casts and bitcasts (which only move between a
/// quantized type and its storage).
Value throughCasts(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (!isa<mq::StorageCastOp, tensor::BitcastOp>(def))
      break;
    v = def->getOperand(0);
  }
  return v;
}

/// The real range a uniform quantized type can represent.
std::pair<double, double> representable(mq::QuantizedType qt, int64_t c) {
  double s = 1, zp = 0;
  if (auto u = dyn_cast<mq::UniformQuantizedType>(qt)) {
    s = u.getScale();
    zp = u.getZeroPoint();
  } else if (auto pa = dyn_cast<mq::UniformQuantizedPerAxisType>(qt)) {
    s = pa.getScales()[c];
    zp = pa.getZeroPoints()[c];
  }
  return {(qt.getStorageTypeMin() - zp) * s, (qt.getStorageTypeMax() - zp) * s};
}

/// The integers of a constant tensor (dense or dense_resource), or nullopt.
std::optional<std::vector<int64_t>> integerValues(Value v, bool isSigned) {
  Attribute attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  auto type = dyn_cast<RankedTensorType>(v.getType());
  auto el = type ? dyn_cast<IntegerType>(type.getElementType()) : nullptr;
  if (!el || !type.hasStaticShape())
    return std::nullopt;
  std::vector<int64_t> out;
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    for (APInt x : dense.getValues<APInt>())
      out.push_back(isSigned ? x.getSExtValue() : (int64_t)x.getZExtValue());
    return out;
  }
  auto res = dyn_cast<DenseResourceElementsAttr>(attr);
  AsmResourceBlob *blob = res ? res.getRawHandle().getBlob() : nullptr;
  unsigned bytes = el.getWidth() / 8;
  if (!blob || (el.getWidth() != 8 && el.getWidth() != 32) ||
      (int64_t)blob->getData().size() != type.getNumElements() * bytes)
    return std::nullopt;
  const char *data = blob->getData().data();
  for (int64_t i = 0; i < type.getNumElements(); ++i) {
    if (bytes == 1) {
      out.push_back(isSigned ? (int64_t)(int8_t)data[i]
                             : (int64_t)(uint8_t)data[i]);
    } else {
      int32_t w;
      std::memcpy(&w, data + 4 * i, 4);
      out.push_back(w);
    }
  }
  return out;
}

/// Float values of `dcast(storage(const))`, or nullopt.
std::optional<DenseElementsAttr> foldDequantizedConstant(mq::DequantizeCastOp dq) {
  Value src = dq.getInput();
  auto qt = dyn_cast<mq::QuantizedType>(getElementTypeOrSelf(src.getType()));
  if (!qt)
    return std::nullopt;
  std::optional<std::vector<int64_t>> ints =
      integerValues(throughCasts(src), qt.isSigned());
  if (!ints)
    return std::nullopt;
  auto type = cast<RankedTensorType>(dq.getType());
  if (!type.getElementType().isF32() || !type.hasStaticShape())
    return std::nullopt;
  auto pa = dyn_cast<mq::UniformQuantizedPerAxisType>(qt);
  auto u = dyn_cast<mq::UniformQuantizedType>(qt);
  if (!pa && !u)
    return std::nullopt;
  SmallVector<int64_t> strides(type.getRank(), 1);
  for (int64_t d = type.getRank() - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * type.getDimSize(d + 1);
  SmallVector<float> out;
  out.reserve(type.getNumElements());
  for (int64_t i = 0; i < (int64_t)ints->size(); ++i) {
    int64_t c = pa ? (i / strides[pa.getQuantizedDimension()]) %
                         type.getDimSize(pa.getQuantizedDimension())
                   : 0;
    double s = pa ? pa.getScales()[c] : u.getScale();
    double zp = pa ? pa.getZeroPoints()[c] : u.getZeroPoint();
    // As DequantizeLinear computes it: (q - zp) * scale in float.
    out.push_back((float)((double)(*ints)[i] - zp) * (float)s);
  }
  return DenseElementsAttr::get(type, ArrayRef(out));
}

} // namespace

unsigned iqc::iq::stripQDQ(func::FuncOp func, quant::RangeTable &ranges) {
  // Ranges of the values that QDQ pairs annotate, merged over pairs.
  llvm::MapVector<Value, std::pair<double, double>> annotated;
  unsigned pairs = 0;
  SmallVector<mq::DequantizeCastOp> dqs;
  func.walk([&](mq::DequantizeCastOp dq) { dqs.push_back(dq); });
  OpBuilder b(func.getContext());
  for (mq::DequantizeCastOp dq : dqs) {
    if (auto values = foldDequantizedConstant(dq)) {
      b.setInsertionPoint(dq);
      Value c = arith::ConstantOp::create(b, dq.getLoc(), *values);
      dq.replaceAllUsesWith(c);
      dq.erase();
      continue;
    }
    auto q = throughCasts(dq.getInput()).getDefiningOp<mq::QuantizeCastOp>();
    if (!q || q.getInput().getType() != dq.getType())
      continue;
    auto qt = cast<mq::QuantizedType>(getElementTypeOrSelf(q.getType()));
    double lo = 0, hi = 0;
    int64_t channels = 1;
    if (auto pa = dyn_cast<mq::UniformQuantizedPerAxisType>(qt))
      channels = pa.getScales().size();
    for (int64_t c = 0; c < channels; ++c) {
      auto [l, h] = representable(qt, c);
      lo = std::min(lo, l);
      hi = std::max(hi, h);
    }
    Value x = q.getInput();
    auto [it, inserted] = annotated.insert({x, {lo, hi}});
    if (!inserted) {
      it->second.first = std::min(it->second.first, lo);
      it->second.second = std::max(it->second.second, hi);
    }
    dq.replaceAllUsesWith(x);
    dq.erase();
    ++pairs;
  }
  // Dead quantize casts and storage casts.
  SmallVector<Operation *> dead;
  func.walk([&](Operation *op) {
    if (isa<mq::QuantizeCastOp, mq::StorageCastOp, tensor::BitcastOp>(op))
      dead.push_back(op);
  });
  for (Operation *op : llvm::reverse(dead))
    if (op->use_empty())
      op->erase();
  // Reshapes and transposes keep values: a pair after one annotates its
  // source as well (attention's context is annotated after the head
  // transpose, where the next MatMul reads it).
  for (size_t i = 0; i < annotated.size(); ++i) {
    auto [v, range] = *(annotated.begin() + i);
    Operation *def = v.getDefiningOp();
    if (!def || !isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp,
                     tensor::ReshapeOp, linalg::TransposeOp>(def))
      continue;
    auto [it, inserted] = annotated.insert({def->getOperand(0), range});
    if (!inserted) {
      it->second.first = std::min(it->second.first, range.first);
      it->second.second = std::max(it->second.second, range.second);
    }
  }
  llvm::MapVector<Value, std::string> names = quantPointNames(func);
  for (auto &[v, range] : annotated) {
    auto it = names.find(v);
    if (it == names.end())
      continue; // not a quantization point (e.g. a reshape's result)
    ranges.method = "qdq";
    ranges.points[it->second] = {range.first, range.second, std::nullopt};
  }
  return pairs;
}

namespace {
struct IQStripQDQPass : iqc::iq::impl::IQStripQDQBase<IQStripQDQPass> {
  void runOnOperation() override {
    iqc::quant::RangeTable ranges;
    iqc::iq::stripQDQ(getOperation(), ranges);
  }
};
} // namespace
