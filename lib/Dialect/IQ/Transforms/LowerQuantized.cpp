//===- LowerQuantized.cpp - Quantized iq ops to integer kernels -----------===//
//
// iq-lower-quantized: each quantized iq op (scales in its !quant.uniform
// types) becomes integer ops on its storage types, with the compile-time
// constants of shared/INTEGER-KERNELS.md computed from the scales by
// lib/Quant. Operands are taken out of their quantized types with
// quant.scast and results put back the same way, so the rewrite is local;
// canonicalization then folds the scast pairs, leaving quantized types only
// at the model boundary (quant.qcast / quant.dcast).
//
//===----------------------------------------------------------------------===//

#include "iqc/Dialect/IQ/Transforms/Passes.h"
#include "iqc/Dialect/IQ/Transforms/QuantPoints.h"
#include "iqc/Quant/IntegerKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

namespace iqc::iq {
#define GEN_PASS_DEF_IQLOWERQUANTIZED
#include "iqc/Dialect/IQ/Transforms/Passes.h.inc"
} // namespace iqc::iq

using namespace mlir;
using namespace iqc::iq;
namespace mq = mlir::quant;
namespace iqq = iqc::quant;

namespace {

mq::QuantizedType quantType(Value v) {
  return cast<mq::QuantizedType>(tensorType(v).getElementType());
}

/// The scales of a uniform quantized type and the axis they run along
/// (nullopt: per tensor).
struct Scales {
  SmallVector<double> values;
  std::optional<int64_t> axis;
  double at(size_t c) const { return values[values.size() == 1 ? 0 : c]; }
  size_t size() const { return values.size(); }
};

FailureOr<Scales> scalesOf(Type el) {
  if (auto u = dyn_cast<mq::UniformQuantizedType>(el)) {
    if (u.getZeroPoint() != 0)
      return failure();
    return Scales{{u.getScale()}, std::nullopt};
  }
  if (auto pa = dyn_cast<mq::UniformQuantizedPerAxisType>(el)) {
    if (llvm::any_of(pa.getZeroPoints(), [](int64_t z) { return z != 0; }))
      return failure();
    return Scales{SmallVector<double>(pa.getScales()),
                  pa.getQuantizedDimension()};
  }
  return failure();
}

/// The integer type iq's integer ops use for a quantized type's storage:
/// signless for signed storage, `ui<N>` for unsigned.
IntegerType storageOf(mq::QuantizedType qt) {
  unsigned w = qt.getStorageTypeIntegralWidth();
  return IntegerType::get(qt.getContext(), w,
                          qt.isSigned() ? IntegerType::Signless
                                        : IntegerType::Unsigned);
}

/// `clamp = [lo, hi]` when the quantized type's range is narrower than its
/// storage type's.
DenseI64ArrayAttr clampAttr(OpBuilder &b, mq::QuantizedType qt) {
  IntegerType st = storageOf(qt);
  unsigned w = st.getWidth();
  int64_t lo = st.isUnsigned() ? 0 : -(int64_t(1) << (w - 1));
  int64_t hi = st.isUnsigned() ? (int64_t(1) << w) - 1
                               : (int64_t(1) << (w - 1)) - 1;
  if (qt.getStorageTypeMin() == lo && qt.getStorageTypeMax() == hi)
    return {};
  return b.getDenseI64ArrayAttr(
      {qt.getStorageTypeMin(), qt.getStorageTypeMax()});
}

struct Lowering {
  OpBuilder &b;
  Operation *op;
  bool nearestSoftmax = true;
  bool failedFlag = false;

  InFlightDiagnostic error() {
    failedFlag = true;
    return op->emitError() << "iq-lower-quantized: ";
  }

  /// The storage of a quantized value as an integer tensor.
  Value toStorage(Value q) {
    mq::QuantizedType qt = quantType(q);
    Location loc = q.getLoc();
    Value s = mq::StorageCastOp::create(
        b, loc, tensorType(q).clone(qt.getStorageType()), q);
    IntegerType st = storageOf(qt);
    if (st != qt.getStorageType())
      s = tensor::BitcastOp::create(b, loc, tensorType(q).clone(st), s);
    return s;
  }

  /// An integer tensor back in the quantized type `like`'s element type.
  Value fromStorage(Value s, Type quantizedTensor) {
    auto type = cast<RankedTensorType>(quantizedTensor);
    auto qt = cast<mq::QuantizedType>(type.getElementType());
    Location loc = s.getLoc();
    if (tensorType(s).getElementType() != qt.getStorageType())
      s = tensor::BitcastOp::create(b, loc, tensorType(s).clone(qt.getStorageType()),
                                    s);
    return mq::StorageCastOp::create(b, loc, tensorType(s).clone(qt), s);
  }

  /// Sign- or zero-extends (iq.cast) an integer tensor to `width` bits.
  Value widen(Value v, unsigned width) {
    auto t = tensorType(v);
    if (t.getElementType().getIntOrFloatBitWidth() == width)
      return v;
    return CastOp::create(b, v.getLoc(), t.clone(b.getIntegerType(width)), v);
  }

  /// Dyadic multipliers and shifts of `ratios`, or an error naming `what`.
  bool dyadics(ArrayRef<double> ratios, StringRef what,
               SmallVectorImpl<int64_t> &ms, SmallVectorImpl<int64_t> &es) {
    for (double r : ratios) {
      if (!std::isfinite(r) || r == 0) {
        error() << what << ": scale ratio " << r << " cannot be requantized";
        return false;
      }
      iqq::Dyadic d = iqq::decomposeDyadic(r);
      if (d.e < -31 || d.e > 126) {
        error() << what << ": scale ratio " << r
                << " is outside the dyadic range (2^-95 .. 2^31)";
        return false;
      }
      ms.push_back(d.m);
      es.push_back(d.e);
    }
    return true;
  }

  /// iq.requant of integer `x` (scales `in`) to the quantized type `out`
  /// (one scale), into `out`'s storage.
  Value requant(Value x, const Scales &in, double outScale,
                mq::QuantizedType out, StringRef what) {
    SmallVector<double> ratios;
    for (double s : in.values)
      ratios.push_back(s / outScale);
    SmallVector<int64_t> ms, es;
    if (!dyadics(ratios, what, ms, es))
      return {};
    IntegerAttr axis;
    if (ms.size() > 1)
      axis = b.getI64IntegerAttr(*in.axis);
    return RequantOp::create(b, x.getLoc(), tensorType(x).clone(storageOf(out)),
                             x, b.getDenseI64ArrayAttr(ms),
                             b.getDenseI64ArrayAttr(es), axis,
                             clampAttr(b, out));
  }

  /// `x << k` (saturating to i32) as a requant by 2^k.
  Value shiftLeft(Value x, int64_t k) {
    if (k == 0)
      return x;
    return RequantOp::create(b, x.getLoc(), tensorType(x).clone(b.getI32Type()),
                             x, b.getDenseI64ArrayAttr({int64_t(1) << 30}),
                             b.getDenseI64ArrayAttr({30 - k}), IntegerAttr(),
                             DenseI64ArrayAttr());
  }

  /// Per-tensor scale of `v`, or an error.
  std::optional<double> perTensor(Value v, StringRef what) {
    FailureOr<Scales> s = scalesOf(quantType(v));
    if (failed(s) || s->axis) {
      error() << what << " must be quantized per tensor with zero point 0, got "
              << quantType(v);
      return std::nullopt;
    }
    return s->values[0];
  }

  /// Scales of `v` per tensor or along its last dimension.
  std::optional<Scales> channelScales(Value v, StringRef what) {
    FailureOr<Scales> s = scalesOf(quantType(v));
    if (failed(s)) {
      error() << what << " must be uniform quantized with zero point 0, got "
              << quantType(v);
      return std::nullopt;
    }
    if (s->axis && *s->axis != tensorType(v).getRank() - 1) {
      error() << what << " must be quantized per tensor or along its last "
                         "dimension, got axis "
              << *s->axis;
      return std::nullopt;
    }
    return *s;
  }

  //===--------------------------------------------------------------------===//

  Value lowerRescale(RescaleOp r) {
    FailureOr<Scales> in = scalesOf(quantType(r.getInput()));
    FailureOr<Scales> out = scalesOf(quantType(r.getResult()));
    if (failed(in) || failed(out)) {
      error() << "expects uniform types with zero point 0";
      return {};
    }
    if (in->axis && out->axis && in->axis != out->axis) {
      error() << "per-axis scales along different axes";
      return {};
    }
    size_t n = std::max(in->size(), out->size());
    SmallVector<double> ratios;
    for (size_t c = 0; c < n; ++c)
      ratios.push_back(in->at(c) / out->at(c));
    SmallVector<int64_t> ms, es;
    if (!dyadics(ratios, "rescale", ms, es))
      return {};
    IntegerAttr axis;
    if (n > 1)
      axis = b.getI64IntegerAttr(in->axis ? *in->axis : *out->axis);
    mq::QuantizedType qt = quantType(r.getResult());
    Value x = toStorage(r.getInput());
    Value y = RequantOp::create(b, r.getLoc(),
                                tensorType(x).clone(storageOf(qt)), x,
                                b.getDenseI64ArrayAttr(ms),
                                b.getDenseI64ArrayAttr(es), axis,
                                clampAttr(b, qt));
    return fromStorage(y, r.getType());
  }

  Value lowerAdd(AddOp a) {
    std::optional<double> so = perTensor(a.getResult(), "the add's result");
    std::optional<Scales> sl = channelScales(a.getLhs(), "the add's lhs");
    std::optional<Scales> sr = channelScales(a.getRhs(), "the add's rhs");
    if (!so || !sl || !sr)
      return {};
    SmallVector<int64_t> lm, le, rm, re;
    SmallVector<double> lr, rr;
    for (double s : sl->values)
      lr.push_back(s / *so);
    for (double s : sr->values)
      rr.push_back(s / *so);
    if (!dyadics(lr, "add lhs", lm, le) || !dyadics(rr, "add rhs", rm, re))
      return {};
    mq::QuantizedType qt = quantType(a.getResult());
    Value y = IAddOp::create(
        b, a.getLoc(), a.getType().clone(storageOf(qt)),
        toStorage(a.getLhs()), toStorage(a.getRhs()),
        b.getDenseI64ArrayAttr(lm), b.getDenseI64ArrayAttr(le),
        b.getDenseI64ArrayAttr(rm), b.getDenseI64ArrayAttr(re),
        clampAttr(b, qt));
    return fromStorage(y, a.getType());
  }

  Value lowerGelu(GeluOp g) {
    std::optional<Scales> in = channelScales(g.getInput(), "i-GELU's input");
    std::optional<double> so = perTensor(g.getResult(), "i-GELU's result");
    if (!in || !so)
      return {};
    if (quantType(g.getInput()).getStorageTypeIntegralWidth() > 32) {
      error() << "i-GELU takes at most 32-bit inputs";
      return {};
    }
    // The fixed 2^14 divisor needs S <= 5e-4: shift coarse inputs up to
    // S <= 3e-4 first (one shift for all channels).
    unsigned k = 0;
    for (double s : in->values)
      k = std::max(k, iqq::upscaleShift(s));
    Value x = shiftLeft(widen(toStorage(g.getInput()), 32), k);
    SmallVector<int64_t> bs, cs, ones;
    Scales outScales{{}, in->axis};
    for (double s : in->values) {
      iqq::GeluConstants c = iqq::geluConstants(std::ldexp(s, -(int)k));
      bs.push_back(c.b);
      cs.push_back(c.c);
      ones.push_back(c.one);
      outScales.values.push_back(c.outScale);
    }
    IntegerAttr axis;
    if (bs.size() > 1)
      axis = b.getI64IntegerAttr(*in->axis);
    Value poly = IGeluOp::create(
        b, g.getLoc(), tensorType(x).clone(b.getI64Type()), x,
        b.getDenseI64ArrayAttr(bs), b.getDenseI64ArrayAttr(cs),
        b.getDenseI64ArrayAttr(ones), axis);
    Value y = requant(poly, outScales, *so, quantType(g.getResult()),
                      "i-GELU output");
    return y ? fromStorage(y, g.getType()) : Value();
  }

  /// i32 logits at a scale i-exp accepts: S in [2.6e-5, 1e-3] (coarser
  /// logits are shifted up, finer ones down).
  std::pair<Value, double> expInput(Value q, double s) {
    Value x = widen(toStorage(q), 32);
    if (s > 1e-3) {
      unsigned k = iqq::upscaleShift(s, 1e-3);
      return {shiftLeft(x, k), std::ldexp(s, -(int)k)};
    }
    if (s < 2.6e-5) {
      int k = 0;
      while (std::ldexp(s, k) < 2.6e-5)
        ++k;
      Value y = RequantOp::create(
          b, x.getLoc(), tensorType(x).clone(b.getI32Type()), x,
          b.getDenseI64ArrayAttr({int64_t(1) << 30}),
          b.getDenseI64ArrayAttr({30 + k}), IntegerAttr(), DenseI64ArrayAttr());
      return {y, std::ldexp(s, k)};
    }
    return {x, s};
  }

  Value lowerSoftmax(SoftmaxOp sm) {
    std::optional<double> s = perTensor(sm.getInput(), "softmax's logits");
    if (!s)
      return {};
    auto out = cast<mq::UniformQuantizedType>(quantType(sm.getResult()));
    if (out.isSigned() || out.getStorageTypeIntegralWidth() != 8 ||
        out.getScale() != 1.0 / 256 || out.getZeroPoint() != 0) {
      error() << "the integer softmax produces u8 with scale 2^-8, not "
              << out;
      return {};
    }
    if (quantType(sm.getInput()).getStorageTypeIntegralWidth() > 32) {
      error() << "the integer softmax takes at most 32-bit logits";
      return {};
    }
    auto [x, scale] = expInput(sm.getInput(), *s);
    iqq::ExpConstants k = iqq::expConstants(scale);
    Value y = ISoftmaxOp::create(
        b, sm.getLoc(), tensorType(x).clone(storageOf(out)), x, sm.getMask(),
        k.x0, k.b, k.c, k.requant.m, k.requant.e, nearestSoftmax);
    return fromStorage(y, sm.getType());
  }

  Value lowerLayerNorm(LayerNormOp ln) {
    std::optional<double> si = perTensor(ln.getInput(), "LayerNorm's input");
    std::optional<double> so = perTensor(ln.getResult(), "LayerNorm's result");
    if (!si || !so)
      return {};
    mq::QuantizedType inType = quantType(ln.getInput());
    if (inType.getStorageTypeMax() > (int64_t(1) << 21) - 1 ||
        inType.getStorageTypeMin() < -(int64_t(1) << 21)) {
      error() << "i-LayerNorm takes at most 22-bit inputs, got " << inType;
      return {};
    }
    std::optional<int64_t> shift = ln.getVarianceShift();
    if (!shift) {
      error() << "a quantized LayerNorm needs its variance_shift";
      return {};
    }
    std::vector<double> gamma, beta;
    if (!constantValues(ln.getScale(), gamma) ||
        (ln.getBias() && !constantValues(ln.getBias(), beta))) {
      error() << "LayerNorm's scale and bias must be float constants";
      return {};
    }
    if (!ln.getBias())
      beta.assign(gamma.size(), 0.0);
    iqq::LayerNormConstants k = iqq::layerNormConstants(gamma, beta, *so);
    if (!k.error.empty()) {
      error() << k.error;
      return {};
    }
    SmallVector<int64_t> ms, es;
    for (const iqq::Dyadic &d : k.requant) {
      ms.push_back(d.m);
      es.push_back(d.e);
    }
    mq::QuantizedType out = quantType(ln.getResult());
    if (clampAttr(b, out)) {
      error() << "i-LayerNorm results use their storage type's full range, "
                 "not "
              << out;
      return {};
    }
    Value x = widen(toStorage(ln.getInput()), 32);
    Value y = ILayerNormOp::create(
        b, ln.getLoc(), tensorType(x).clone(storageOf(out)), x, *shift,
        k.bias, ms, es);
    return fromStorage(y, ln.getType());
  }

  /// tanh(x) = 2 sigmoid(2x) - 1 on integers: the input at one scale S_t
  /// (<= 5e-4, so the sigmoid sees 2x at a scale <= 1e-3), the sigmoid's
  /// 2^-15 output doubled minus 1.0, requantized to the result.
  Value lowerTanh(TanhOp t) {
    std::optional<Scales> in = channelScales(t.getInput(), "tanh's input");
    std::optional<double> so = perTensor(t.getResult(), "tanh's result");
    if (!in || !so)
      return {};
    double smax = *llvm::max_element(in->values);
    double st = std::clamp(smax, 1.5e-5, 5e-4);
    Value x = widen(toStorage(t.getInput()), 32);
    auto i32Type = mq::UniformQuantizedType::get(
        mq::QuantizationFlags::Signed, b.getI32Type(), b.getF32Type(), st, 0,
        std::numeric_limits<int32_t>::min(),
        std::numeric_limits<int32_t>::max());
    x = requant(x, *in, st, i32Type, "tanh input");
    if (!x)
      return {};
    iqq::ExpConstants k = iqq::expConstants(2 * st);
    Location loc = t.getLoc();
    Value sig = ISigmoidOp::create(b, loc, tensorType(x), x, k.x0, k.b, k.c,
                                   k.requant.m, k.requant.e);
    Value one = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(RankedTensorType::get({}, b.getI32Type()),
                                       b.getI32IntegerAttr(32768)));
    Value twice = AddOp::create(b, loc, sig, sig);
    Value tanh = SubOp::create(b, loc, twice, one);
    Value y = requant(tanh, Scales{{1.0 / 32768}, std::nullopt}, *so,
                      quantType(t.getResult()), "tanh output");
    return y ? fromStorage(y, t.getType()) : Value();
  }

  Value lowerContraction(Operation *c) {
    SmallVector<Value> operands;
    for (Value v : c->getOperands())
      operands.push_back(toStorage(v));
    auto result = tensorType(c->getResult(0));
    auto qt = cast<mq::QuantizedType>(result.getElementType());
    auto storage = result.clone(storageOf(qt));
    Value y;
    if (auto l = dyn_cast<LinearOp>(c))
      y = LinearOp::create(b, c->getLoc(), storage, operands[0], operands[1],
                           operands.size() > 2 ? operands[2] : Value());
    else
      y = MatMulOp::create(b, c->getLoc(), storage, operands[0], operands[1]);
    return fromStorage(y, result);
  }

  Value lowerGather(GatherOp g) {
    Value data = toStorage(g.getData());
    Value y = GatherOp::create(b, g.getLoc(),
                               g.getType().clone(tensorType(data).getElementType()),
                               data, g.getIndices(), g.getAxisAttr());
    return fromStorage(y, g.getType());
  }

  static bool constantValues(Value v, std::vector<double> &out) {
    std::optional<std::vector<double>> values = constantFloatValues(v);
    if (values)
      out = std::move(*values);
    return values.has_value();
  }
};

bool hasQuantizedType(Operation *op) {
  return llvm::any_of(op->getOperandTypes(), isQuantized) ||
         llvm::any_of(op->getResultTypes(), isQuantized);
}

struct IQLowerQuantizedPass
    : iqc::iq::impl::IQLowerQuantizedBase<IQLowerQuantizedPass> {
  using Base::Base;
  void runOnOperation() override {
    if (softmaxRounding != "nearest" && softmaxRounding != "floor") {
      getOperation().emitError()
          << "iq-lower-quantized: softmax-rounding must be 'nearest' or "
             "'floor', not '"
          << softmaxRounding << "'";
      return signalPassFailure();
    }
    SmallVector<Operation *> todo;
    getOperation().walk([&](Operation *op) {
      if (isa<IQDialect>(op->getDialect()) && hasQuantizedType(op))
        todo.push_back(op);
    });
    OpBuilder b(&getContext());
    for (Operation *op : todo) {
      b.setInsertionPoint(op);
      Lowering l{b, op, softmaxRounding == "nearest"};
      Value result =
          llvm::TypeSwitch<Operation *, Value>(op)
              .Case<RescaleOp>([&](auto o) { return l.lowerRescale(o); })
              .Case<AddOp>([&](auto o) { return l.lowerAdd(o); })
              .Case<GeluOp>([&](auto o) { return l.lowerGelu(o); })
              .Case<SoftmaxOp>([&](auto o) { return l.lowerSoftmax(o); })
              .Case<LayerNormOp>([&](auto o) { return l.lowerLayerNorm(o); })
              .Case<TanhOp>([&](auto o) { return l.lowerTanh(o); })
              .Case<LinearOp, MatMulOp>(
                  [&](Operation *o) { return l.lowerContraction(o); })
              .Case<GatherOp>([&](auto o) { return l.lowerGather(o); })
              .Default([&](Operation *o) {
                l.error() << "no integer lowering for quantized '"
                          << o->getName() << "'";
                return Value();
              });
      if (!result || l.failedFlag)
        return signalPassFailure();
      op->getResult(0).replaceAllUsesWith(result);
      op->erase();
    }
  }
};

} // namespace
