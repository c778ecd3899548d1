//===- IQOps.cpp - Operations of the iq dialect ---------------------------===//
//
// Verifiers, result-type inference and folders of the `iq` ops. Shape rules
// follow ONNX: numpy broadcasting, matmul batch broadcasting, Conv/Gather
// output shapes.
//
//===----------------------------------------------------------------------===//

#include "iqc/Dialect/IQ/IR/IQOps.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace iqc::iq;

//===----------------------------------------------------------------------===//
// Shape helpers
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<int64_t>>
iqc::iq::broadcastShapes(ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs) {
  size_t rank = std::max(lhs.size(), rhs.size());
  SmallVector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t a = i < rank - lhs.size() ? 1 : lhs[i - (rank - lhs.size())];
    int64_t b = i < rank - rhs.size() ? 1 : rhs[i - (rank - rhs.size())];
    if (a == 1) {
      out[i] = b;
    } else if (b == 1) {
      out[i] = a;
    } else if (ShapedType::isDynamic(a)) {
      out[i] = b;
    } else if (ShapedType::isDynamic(b) || a == b) {
      out[i] = a;
    } else {
      return failure();
    }
  }
  return out;
}

std::string iqc::iq::shapeString(ArrayRef<int64_t> shape) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "[";
  llvm::interleave(
      shape, os,
      [&](int64_t d) {
        if (ShapedType::isDynamic(d))
          os << "?";
        else
          os << d;
      },
      ", ");
  os << "]";
  return s;
}

/// Two dims can describe the same run-time size.
static bool dimsCompatible(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

static LogicalResult inferBroadcast(std::optional<Location> loc,
                                    ArrayRef<Type> operandTypes,
                                    Type elementType,
                                    SmallVectorImpl<Type> &results) {
  SmallVector<int64_t> shape;
  for (Type t : operandTypes) {
    auto ranked = dyn_cast<RankedTensorType>(t);
    if (!ranked)
      return emitOptionalError(loc, "expects ranked tensor operands");
    FailureOr<SmallVector<int64_t>> next =
        broadcastShapes(shape, ranked.getShape());
    if (failed(next))
      return emitOptionalError(loc, "operand shapes ", shapeString(shape),
                               " and ", shapeString(ranked.getShape()),
                               " are not broadcast-compatible");
    shape = *next;
  }
  results.push_back(RankedTensorType::get(shape, elementType));
  return success();
}

static LogicalResult verifySameElementTypes(Operation *op, ValueRange values) {
  Type first = getElementTypeOrSelf(values.front().getType());
  for (Value v : values.drop_front())
    if (getElementTypeOrSelf(v.getType()) != first)
      return op->emitOpError("expects operands of the same element type, got ")
             << first << " and " << getElementTypeOrSelf(v.getType());
  return success();
}

/// Splat constant operand value, if any.
static Attribute getSplatConstant(Value v) {
  DenseElementsAttr attr;
  if (matchPattern(v, m_Constant(&attr)) && attr.isSplat())
    return attr.getSplatValue<Attribute>();
  return {};
}

static bool isSplatOf(Value v, double value) {
  Attribute splat = getSplatConstant(v);
  if (auto f = dyn_cast_if_present<FloatAttr>(splat))
    return f.getValueAsDouble() == value;
  if (auto i = dyn_cast_if_present<IntegerAttr>(splat))
    return i.getType().isInteger(1)
               ? false
               : i.getValue().getSignificantBits() <= 64 &&
                     static_cast<double>(i.getValue().getSExtValue()) == value;
  return false;
}

//===----------------------------------------------------------------------===//
// Quantized types
//===----------------------------------------------------------------------===//

/// The scales of a uniform quantized element type: one per tensor, or one
/// per channel.
static SmallVector<double> quantScales(Type el) {
  if (auto u = dyn_cast<quant::UniformQuantizedType>(el))
    return {u.getScale()};
  if (auto pa = dyn_cast<quant::UniformQuantizedPerAxisType>(el))
    return SmallVector<double>(pa.getScales());
  return {};
}

/// Result element types that inference cannot pin down: a quantized result
/// may have any scale, and an i32 accumulator may be quantized.
static bool compatibleElementTypes(Type inferred, Type actual) {
  if (inferred == actual)
    return true;
  auto qa = dyn_cast<quant::QuantizedType>(actual);
  if (!qa)
    return false;
  if (isa<quant::QuantizedType>(inferred))
    return true;
  return qa.getStorageType() == inferred;
}

static bool compatibleResultTypes(TypeRange inferred, TypeRange actual) {
  if (inferred.size() != actual.size())
    return false;
  for (auto [i, a] : llvm::zip(inferred, actual)) {
    auto ti = dyn_cast<RankedTensorType>(i), ta = dyn_cast<RankedTensorType>(a);
    if (!ti || !ta)
      return i == a;
    if (ti.getShape() != ta.getShape() ||
        !compatibleElementTypes(ti.getElementType(), ta.getElementType()))
      return false;
  }
  return true;
}

/// `type(input)` alone when the result has the input's type, else
/// `type(input) -> type(result)`.
static ParseResult parseQuantResultType(OpAsmParser &parser, Type &input,
                                        Type &result) {
  if (parser.parseType(input))
    return failure();
  if (succeeded(parser.parseOptionalArrow()))
    return parser.parseType(result);
  result = input;
  return success();
}

static void printQuantResultType(OpAsmPrinter &printer, Operation *,
                                 Type input, Type result) {
  printer << input;
  if (result != input)
    printer << " -> " << result;
}

/// Float ops keep their type; quantized ops map quantized to quantized.
static LogicalResult verifyFloatOrQuantized(Operation *op, Type input,
                                            Type result) {
  if (isQuantized(input) != isQuantized(result))
    return op->emitOpError("expects a quantized result for a quantized input "
                           "and a float result for a float input, got ")
           << input << " -> " << result;
  if (!isQuantized(input) && input != result)
    return op->emitOpError("expects the result type to equal the input type "
                           "for float tensors, got ")
           << input << " -> " << result;
  return success();
}

//===----------------------------------------------------------------------===//
// Broadcasting binary ops
//===----------------------------------------------------------------------===//

#define IQ_BINARY_INFER(OP)                                                    \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *, std::optional<Location> loc, Adaptor adaptor,             \
      SmallVectorImpl<Type> &results) {                                        \
    return inferBroadcast(                                                     \
        loc, {adaptor.getLhs().getType(), adaptor.getRhs().getType()},         \
        getElementTypeOrSelf(adaptor.getLhs().getType()), results);            \
  }                                                                            \
  bool OP::isCompatibleReturnTypes(TypeRange l, TypeRange r) {                 \
    return compatibleResultTypes(l, r);                                        \
  }
IQ_BINARY_INFER(AddOp)
IQ_BINARY_INFER(SubOp)
IQ_BINARY_INFER(MulOp)
IQ_BINARY_INFER(DivOp)
IQ_BINARY_INFER(PowOp)
#undef IQ_BINARY_INFER

/// Only iq.add has a quantized form (its operands and result may each have
/// their own scale).
LogicalResult AddOp::verify() {
  bool l = isQuantized(getLhs().getType()), r = isQuantized(getRhs().getType());
  if (l || r) {
    if (!l || !r || !isQuantized(getType()))
      return emitOpError("expects quantized operands and result together");
    return success();
  }
  return verifySameElementTypes(*this, {getLhs(), getRhs()});
}
#define IQ_BINARY_VERIFY(OP)                                                   \
  LogicalResult OP::verify() {                                                 \
    return verifySameElementTypes(*this, {getLhs(), getRhs()});                \
  }
IQ_BINARY_VERIFY(SubOp)
IQ_BINARY_VERIFY(MulOp)
IQ_BINARY_VERIFY(DivOp)
IQ_BINARY_VERIFY(PowOp)
#undef IQ_BINARY_VERIFY

/// `x op c` folds to `x` when `c` is the identity splat and no broadcasting
/// changes the result type.
static OpFoldResult foldRightIdentity(Value lhs, Value rhs, Type resultType,
                                      double identity) {
  if (lhs.getType() == resultType && isSplatOf(rhs, identity))
    return lhs;
  return {};
}

OpFoldResult AddOp::fold(FoldAdaptor) {
  if (OpFoldResult r = foldRightIdentity(getLhs(), getRhs(), getType(), 0.0))
    return r;
  return foldRightIdentity(getRhs(), getLhs(), getType(), 0.0);
}
OpFoldResult SubOp::fold(FoldAdaptor) {
  return foldRightIdentity(getLhs(), getRhs(), getType(), 0.0);
}
OpFoldResult MulOp::fold(FoldAdaptor) {
  if (OpFoldResult r = foldRightIdentity(getLhs(), getRhs(), getType(), 1.0))
    return r;
  return foldRightIdentity(getRhs(), getLhs(), getType(), 1.0);
}
OpFoldResult DivOp::fold(FoldAdaptor) {
  return foldRightIdentity(getLhs(), getRhs(), getType(), 1.0);
}
OpFoldResult PowOp::fold(FoldAdaptor) {
  return foldRightIdentity(getLhs(), getRhs(), getType(), 1.0);
}

LogicalResult CmpOp::inferReturnTypes(MLIRContext *ctx,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &results) {
  return inferBroadcast(
      loc, {adaptor.getLhs().getType(), adaptor.getRhs().getType()},
      IntegerType::get(ctx, 1), results);
}
LogicalResult CmpOp::verify() {
  return verifySameElementTypes(*this, {getLhs(), getRhs()});
}

LogicalResult SelectOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  return inferBroadcast(
      loc,
      {adaptor.getCondition().getType(), adaptor.getTrueValue().getType(),
       adaptor.getFalseValue().getType()},
      getElementTypeOrSelf(adaptor.getTrueValue().getType()), results);
}
LogicalResult SelectOp::verify() {
  return verifySameElementTypes(*this, {getTrueValue(), getFalseValue()});
}

//===----------------------------------------------------------------------===//
// Unary ops
//===----------------------------------------------------------------------===//

OpFoldResult NegOp::fold(FoldAdaptor) {
  if (auto inner = getInput().getDefiningOp<NegOp>())
    return inner.getInput();
  return {};
}

OpFoldResult NotOp::fold(FoldAdaptor) {
  if (auto inner = getInput().getDefiningOp<NotOp>())
    return inner.getInput();
  return {};
}

LogicalResult GeluOp::verify() {
  return verifyFloatOrQuantized(*this, getInput().getType(), getType());
}
LogicalResult TanhOp::verify() {
  return verifyFloatOrQuantized(*this, getInput().getType(), getType());
}
LogicalResult SigmoidOp::verify() {
  return verifyFloatOrQuantized(*this, getInput().getType(), getType());
}

LogicalResult CastOp::verify() {
  if (failed(verifyCompatibleShape(getInput().getType(), getType())))
    return emitOpError("expects the result shape to equal the input shape");
  Type from = getElementTypeOrSelf(getInput().getType());
  Type to = getElementTypeOrSelf(getType());
  if (!from.isIntOrFloat() || !to.isIntOrFloat())
    return emitOpError("casts only between integer, float and bool types");
  return success();
}

OpFoldResult CastOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// Reductions and normalizations
//===----------------------------------------------------------------------===//

static LogicalResult verifyAxes(Operation *op, ArrayRef<int64_t> axes,
                                int64_t rank) {
  for (auto [i, axis] : llvm::enumerate(axes)) {
    if (axis < 0 || axis >= rank)
      return op->emitOpError("axis ")
             << axis << " is out of range for rank " << rank;
    if (i > 0 && axes[i - 1] >= axis)
      return op->emitOpError("expects sorted, unique axes");
  }
  return success();
}

template <typename ReduceOp>
static LogicalResult inferReduce(std::optional<Location> loc,
                                 typename ReduceOp::Adaptor adaptor,
                                 SmallVectorImpl<Type> &results) {
  auto type = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  if (!type)
    return emitOptionalError(loc, "expects a ranked tensor input");
  SmallVector<int64_t> shape;
  ArrayRef<int64_t> axes = adaptor.getAxes();
  for (int64_t d = 0, e = type.getRank(); d < e; ++d) {
    if (!llvm::is_contained(axes, d))
      shape.push_back(type.getDimSize(d));
    else if (adaptor.getKeepDims())
      shape.push_back(1);
  }
  results.push_back(RankedTensorType::get(shape, type.getElementType()));
  return success();
}

LogicalResult ReduceSumOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  return inferReduce<ReduceSumOp>(loc, adaptor, results);
}
LogicalResult ReduceSumOp::verify() {
  return verifyAxes(*this, getAxes(), getInput().getType().getRank());
}
LogicalResult ReduceMeanOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &results) {
  return inferReduce<ReduceMeanOp>(loc, adaptor, results);
}
LogicalResult ReduceMeanOp::verify() {
  return verifyAxes(*this, getAxes(), getInput().getType().getRank());
}

LogicalResult SoftmaxOp::verify() {
  RankedTensorType type = getInput().getType();
  int64_t rank = type.getRank();
  int64_t axis = static_cast<int64_t>(getAxis());
  if (axis < 0 || axis >= rank)
    return emitOpError("axis ") << axis << " is out of range for rank " << rank;
  if (type.getShape() != getType().getShape())
    return emitOpError("result shape must equal the input shape");
  if (failed(verifyFloatOrQuantized(*this, type, getType())))
    return failure();
  if (Value mask = getMask()) {
    if (!isQuantized(type))
      return emitOpError("takes a mask only in its quantized form (float "
                         "models add the mask to the logits)");
    auto m = tensorType(mask);
    if (m.getRank() > rank || failed(broadcastShapes(m.getShape(),
                                                     type.getShape())))
      return emitOpError("mask of shape ")
             << shapeString(m.getShape())
             << " does not broadcast to the input shape "
             << shapeString(type.getShape());
  }
  return success();
}

LogicalResult LayerNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location>,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  results.push_back(adaptor.getInput().getType());
  return success();
}

LogicalResult LayerNormOp::verify() {
  RankedTensorType type = getInput().getType();
  int64_t axis = getAxis();
  if (axis < 0 || axis >= type.getRank())
    return emitOpError("axis ")
           << axis << " is out of range for rank " << type.getRank();
  ArrayRef<int64_t> normalized = type.getShape().drop_front(axis);
  auto checkParam = [&](Value v, StringRef name) -> LogicalResult {
    if (!v)
      return success();
    ArrayRef<int64_t> shape = tensorType(v).getShape();
    if (shape.size() != normalized.size() ||
        !llvm::all_of(llvm::zip(shape, normalized), [](auto p) {
          return dimsCompatible(std::get<0>(p), std::get<1>(p));
        }))
      return emitOpError("expects ")
             << name << " of shape " << shapeString(normalized)
             << " (the normalized dimensions), got " << shapeString(shape);
    return success();
  };
  if (failed(checkParam(getScale(), "scale")) ||
      failed(checkParam(getBias(), "bias")))
    return failure();
  if (getEpsilon().convertToFloat() < 0)
    return emitOpError("expects a non-negative epsilon");
  if (std::optional<int64_t> shift = getVarianceShift())
    if (*shift < 0 || *shift > 31)
      return emitOpError("variance_shift ") << *shift << " must be in [0, 31]";
  if (isQuantized(type)) {
    if (!isQuantized(getType()))
      return emitOpError("expects a quantized result for a quantized input");
    SmallVector<Value> params{getScale()};
    if (getBias())
      params.push_back(getBias());
    return verifySameElementTypes(*this, params);
  }
  return verifySameElementTypes(*this, getOperands());
}

bool LayerNormOp::isCompatibleReturnTypes(TypeRange l, TypeRange r) {
  return compatibleResultTypes(l, r);
}

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location>,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  results.push_back(adaptor.getInput().getType());
  return success();
}

LogicalResult BatchNormOp::verify() {
  RankedTensorType type = getInput().getType();
  if (type.getRank() < 2)
    return emitOpError("expects an input of rank >= 2 (N, C, ...)");
  int64_t channels = type.getDimSize(1);
  for (Value v : {getScale(), getBias(), getMean(), getVariance()}) {
    RankedTensorType t = tensorType(v);
    if (t.getRank() != 1 || !dimsCompatible(t.getDimSize(0), channels))
      return emitOpError("expects per-channel parameters of shape [")
             << channels << "], got " << shapeString(t.getShape());
  }
  return verifySameElementTypes(*this, getOperands());
}

//===----------------------------------------------------------------------===//
// Contractions and convolution
//===----------------------------------------------------------------------===//

/// numpy matmul shape rule for ranks >= 2.
static LogicalResult inferMatMulShape(std::optional<Location> loc,
                                      RankedTensorType lhs,
                                      RankedTensorType rhs,
                                      SmallVectorImpl<int64_t> &shape) {
  if (lhs.getRank() < 2 || rhs.getRank() < 2)
    return emitOptionalError(loc, "expects operands of rank >= 2, got ",
                             shapeString(lhs.getShape()), " and ",
                             shapeString(rhs.getShape()));
  int64_t k1 = lhs.getShape().back();
  int64_t k2 = rhs.getShape()[rhs.getRank() - 2];
  if (!dimsCompatible(k1, k2))
    return emitOptionalError(
        loc, "contracting dimensions differ: ", shapeString(lhs.getShape()),
        " x ", shapeString(rhs.getShape()));
  FailureOr<SmallVector<int64_t>> batch =
      broadcastShapes(lhs.getShape().drop_back(2), rhs.getShape().drop_back(2));
  if (failed(batch))
    return emitOptionalError(
        loc, "batch dimensions of ", shapeString(lhs.getShape()), " and ",
        shapeString(rhs.getShape()), " are not broadcast-compatible");
  shape.assign(batch->begin(), batch->end());
  shape.push_back(lhs.getShape()[lhs.getRank() - 2]);
  shape.push_back(rhs.getShape().back());
  return success();
}

/// Contractions of narrow integers (and their quantized forms) accumulate
/// in i32; other element types are kept.
static Type accumulatorType(Type operand) {
  if (auto q = dyn_cast<quant::QuantizedType>(operand))
    return IntegerType::get(operand.getContext(), 32);
  if (auto i = dyn_cast<IntegerType>(operand); i && i.getWidth() <= 16)
    return IntegerType::get(operand.getContext(), 32);
  return operand;
}

/// Narrow-integer contraction operands: both integers of at most 16 bits,
/// or both quantized, with an i32 (or quantized i32) result.
static LogicalResult verifyIntegerContraction(Operation *op,
                                              ArrayRef<Value> operands,
                                              Type result) {
  Type first = getElementTypeOrSelf(operands.front().getType());
  bool quantized = isa<quant::QuantizedType>(first);
  for (Value v : operands) {
    Type t = getElementTypeOrSelf(v.getType());
    if (isa<quant::QuantizedType>(t) != quantized || isa<FloatType>(t))
      return op->emitOpError("mixes element types ")
             << first << " and " << t;
  }
  Type r = getElementTypeOrSelf(result);
  if (quantized != isa<quant::QuantizedType>(r))
    return op->emitOpError("expects a ")
           << (quantized ? "quantized" : "plain integer")
           << " result, got " << r;
  return success();
}

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  auto lhs = cast<RankedTensorType>(adaptor.getLhs().getType());
  SmallVector<int64_t> shape;
  if (failed(inferMatMulShape(
          loc, lhs, cast<RankedTensorType>(adaptor.getRhs().getType()), shape)))
    return failure();
  results.push_back(
      RankedTensorType::get(shape, accumulatorType(lhs.getElementType())));
  return success();
}
LogicalResult MatMulOp::verify() {
  Type el = getElementTypeOrSelf(getLhs().getType());
  if (accumulatorType(el) == el)
    return verifySameElementTypes(*this, {getLhs(), getRhs()});
  return verifyIntegerContraction(*this, {getLhs(), getRhs()}, getType());
}
bool MatMulOp::isCompatibleReturnTypes(TypeRange l, TypeRange r) {
  return compatibleResultTypes(l, r);
}

LogicalResult LinearOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  auto weight = cast<RankedTensorType>(adaptor.getWeight().getType());
  if (input.getRank() < 1 || weight.getRank() != 2)
    return emitOptionalError(loc, "expects an input of rank >= 1 and a 2-D "
                                  "weight");
  SmallVector<int64_t> shape(input.getShape().drop_back());
  shape.push_back(weight.getDimSize(1));
  results.push_back(
      RankedTensorType::get(shape, accumulatorType(input.getElementType())));
  return success();
}

bool LinearOp::isCompatibleReturnTypes(TypeRange l, TypeRange r) {
  return compatibleResultTypes(l, r);
}

LogicalResult LinearOp::verify() {
  RankedTensorType input = getInput().getType();
  RankedTensorType weight = getWeight().getType();
  // Wrong ranks are reported by the inferred-type check.
  if (input.getRank() < 1 || weight.getRank() != 2)
    return success();
  if (!dimsCompatible(input.getShape().back(), weight.getDimSize(0)))
    return emitOpError("input features ")
           << shapeString(input.getShape()) << " do not match weight "
           << shapeString(weight.getShape()) << " (weight is [K, N])";
  if (Value bias = getBias()) {
    RankedTensorType b = tensorType(bias);
    if (b.getRank() != 1 ||
        !dimsCompatible(b.getDimSize(0), weight.getDimSize(1)))
      return emitOpError("expects a bias of shape [")
             << weight.getDimSize(1) << "], got " << shapeString(b.getShape());
  }
  Type el = input.getElementType();
  if (accumulatorType(el) == el)
    return verifySameElementTypes(*this, getOperands());
  SmallVector<Value> operands{getInput(), getWeight()};
  if (failed(verifyIntegerContraction(*this, operands, getType())))
    return failure();
  if (Value bias = getBias()) {
    Type b = getElementTypeOrSelf(bias.getType());
    auto q = dyn_cast<quant::QuantizedType>(b);
    if (!(q ? q.getStorageType().isInteger(32) : b.isInteger(32)) ||
        isQuantized(b) != isQuantized(el))
      return emitOpError("expects an i32 bias (quantized if the input is), "
                         "got ")
             << b;
  }
  if (!isQuantized(el))
    return success();
  // The accumulator's scale is S_x * S_w[c] (and the bias's, if any).
  SmallVector<double> sx = quantScales(el), sw = quantScales(getWeight()
                                                                 .getType()
                                                                 .getElementType()),
                      sr = quantScales(getType().getElementType());
  int64_t n = weight.getDimSize(1);
  if (sx.size() != 1)
    return emitOpError("expects a per-tensor quantized input");
  auto expected = [&](int64_t c) { return sx[0] * sw[sw.size() == 1 ? 0 : c]; };
  auto check = [&](ArrayRef<double> scales, StringRef what) -> LogicalResult {
    if (scales.size() != 1 && (ShapedType::isDynamic(n) ||
                               (int64_t)scales.size() != n))
      return emitOpError(what) << " has " << scales.size()
                               << " scales for " << n << " output channels";
    for (int64_t c = 0; c < (int64_t)std::max<size_t>(scales.size(),
                                                      sw.size());
         ++c) {
      double got = scales[scales.size() == 1 ? 0 : c], want = expected(c);
      if (std::abs(got - want) > 1e-6 * want)
        return emitOpError(what)
               << " scale " << got << " of channel " << c
               << " is not the product of the input and weight scales ("
               << want << ")";
    }
    return success();
  };
  if (failed(check(sr, "result")))
    return failure();
  if (Value bias = getBias())
    return check(quantScales(getElementTypeOrSelf(bias.getType())), "bias");
  return success();
}

LogicalResult ConvOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &results) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  auto weight = cast<RankedTensorType>(adaptor.getWeight().getType());
  int64_t spatial = input.getRank() - 2;
  if (spatial < 1 || weight.getRank() != input.getRank())
    return emitOptionalError(loc, "expects input [N, C, D...] and weight "
                                  "[M, C/groups, K...] of the same rank >= 3");
  ArrayRef<int64_t> strides = adaptor.getStrides();
  ArrayRef<int64_t> pads = adaptor.getPads();
  ArrayRef<int64_t> dilations = adaptor.getDilations();
  if ((int64_t)strides.size() != spatial ||
      (int64_t)dilations.size() != spatial ||
      (int64_t)pads.size() != 2 * spatial)
    return emitOptionalError(loc, "expects ", spatial,
                             " strides and "
                             "dilations and ",
                             2 * spatial, " pads");
  SmallVector<int64_t> shape = {input.getDimSize(0), weight.getDimSize(0)};
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t d = input.getDimSize(2 + i);
    int64_t k = weight.getDimSize(2 + i);
    if (ShapedType::isDynamic(d) || ShapedType::isDynamic(k)) {
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    int64_t extent =
        d + pads[i] + pads[spatial + i] - dilations[i] * (k - 1) - 1;
    if (extent < 0 || strides[i] <= 0)
      return emitOptionalError(loc,
                               "kernel extent is larger than the padded "
                               "input in spatial dimension ",
                               i);
    shape.push_back(extent / strides[i] + 1);
  }
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult ConvOp::verify() {
  RankedTensorType input = getInput().getType();
  RankedTensorType weight = getWeight().getType();
  // Wrong ranks are reported by the inferred-type check.
  if (input.getRank() < 3 || weight.getRank() != input.getRank())
    return success();
  int64_t groups = getGroups();
  if (groups < 1)
    return emitOpError("expects groups >= 1");
  for (int64_t s : getStrides())
    if (s < 1)
      return emitOpError("expects strides >= 1");
  for (int64_t d : getDilations())
    if (d < 1)
      return emitOpError("expects dilations >= 1");
  for (int64_t p : getPads())
    if (p < 0)
      return emitOpError("expects non-negative pads");
  int64_t c = input.getDimSize(1), m = weight.getDimSize(0),
          cPerGroup = weight.getDimSize(1);
  if (!ShapedType::isDynamic(c) && !ShapedType::isDynamic(cPerGroup) &&
      c != cPerGroup * groups)
    return emitOpError("input channels (")
           << c << ") must equal weight channels per group (" << cPerGroup
           << ") x groups (" << groups << ")";
  if (!ShapedType::isDynamic(m) && m % groups != 0)
    return emitOpError("output channels (")
           << m << ") must be divisible by groups (" << groups << ")";
  if (Value bias = getBias()) {
    RankedTensorType b = tensorType(bias);
    if (b.getRank() != 1 || !dimsCompatible(b.getDimSize(0), m))
      return emitOpError("expects a bias of shape [")
             << m << "], got " << shapeString(b.getShape());
  }
  if (!isa<quant::QuantizedType>(input.getElementType()))
    return verifySameElementTypes(*this, getOperands());
  return success();
}

//===----------------------------------------------------------------------===//
// Gather
//===----------------------------------------------------------------------===//

LogicalResult GatherOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  auto data = cast<RankedTensorType>(adaptor.getData().getType());
  auto indices = cast<RankedTensorType>(adaptor.getIndices().getType());
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis >= data.getRank())
    return emitOptionalError(loc, "axis ", axis, " is out of range for rank ",
                             data.getRank());
  SmallVector<int64_t> shape(data.getShape().take_front(axis));
  llvm::append_range(shape, indices.getShape());
  llvm::append_range(shape, data.getShape().drop_front(axis + 1));
  results.push_back(RankedTensorType::get(shape, data.getElementType()));
  return success();
}

LogicalResult GatherOp::verify() {
  unsigned width = getIndices().getType().getElementTypeBitWidth();
  if (width != 32 && width != 64)
    return emitOpError("expects i32 or i64 indices");
  return success();
}

//===----------------------------------------------------------------------===//
// Quantization ops
//===----------------------------------------------------------------------===//

LogicalResult
DynamicQuantizeOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location>,
                                    Adaptor adaptor,
                                    SmallVectorImpl<Type> &results) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  auto u8 = IntegerType::get(ctx, 8, IntegerType::Unsigned);
  results.push_back(RankedTensorType::get(input.getShape(), u8));
  results.push_back(RankedTensorType::get({}, Float32Type::get(ctx)));
  results.push_back(RankedTensorType::get({}, u8));
  return success();
}

LogicalResult
MatMulIntegerOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,
                                  Adaptor adaptor,
                                  SmallVectorImpl<Type> &results) {
  SmallVector<int64_t> shape;
  if (failed(inferMatMulShape(
          loc, cast<RankedTensorType>(adaptor.getLhs().getType()),
          cast<RankedTensorType>(adaptor.getRhs().getType()), shape)))
    return failure();
  results.push_back(RankedTensorType::get(shape, IntegerType::get(ctx, 32)));
  return success();
}

LogicalResult MatMulIntegerOp::verify() {
  for (Value v : {getLhs(), getRhs()})
    if (tensorType(v).getElementTypeBitWidth() != 8)
      return emitOpError("expects 8-bit integer operands, got ")
             << tensorType(v).getElementType();
  // A 1-D zero point has one entry per row of lhs (M) or column of rhs (N).
  auto checkZp = [&](Value zp, Value operand, int64_t dim,
                     StringRef what) -> LogicalResult {
    if (!zp)
      return success();
    if (getElementTypeOrSelf(zp.getType()) !=
        getElementTypeOrSelf(operand.getType()))
      return emitOpError("zero point element type must match its operand");
    RankedTensorType zpType = tensorType(zp);
    if (zpType.getRank() > 1)
      return emitOpError("expects a scalar or 1-D zero point");
    RankedTensorType type = tensorType(operand);
    if (zpType.getRank() == 1 && type.getRank() >= 2) {
      int64_t expected = type.getDimSize(dim < 0 ? type.getRank() + dim : dim);
      int64_t got = zpType.getDimSize(0);
      if (got != 1 && !dimsCompatible(got, expected))
        return emitOpError("1-D zero point of ")
               << what << " has " << got << " entries, expected 1 or "
               << expected;
    }
    return success();
  };
  return failure(failed(checkZp(getLhsZeroPoint(), getLhs(), -2, "lhs")) ||
                 failed(checkZp(getRhsZeroPoint(), getRhs(), -1, "rhs")));
}

#define GET_OP_CLASSES
#include "iqc/Dialect/IQ/IR/IQOps.cpp.inc"

//===----------------------------------------------------------------------===//
// RequantOp
//===----------------------------------------------------------------------===//

/// Per-tensor (one value) or per-channel constants along `axis`.
static LogicalResult verifyChannelConstants(Operation *op, size_t count,
                                            std::optional<int64_t> axis,
                                            RankedTensorType type) {
  if (count <= 1)
    return success();
  if (!axis)
    return op->emitOpError("per-channel constants need an axis");
  if (*axis < 0 || *axis >= type.getRank())
    return op->emitOpError("axis ") << *axis << " is out of range";
  int64_t dim = type.getDimSize(*axis);
  if (!ShapedType::isDynamic(dim) && dim != (int64_t)count)
    return op->emitOpError("has ")
           << count << " per-channel constants for dim " << *axis
           << " of size " << dim;
  return success();
}

/// Dyadic multipliers m (with the sign) satisfy |m| < 2^31.
static LogicalResult verifyDyadicMultipliers(Operation *op,
                                             ArrayRef<int64_t> multipliers) {
  for (int64_t m : multipliers)
    if (m <= -(int64_t(1) << 31) || m >= (int64_t(1) << 31))
      return op->emitOpError("multiplier ") << m << " does not fit in 31 bits";
  return success();
}

/// An optional `clamp = [lo, hi]` lies within the range of the integer
/// element type of `type`.
static LogicalResult verifyClamp(Operation *op,
                                 std::optional<ArrayRef<int64_t>> clamp,
                                 Type type) {
  if (!clamp)
    return success();
  if (clamp->size() != 2 || (*clamp)[0] > (*clamp)[1])
    return op->emitOpError("clamp must be [lo, hi] with lo <= hi");
  auto el = cast<IntegerType>(getElementTypeOrSelf(type));
  unsigned w = el.getWidth();
  if (w < 64) {
    int64_t lo = el.isUnsigned() ? 0 : -(int64_t(1) << (w - 1));
    int64_t hi = el.isUnsigned() ? (int64_t(1) << w) - 1
                                 : (int64_t(1) << (w - 1)) - 1;
    if ((*clamp)[0] < lo || (*clamp)[1] > hi)
      return op->emitOpError("clamp [")
             << (*clamp)[0] << ", " << (*clamp)[1] << "] exceeds the range of "
             << el;
  }
  return success();
}

LogicalResult IGeluOp::verify() {
  size_t n = getB().size();
  if (n == 0 || getC().size() != n || getOne().size() != n)
    return emitOpError("needs as many c and one constants as b constants");
  if (llvm::any_of(getB(), [](int64_t b) { return b >= 0; }))
    return emitOpError("b constants must be negative (b = floor(-1.769 / S'))");
  if (tensorType(getInput()).getShape() != tensorType(getResult()).getShape())
    return emitOpError("result shape must equal the input shape");
  return verifyChannelConstants(*this, n, getAxis(), tensorType(getInput()));
}

LogicalResult RequantOp::verify() {
  ArrayRef<int64_t> ms = getMultipliers(), es = getShifts();
  if (ms.empty() || ms.size() != es.size())
    return emitOpError("needs one shift per multiplier, got ")
           << ms.size() << " multipliers and " << es.size() << " shifts";
  if (failed(verifyDyadicMultipliers(*this, ms)))
    return failure();
  for (int64_t e : es)
    if (e < -31 || e > 126)
      return emitOpError("shift ") << e << " is outside [-31, 126]";
  if (failed(verifyClamp(*this, getClamp(), getType())))
    return failure();
  return verifyChannelConstants(*this, ms.size(), getAxis(),
                                tensorType(getInput()));
}

LogicalResult IAddOp::verify() {
  auto lhs = tensorType(getLhs()), rhs = tensorType(getRhs());
  FailureOr<SmallVector<int64_t>> shape =
      broadcastShapes(lhs.getShape(), rhs.getShape());
  if (failed(shape))
    return emitOpError("operand shapes ")
           << shapeString(lhs.getShape()) << " and "
           << shapeString(rhs.getShape()) << " are not broadcast-compatible";
  auto result = tensorType(getResult());
  if (result.getRank() != (int64_t)shape->size() ||
      !llvm::all_of(llvm::zip(result.getShape(), *shape), [](auto p) {
        return dimsCompatible(std::get<0>(p), std::get<1>(p));
      }))
    return emitOpError("result shape ")
           << shapeString(result.getShape()) << " is not the broadcast shape "
           << shapeString(*shape);
  for (auto [name, ms, es, type] :
       {std::tuple(StringRef("lhs"), getLhsMultipliers(), getLhsShifts(), lhs),
        std::tuple(StringRef("rhs"), getRhsMultipliers(), getRhsShifts(),
                   rhs)}) {
    if (ms.empty() || ms.size() != es.size())
      return emitOpError("needs one ")
             << name << " shift per multiplier, got " << ms.size()
             << " multipliers and " << es.size() << " shifts";
    if (failed(verifyDyadicMultipliers(*this, ms)))
      return failure();
    for (int64_t e : es)
      if (e < -31 || e > 126)
        return emitOpError(name) << " shift " << e << " is outside [-31, 126]";
    if (type.getRank() == 0 && ms.size() > 1)
      return emitOpError(name) << " is 0-D but has per-channel constants";
    if (failed(verifyChannelConstants(*this, ms.size(), type.getRank() - 1,
                                      type)))
      return failure();
    if (cast<IntegerType>(type.getElementType()).getWidth() > 64)
      return emitOpError(name) << " is wider than 64 bits";
  }
  return verifyClamp(*this, getClamp(), result);
}

LogicalResult RescaleOp::verify() {
  for (Type t : {getInput().getType(), getType()}) {
    Type el = getElementTypeOrSelf(t);
    if (auto u = dyn_cast<quant::UniformQuantizedType>(el)) {
      if (u.getZeroPoint() != 0)
        return emitOpError("expects zero points of 0 (symmetric "
                           "quantization), got ")
               << el;
    } else if (auto pa = dyn_cast<quant::UniformQuantizedPerAxisType>(el)) {
      if (llvm::any_of(pa.getZeroPoints(), [](int64_t z) { return z != 0; }))
        return emitOpError("expects zero points of 0 (symmetric "
                           "quantization), got ")
               << el;
      if (failed(verifyChannelConstants(*this, pa.getScales().size(),
                                        pa.getQuantizedDimension(),
                                        tensorType(getInput()))))
        return failure();
    } else {
      return emitOpError("expects uniform quantized types, got ") << el;
    }
  }
  return success();
}

/// The i-exp constants shared by isoftmax and isigmoid.
static LogicalResult verifyExpConstants(Operation *op, IntegerAttr x0Attr,
                                        IntegerAttr mAttr,
                                        IntegerAttr shiftAttr) {
  // I64Attr getters return uint64_t; read the constants as signed.
  int64_t x0 = x0Attr.getInt(), m = mAttr.getInt(), shift = shiftAttr.getInt();
  if (x0 >= 0)
    return op->emitOpError("x0 = floor(-ln 2 / S) must be negative");
  if (m <= 0 || m >= (int64_t(1) << 31))
    return op->emitOpError("multiplier must be in (0, 2^31)");
  if (shift < 31 || shift > 90)
    return op->emitOpError("shift ")
           << shift
           << " must be in [31, 90] (the exp buffer shift E = shift - 30 + z "
              "must be >= 1)";
  return success();
}

LogicalResult ISigmoidOp::verify() {
  return verifyExpConstants(*this, getX0Attr(), getMultiplierAttr(),
                            getShiftAttr());
}

LogicalResult ISoftmaxOp::verify() {
  auto type = tensorType(getInput());
  if (type.getRank() < 1)
    return emitOpError("needs a tensor of rank >= 1");
  if (type.getShape() != tensorType(getResult()).getShape())
    return emitOpError("result shape must equal the input shape");
  if (failed(verifyExpConstants(*this, getX0Attr(), getMultiplierAttr(),
                                getShiftAttr())))
    return failure();
  if (getMask()) {
    auto m = tensorType(getMask());
    if (failed(broadcastShapes(m.getShape(), type.getShape())) ||
        m.getRank() > type.getRank())
      return emitOpError("mask of shape ")
             << shapeString(m.getShape())
             << " does not broadcast to the input shape "
             << shapeString(type.getShape());
  }
  return success();
}

LogicalResult ILayerNormOp::verify() {
  auto type = tensorType(getInput());
  if (type.getRank() < 1)
    return emitOpError("needs a tensor of rank >= 1");
  if (type.getShape() != tensorType(getResult()).getShape())
    return emitOpError("result shape must equal the input shape");
  int64_t shift = getShiftAttr().getInt();
  if (shift < 0 || shift > 31)
    return emitOpError("shift ") << shift << " must be in [0, 31]";
  size_t n = getBias().size();
  if (getMultipliers().size() != n || getShifts().size() != n || n == 0)
    return emitOpError("needs as many multipliers and shifts as bias values");
  if (failed(verifyDyadicMultipliers(*this, getMultipliers())))
    return failure();
  for (int64_t e : getShifts())
    if (e < 1 || e > 126)
      return emitOpError("requant shift ") << e << " must be in [1, 126]";
  return verifyChannelConstants(*this, n, type.getRank() - 1, type);
}

//===----------------------------------------------------------------------===//
// Token pruning
//===----------------------------------------------------------------------===//

/// Two dims along which tensors pair up (batch and sequence).
static LogicalResult expectDims(Operation *op, RankedTensorType t,
                                ArrayRef<int64_t> dims, StringRef what) {
  if (t.getRank() < (int64_t)dims.size())
    return op->emitOpError(what) << " must have rank >= " << dims.size();
  for (auto [i, d] : llvm::enumerate(dims))
    if (!dimsCompatible(t.getDimSize(i), d))
      return op->emitOpError(what)
             << " has shape " << shapeString(t.getShape())
             << ", incompatible with " << shapeString(dims);
  return success();
}

LogicalResult TokenImportanceOp::verify() {
  auto p = tensorType(getProbs()), r = tensorType(getRows()),
       out = tensorType(getResult());
  if (p.getRank() != 4)
    return emitOpError("expects probabilities [B, H, Lq, Lk], got ")
           << shapeString(p.getShape());
  if (failed(expectDims(*this, r, {p.getDimSize(0), p.getDimSize(2)},
                        "rows")) ||
      failed(expectDims(*this, out, {p.getDimSize(0), p.getDimSize(3)},
                        "result")))
    return failure();
  Type el = p.getElementType(), oel = out.getElementType();
  if (isa<FloatType>(el) ? oel != el : !oel.isInteger(64))
    return emitOpError("sums ") << el << " into " << oel
                                << " (i64 for integers, the same float type "
                                   "for floats)";
  return success();
}

LogicalResult PruneKeepOp::verify() {
  auto imp = tensorType(getImportance()), alive = tensorType(getAlive());
  if (imp.getRank() != 2 || imp.getShape() != alive.getShape() ||
      imp.getShape() != tensorType(getResult()).getShape())
    return emitOpError("expects importance, alive and result of one shape "
                       "[B, L]");
  Type el = imp.getElementType();
  if (!isa<FloatType>(el) && !el.isInteger(64))
    return emitOpError("expects i64 or float importance, got ") << el;
  if (getThresholdAttr().getInt() < 0 || getHeadsAttr().getInt() <= 0)
    return emitOpError("expects a non-negative threshold and positive heads");
  return success();
}

LogicalResult CompactIndicesOp::verify() {
  auto k = tensorType(getKeep());
  if (k.getRank() != 2)
    return emitOpError("expects keep [B, L]");
  for (Value v : {getIndices(), getValid()}) {
    auto t = tensorType(v);
    if (t.getRank() != 2 || !dimsCompatible(t.getDimSize(0), k.getDimSize(0)))
      return emitOpError("results must be [B, L'] with the keep's batch");
  }
  return success();
}

LogicalResult GatherRowsOp::verify() {
  auto d = tensorType(getData()), i = tensorType(getIndices()),
       r = tensorType(getResult());
  if (d.getRank() < 2 || i.getRank() != 2 || r.getRank() != d.getRank() ||
      r.getElementType() != d.getElementType())
    return emitOpError("expects data [B, L, ...], indices [B, L'] and a "
                       "result [B, L', ...] of the data's element type");
  for (int64_t k = 2; k < d.getRank(); ++k)
    if (!dimsCompatible(d.getDimSize(k), r.getDimSize(k)))
      return emitOpError("result dim ") << k << " differs from the data's";
  if (failed(expectDims(*this, r, {i.getDimSize(0), i.getDimSize(1)},
                        "result")))
    return failure();
  return success();
}

LogicalResult ScatterRowsOp::verify() {
  auto d = tensorType(getData()), i = tensorType(getIndices()),
       r = tensorType(getResult());
  if (d.getRank() < 2 || i.getRank() != 2 ||
      tensorType(getValid()).getShape() != i.getShape() ||
      r.getRank() != d.getRank() || r.getElementType() != d.getElementType())
    return emitOpError("expects data [B, L', ...], indices and valid [B, L'] "
                       "and a result [B, L, ...] of the data's element type");
  if (failed(expectDims(*this, d, {i.getDimSize(0), i.getDimSize(1)}, "data")))
    return failure();
  for (int64_t k = 2; k < d.getRank(); ++k)
    if (!dimsCompatible(d.getDimSize(k), r.getDimSize(k)))
      return emitOpError("result dim ") << k << " differs from the data's";
  return success();
}
