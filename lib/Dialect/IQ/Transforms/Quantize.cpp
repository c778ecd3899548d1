//===- Quantize.cpp - Float graph to quantized iq ops ---------------------===//
//
// iq-quantize: the raised float model becomes the same graph of iq ops on
// !quant.uniform tensors, with scales from calibrated ranges and the
// choices of shared/INTEGER-KERNELS.md (widths, per-channel weights, i32
// accumulators, 22-bit LayerNorm inputs, the attention mask). The integer
// arithmetic itself is chosen later by iq-lower-quantized from the types.
//
// Every float value gets at most one quantized "natural" form, built when
// its producer is visited (in program order): the accumulator of a
// contraction, the result of the quantized op otherwise. Consumers that
// need int8 get it through one memoized iq.rescale. A value whose producer
// has no integer form records why, and the error is reported only if a
// quantized consumer needs it (the float ops that compute BERT's additive
// mask from the integer mask input are simply left dead).
//
//===----------------------------------------------------------------------===//

#include "iqc/Dialect/IQ/Transforms/Passes.h"
#include "iqc/Dialect/IQ/Transforms/QuantPoints.h"
#include "iqc/Quant/IntegerKernels.h"
#include "iqc/Quant/Ranges.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

namespace iqc::iq {
#define GEN_PASS_DEF_IQQUANTIZE
#include "iqc/Dialect/IQ/Transforms/Passes.h.inc"
} // namespace iqc::iq

using namespace mlir;
using namespace iqc::iq;
namespace mq = mlir::quant;
namespace iqq = iqc::quant;

namespace {

/// round_half_even(x / s) clamped to [lo, hi].
int64_t quantizeValue(double x, double s, int64_t lo, int64_t hi) {
  double q = std::nearbyint(x / s); // default rounding mode: half to even
  return (int64_t)std::clamp(q, (double)lo, (double)hi);
}

/// The width of an activation: int8, the 16-bit embedding sum, the 22-bit
/// LayerNorm input (in i32 storage).
enum class Width { I8 = 8, I16 = 16, I22 = 22 };

struct Quantizer {
  func::FuncOp func;
  const iqq::RangeTable &ranges;
  int64_t shiftMargin;
  OpBuilder b;
  llvm::MapVector<Value, std::string> names;
  DenseMap<Value, Value> natural;   // float value -> quantized value
  DenseMap<Value, Value> int8Form;  // float value -> int8 per tensor
  DenseMap<Value, Value> maskOf;    // float logits + mask -> i1 keep mask
  DenseMap<Value, std::string> why; // float value -> why it has no form
  bool failedAny = false;
  unsigned constantCounter = 0;

  Quantizer(func::FuncOp f, const iqq::RangeTable &r, int64_t margin)
      : func(f), ranges(r), shiftMargin(margin), b(f.getContext()),
        names(quantPointNames(f)) {}

  MLIRContext *ctx() { return func.getContext(); }
  Type f32() { return Float32Type::get(ctx()); }

  InFlightDiagnostic error(Operation *op) {
    failedAny = true;
    return op->emitError() << "iq-quantize: ";
  }

  std::string nameOf(Value v) {
    auto it = names.find(v);
    return it == names.end() ? std::string("<unnamed>") : it->second;
  }

  //===--------------------------------------------------------------------===//
  // Types
  //===--------------------------------------------------------------------===//

  Type activationType(double scale, Width w) {
    unsigned bits = (unsigned)w;
    unsigned storage = w == Width::I22 ? 32 : bits;
    int64_t lo = -(int64_t(1) << (bits - 1)), hi = (int64_t(1) << (bits - 1)) - 1;
    return mq::UniformQuantizedType::get(
        mq::QuantizationFlags::Signed, IntegerType::get(ctx(), storage), f32(),
        scale, 0, lo, hi);
  }

  /// i32 storage with per-channel scales along `axis` (one scale: per
  /// tensor).
  Type accumulatorType(ArrayRef<double> scales, int32_t axis) {
    Type i32 = IntegerType::get(ctx(), 32);
    int64_t lo = std::numeric_limits<int32_t>::min(),
            hi = std::numeric_limits<int32_t>::max();
    if (scales.size() == 1)
      return mq::UniformQuantizedType::get(mq::QuantizationFlags::Signed, i32,
                                           f32(), scales[0], 0, lo, hi);
    SmallVector<int64_t> zps(scales.size(), 0);
    return mq::UniformQuantizedPerAxisType::get(mq::QuantizationFlags::Signed,
                                                i32, f32(), scales, zps, axis,
                                                lo, hi);
  }

  static std::optional<double> perTensorScale(Value q) {
    if (auto u = dyn_cast<mq::UniformQuantizedType>(
            tensorType(q).getElementType()))
      return u.getScale();
    return std::nullopt;
  }

  static unsigned storageBits(Value q) {
    auto qt = cast<mq::QuantizedType>(tensorType(q).getElementType());
    int64_t range = qt.getStorageTypeMax() - qt.getStorageTypeMin();
    return (unsigned)std::ceil(std::log2((double)range + 1));
  }

  //===--------------------------------------------------------------------===//
  // Constants
  //===--------------------------------------------------------------------===//

  /// arith.constant of integer `values` with `storageType` elements, then a
  /// quant.scast to `qtype`. Large tensors become resource blobs.
  template <typename T>
  Value quantizedConstant(Location loc, RankedTensorType floatType,
                          ArrayRef<T> values, Type qtype) {
    Type storage = cast<mq::QuantizedType>(qtype).getStorageType();
    auto storageType = floatType.clone(storage);
    Attribute attr;
    if (values.size() <= 64) {
      SmallVector<APInt> ints;
      for (T v : values)
        ints.push_back(APInt(sizeof(T) * 8, (int64_t)v, /*isSigned=*/true));
      attr = DenseElementsAttr::get(storageType, ints);
    } else {
      auto blob = HeapAsmResourceBlob::allocateAndCopyInferAlign(values);
      attr = DenseResourceElementsAttr::get(
          storageType, "iq_q" + std::to_string(constantCounter++),
          std::move(blob));
    }
    Value c = arith::ConstantOp::create(b, loc, cast<TypedAttr>(attr));
    return mq::StorageCastOp::create(b, loc, floatType.clone(qtype), c);
  }

  /// A float constant as int8 per tensor (symmetric, [-127, 127]).
  Value quantizeConstantPerTensor(Value v) {
    auto values = constantFloatValues(v);
    if (!values)
      return {};
    double absMax = 0;
    for (double x : *values)
      absMax = std::max(absMax, std::abs(x));
    double s = iqq::symmetricScale(absMax, 8);
    std::vector<int8_t> q;
    q.reserve(values->size());
    for (double x : *values)
      q.push_back((int8_t)quantizeValue(x, s, -127, 127));
    OpBuilder::InsertionGuard g(b);
    b.setInsertionPointAfterValue(v);
    Type qt = mq::UniformQuantizedType::get(mq::QuantizationFlags::Signed,
                                            b.getI8Type(), f32(), s, 0, -127,
                                            127);
    return quantizedConstant<int8_t>(v.getLoc(), tensorType(v), q, qt);
  }

  //===--------------------------------------------------------------------===//
  // Ranges
  //===--------------------------------------------------------------------===//

  const iqq::ActivationRange *rangeOf(Value v, Operation *user) {
    std::string name = nameOf(v);
    if (const iqq::ActivationRange *r = ranges.lookup(name))
      return r;
    error(user) << "no calibrated range for '" << name
                << "' (calibrate with iqc-compile --calibrate, or add the "
                   "point to the ranges file)";
    return nullptr;
  }

  std::optional<double> scaleOf(Value v, Width w, Operation *user) {
    const iqq::ActivationRange *r = rangeOf(v, user);
    if (!r)
      return std::nullopt;
    return iqq::symmetricScale(r->absMax(), (unsigned)w);
  }

  //===--------------------------------------------------------------------===//
  // Quantized forms of float values
  //===--------------------------------------------------------------------===//

  /// The quantized form of float `v` for `user`, or null after an error.
  Value quantized(Value v, Operation *user) {
    if (Value q = natural.lookup(v))
      return q;
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      // A float model input: quantized at the boundary (qcast, int8 in
      // [-127, 127] as INTEGER-KERNELS.md quantizes inputs).
      std::optional<double> s = scaleOf(v, Width::I8, user);
      if (!s)
        return {};
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(arg.getOwner());
      Type qt = mq::UniformQuantizedType::get(mq::QuantizationFlags::Signed,
                                              b.getI8Type(), f32(), *s, 0,
                                              -127, 127);
      Value q = mq::QuantizeCastOp::create(b, arg.getLoc(),
                                           tensorType(v).clone(qt), v);
      natural[v] = q;
      return q;
    }
    if (matchPattern(v, m_Constant())) {
      Value q = quantizeConstantPerTensor(v);
      if (q) {
        natural[v] = q;
        return q;
      }
    }
    std::string reason = why.lookup(v);
    Operation *def = v.getDefiningOp();
    auto diag = error(user) << "cannot quantize operand '" << nameOf(v) << "'";
    if (def)
      diag << " produced by '" << def->getName() << "'";
    diag << ": "
         << (reason.empty() ? std::string("it has no integer form") : reason);
    if (def)
      diag.attachNote(def->getLoc()) << "produced here";
    return {};
  }

  /// `v` as int8 per tensor: its natural form when that is already 8 bits
  /// per tensor (including the u8 softmax output), else a rescale to the
  /// calibrated int8 scale of `v`.
  Value int8(Value v, Operation *user) {
    if (Value q = int8Form.lookup(v))
      return q;
    Value q = quantized(v, user);
    if (!q)
      return {};
    if (perTensorScale(q) && storageBits(q) <= 8) {
      int8Form[v] = q;
      return q;
    }
    std::optional<double> s = scaleOf(v, Width::I8, user);
    if (!s)
      return {};
    OpBuilder::InsertionGuard g(b);
    b.setInsertionPointAfterValue(q);
    Value r = RescaleOp::create(b, q.getLoc(),
                                tensorType(q).clone(activationType(*s, Width::I8)),
                                q);
    int8Form[v] = r;
    return r;
  }

  /// A per-tensor form of `v`.
  Value perTensor(Value v, Operation *user) {
    Value q = quantized(v, user);
    if (!q)
      return {};
    return perTensorScale(q) ? q : int8(v, user);
  }

  //===--------------------------------------------------------------------===//
  // Ops
  //===--------------------------------------------------------------------===//

  void visit(Operation *op) {
    if (!llvm::any_of(op->getResultTypes(), isFloatTensor))
      return;
    if (matchPattern(op, m_Constant()))
      return; // quantized where used
    b.setInsertionPoint(op);
    llvm::TypeSwitch<Operation *>(op)
        .Case<LinearOp>([&](auto o) { visitLinear(o); })
        .Case<MatMulOp>([&](auto o) { visitMatMul(o); })
        .Case<AddOp>([&](auto o) { visitAdd(o); })
        .Case<DivOp, MulOp>([&](auto o) { visitScale(o); })
        .Case<GeluOp>([&](auto o) { visitGelu(o); })
        .Case<TanhOp>([&](auto o) { visitTanh(o); })
        .Case<SoftmaxOp>([&](auto o) { visitSoftmax(o); })
        .Case<LayerNormOp>([&](auto o) { visitLayerNorm(o); })
        .Case<GatherOp>([&](auto o) { visitGather(o); })
        .Case<tensor::ExpandShapeOp, tensor::CollapseShapeOp,
              tensor::ExtractSliceOp, tensor::ReshapeOp>(
            [&](Operation *o) { visitDataMovement(o); })
        .Case<linalg::TransposeOp>([&](auto o) { visitTranspose(o); })
        .Case<tensor::EmptyOp>([&](auto) {})
        .Default([&](Operation *o) {
          for (Value r : o->getResults())
            why[r] = ("'" + o->getName().getStringRef() +
                      "' has no integer form in iq-quantize (supported: "
                      "linear, matmul, add, gelu, tanh, softmax, "
                      "layer_norm, gather, division or multiplication by a "
                      "positive constant, reshapes, transposes and slices)")
                         .str();
        });
  }

  void visitLinear(LinearOp op) {
    Value x = int8(op.getInput(), op);
    if (!x)
      return;
    double sx = *perTensorScale(x);
    auto w = constantFloatValues(op.getWeight());
    if (!w) {
      error(op) << "the weight of 'iq.linear' must be a float constant";
      return;
    }
    auto wType = op.getWeight().getType();
    int64_t K = wType.getDimSize(0), N = wType.getDimSize(1);
    // Per output channel (axis 1) symmetric int8.
    SmallVector<double> sw(N);
    for (int64_t c = 0; c < N; ++c) {
      double m = 0;
      for (int64_t k = 0; k < K; ++k)
        m = std::max(m, std::abs((*w)[k * N + c]));
      sw[c] = iqq::symmetricScale(m, 8);
    }
    std::vector<int8_t> qw(K * N);
    for (int64_t k = 0; k < K; ++k)
      for (int64_t c = 0; c < N; ++c)
        qw[k * N + c] = (int8_t)quantizeValue((*w)[k * N + c], sw[c], -127, 127);
    SmallVector<int64_t> zps(N, 0);
    Type wq = mq::UniformQuantizedPerAxisType::get(
        mq::QuantizationFlags::Signed, b.getI8Type(), f32(), sw, zps, 1, -127,
        127);
    Location loc = op.getLoc();
    Value weight = quantizedConstant<int8_t>(loc, wType, qw, wq);
    SmallVector<double> accScales(N);
    for (int64_t c = 0; c < N; ++c)
      accScales[c] = sx * sw[c];
    Value bias;
    if (Value fb = op.getBias()) {
      auto bv = constantFloatValues(fb);
      if (!bv) {
        error(op) << "the bias of 'iq.linear' must be a float constant";
        return;
      }
      std::vector<int32_t> qb(N);
      for (int64_t c = 0; c < N; ++c) {
        double q = std::nearbyint((*bv)[c] / accScales[c]);
        if (std::abs(q) > 2147483647.0)
          op.emitWarning() << "iq-quantize: bias of channel " << c
                           << " saturates the i32 range";
        qb[c] = (int32_t)std::clamp(q, -2147483647.0, 2147483647.0);
      }
      bias = quantizedConstant<int32_t>(loc, tensorType(fb), qb,
                                        accumulatorType(accScales, 0));
    }
    int64_t rank = op.getType().getRank();
    auto accType = op.getType().clone(accumulatorType(accScales, rank - 1));
    natural[op.getResult()] =
        LinearOp::create(b, loc, accType, x, weight, bias);
  }

  void visitMatMul(MatMulOp op) {
    Value lhs = int8(op.getLhs(), op), rhs = int8(op.getRhs(), op);
    if (!lhs || !rhs)
      return;
    double s = *perTensorScale(lhs) * *perTensorScale(rhs);
    natural[op.getResult()] = MatMulOp::create(
        b, op.getLoc(), op.getType().clone(accumulatorType({s}, 0)), lhs, rhs);
  }

  /// `x / c` or `x * c` by a positive constant scalar: the same integers
  /// with the scale divided or multiplied by c (attention's 1/sqrt(d)).
  template <typename OpTy> void visitScale(OpTy op) {
    std::optional<double> c = constantFloatSplat(op.getRhs());
    Value x = op.getLhs();
    if (!c && isa<MulOp>(op)) {
      c = constantFloatSplat(op.getLhs());
      x = op.getRhs();
    }
    if (!c || !(*c > 0) || !std::isfinite(*c) ||
        op.getType().getShape() != tensorType(x).getShape()) {
      why[op.getResult()] = "only division or multiplication by a positive "
                            "scalar constant has an integer form";
      return;
    }
    Value q = natural.lookup(x);
    if (!q) {
      why[op.getResult()] = why.lookup(x);
      return;
    }
    q = perTensor(x, op);
    if (!q)
      return;
    auto u = cast<mq::UniformQuantizedType>(tensorType(q).getElementType());
    double s = isa<DivOp>(op) ? u.getScale() / *c : u.getScale() * *c;
    Type qt = mq::UniformQuantizedType::get(
        u.getFlags(), u.getStorageType(), u.getExpressedType(), s, 0,
        u.getStorageTypeMin(), u.getStorageTypeMax());
    Location loc = op.getLoc();
    Value storage = mq::StorageCastOp::create(
        b, loc, tensorType(q).clone(u.getStorageType()), q);
    natural[op.getResult()] =
        mq::StorageCastOp::create(b, loc, tensorType(q).clone(qt), storage);
  }

  /// BERT's additive attention mask (additiveMaskSource): the i1 keep mask
  /// `m != 0` with the bias's shape.
  Value attentionMask(Value bias) {
    auto cast = additiveMaskSource(bias);
    if (!cast)
      return {};
    OpBuilder::InsertionGuard g(b);
    b.setInsertionPointAfter(cast);
    auto i1Type = tensorType(cast.getInput()).clone(b.getI1Type());
    return CastOp::create(b, cast.getLoc(), i1Type, cast.getInput());
  }

  /// Users that make an add the input of a LayerNorm (directly or through
  /// another add, as in the embedding sum).
  static bool feedsLayerNorm(Value v) {
    return llvm::any_of(v.getUsers(), [](Operation *u) {
      return isa<LayerNormOp, AddOp>(u);
    });
  }

  void visitAdd(AddOp op) {
    for (auto [logits, bias] : {std::pair(op.getLhs(), op.getRhs()),
                                std::pair(op.getRhs(), op.getLhs())}) {
      if (Value mask = attentionMask(bias)) {
        if (op.getType().getShape() != tensorType(logits).getShape()) {
          why[op.getResult()] = "the attention mask broadcasts the logits";
          return;
        }
        Value q = natural.lookup(logits);
        if (!q) {
          why[op.getResult()] = why.lookup(logits);
          return;
        }
        natural[op.getResult()] = q;
        maskOf[op.getResult()] = mask;
        return;
      }
    }
    Value lhs = quantized(op.getLhs(), op), rhs = quantized(op.getRhs(), op);
    if (!lhs || !rhs)
      return;
    Width w = Width::I8;
    if (feedsLayerNorm(op.getResult()))
      w = storageBits(lhs) > 16 || storageBits(rhs) > 16 ? Width::I22
                                                         : Width::I16;
    std::optional<double> s = scaleOf(op.getResult(), w, op);
    if (!s)
      return;
    natural[op.getResult()] = AddOp::create(
        b, op.getLoc(), op.getType().clone(activationType(*s, w)), lhs, rhs);
  }

  void visitGelu(GeluOp op) {
    Value x = quantized(op.getInput(), op);
    std::optional<double> s = scaleOf(op.getResult(), Width::I8, op);
    if (!x || !s)
      return;
    natural[op.getResult()] = GeluOp::create(
        b, op.getLoc(), op.getType().clone(activationType(*s, Width::I8)), x);
  }

  void visitTanh(TanhOp op) {
    Value x = quantized(op.getInput(), op);
    if (!x)
      return;
    // tanh is in [-1, 1]: a fixed int8 scale.
    natural[op.getResult()] = TanhOp::create(
        b, op.getLoc(),
        op.getType().clone(activationType(1.0 / 127, Width::I8)), x);
  }

  void visitSoftmax(SoftmaxOp op) {
    int64_t rank = op.getType().getRank();
    if ((int64_t)op.getAxis() != rank - 1) {
      why[op.getResult()] = "the integer softmax normalizes the last axis only";
      return;
    }
    Value x = perTensor(op.getInput(), op);
    if (!x)
      return;
    Type u8 = mq::UniformQuantizedType::get(
        /*flags=*/0, IntegerType::get(ctx(), 8), f32(), 1.0 / 256, 0, 0, 255);
    natural[op.getResult()] =
        SoftmaxOp::create(b, op.getLoc(), op.getType().clone(u8), x,
                          maskOf.lookup(op.getInput()), op.getAxis());
  }

  void visitLayerNorm(LayerNormOp op) {
    int64_t rank = op.getType().getRank();
    if ((int64_t)op.getAxis() != rank - 1) {
      why[op.getResult()] = "the integer LayerNorm normalizes the last axis only";
      return;
    }
    Value in = op.getInput();
    Value x = quantized(in, op);
    if (!x)
      return;
    if (!perTensorScale(x) || storageBits(x) > 22) {
      // A LayerNorm straight after a contraction: bring the accumulator to
      // the 22-bit LayerNorm input width first.
      std::optional<double> s = scaleOf(in, Width::I22, op);
      if (!s)
        return;
      x = RescaleOp::create(b, op.getLoc(),
                            tensorType(x).clone(activationType(*s, Width::I22)),
                            x);
    }
    const iqq::ActivationRange *r = rangeOf(in, op);
    if (!r)
      return;
    int64_t channels = tensorType(x).getShape().back();
    if (!r->rowSumSquares && ShapedType::isDynamic(channels)) {
      error(op) << "the ranges of LayerNorm input '" << nameOf(in)
                << "' have no row_sum_squares (needed for the variance "
                   "shift); recalibrate";
      return;
    }
    std::optional<double> outScale = scaleOf(op.getResult(), Width::I8, op);
    if (!outScale)
      return;
    int64_t shift;
    if (r->rowSumSquares) {
      shift = iqq::layerNormShift(*r->rowSumSquares, *perTensorScale(x),
                                  shiftMargin);
    } else {
      // No data (a QDQ model): the shift that keeps the variance below 2^32
      // for any input of this width, |x - mean| < 2^bits.
      double bound = (double)channels * std::ldexp(1.0, 2 * storageBits(x));
      shift = iqq::layerNormShift(bound, 1.0, /*margin=*/0);
      op.emitRemark() << "iq-quantize: LayerNorm input '" << nameOf(in)
                      << "' has no calibrated row variance; using the "
                         "data-independent variance shift "
                      << shift;
    }
    auto ln = LayerNormOp::create(
        b, op.getLoc(), op.getType().clone(activationType(*outScale, Width::I8)),
        x, op.getScale(), op.getBias(), op.getAxisAttr(), op.getEpsilonAttr(),
        b.getI64IntegerAttr(shift));
    natural[op.getResult()] = ln;
  }

  void visitGather(GatherOp op) {
    Value data = matchPattern(op.getData(), m_Constant())
                     ? quantized(op.getData(), op)
                     : perTensor(op.getData(), op);
    if (!data)
      return;
    auto qt = tensorType(data).getElementType();
    natural[op.getResult()] =
        GatherOp::create(b, op.getLoc(), op.getType().clone(qt), data,
                         op.getIndices(), op.getAxisAttr());
  }

  /// Storage form of a per-tensor quantized value and back.
  Value toStorage(Value q) {
    auto qt = cast<mq::QuantizedType>(tensorType(q).getElementType());
    return mq::StorageCastOp::create(
        b, q.getLoc(), tensorType(q).clone(qt.getStorageType()), q);
  }
  Value fromStorage(Value s, Type qt) {
    return mq::StorageCastOp::create(b, s.getLoc(), tensorType(s).clone(qt), s);
  }

  /// The int8 form of the value a data-movement op moves, or null (then
  /// its result inherits why the source has no integer form). Data moves as
  /// int8: per-axis scales would not survive reshapes.
  Value movedInt8(Operation *op, Value src) {
    if (!natural.lookup(src)) {
      why[op->getResult(0)] = why.lookup(src);
      return {};
    }
    return int8(src, op);
  }

  void visitDataMovement(Operation *op) {
    Value src = op->getOperand(0);
    Value q = movedInt8(op, src);
    if (!q)
      return;
    Type qt = tensorType(q).getElementType();
    IRMapping map;
    map.map(src, toStorage(q));
    Operation *clone = b.clone(*op, map);
    Value r = clone->getResult(0);
    r.setType(tensorType(r).clone(
        cast<mq::QuantizedType>(qt).getStorageType()));
    natural[op->getResult(0)] = fromStorage(r, qt);
  }

  void visitTranspose(linalg::TransposeOp op) {
    Value q = movedInt8(op, op.getInput());
    if (!q)
      return;
    auto qt = cast<mq::QuantizedType>(tensorType(q).getElementType());
    Location loc = op.getLoc();
    // Sizes from the quantized source, so nothing refers to the float graph
    // any more (it is erased afterwards).
    Value storage = toStorage(q);
    SmallVector<OpFoldResult> srcSizes = tensor::getMixedSizes(b, loc, storage);
    SmallVector<OpFoldResult> sizes;
    for (int64_t p : op.getPermutation())
      sizes.push_back(srcSizes[p]);
    Value init = tensor::EmptyOp::create(b, loc, sizes, qt.getStorageType());
    auto t = linalg::TransposeOp::create(b, loc, storage, init,
                                         op.getPermutation());
    natural[op->getResult(0)] = fromStorage(t->getResult(0), qt);
  }

  //===--------------------------------------------------------------------===//
  // Driver
  //===--------------------------------------------------------------------===//

  LogicalResult run() {
    Block &body = func.getBody().front();
    SmallVector<Operation *> ops;
    for (Operation &op : body)
      ops.push_back(&op);
    for (Operation *op : ops) {
      visit(op);
      if (failedAny) // later errors would only repeat this one
        return failure();
    }
    // Outputs: dequantized at the boundary.
    auto ret = cast<func::ReturnOp>(body.getTerminator());
    for (OpOperand &o : ret->getOpOperands()) {
      Value v = o.get();
      if (!isFloatTensor(v.getType()))
        continue;
      Value q = quantized(v, ret);
      if (!q)
        return failure();
      b.setInsertionPoint(ret);
      o.set(mq::DequantizeCastOp::create(b, v.getLoc(), v.getType(), q));
    }
    if (failedAny)
      return failure();
    // The float graph is dead now (it only fed the old outputs).
    for (Operation &op : llvm::make_early_inc_range(llvm::reverse(body)))
      if (&op != ret && op.use_empty() && isPure(&op))
        op.erase();
    return success();
  }
};

struct IQQuantizePass : iqc::iq::impl::IQQuantizeBase<IQQuantizePass> {
  using Base::Base;
  std::shared_ptr<const iqq::RangeTable> table;

  LogicalResult initialize(MLIRContext *) override {
    if (table)
      return success();
    if (rangesFile.empty())
      return success(); // reported per function in runOnOperation
    auto t = iqq::readRangeTable(rangesFile);
    if (!t) {
      llvm::errs() << "iq-quantize: " << llvm::toString(t.takeError()) << "\n";
      return failure();
    }
    table = std::make_shared<iqq::RangeTable>(std::move(*t));
    return success();
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isDeclaration() || func.isPrivate())
      return;
    if (!table) {
      func.emitError() << "iq-quantize: no activation ranges (pass "
                          "ranges=<file.json>, or use iqc-compile "
                          "--calibrate/--ranges)";
      return signalPassFailure();
    }
    Quantizer q(func, *table, shiftMargin);
    if (failed(q.run()))
      signalPassFailure();
  }
};

} // namespace

std::unique_ptr<Pass>
iqc::iq::createIQQuantizeWithRanges(std::shared_ptr<const iqq::RangeTable> ranges,
                                    int64_t shiftMargin) {
  IQQuantizeOptions options;
  options.shiftMargin = shiftMargin;
  auto pass = std::make_unique<IQQuantizePass>(options);
  pass->table = std::move(ranges);
  return pass;
}
