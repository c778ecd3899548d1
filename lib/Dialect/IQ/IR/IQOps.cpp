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

static RankedTensorType rankedType(Value v) {
  return cast<RankedTensorType>(v.getType());
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
  LogicalResult OP::verify() {                                                 \
    return verifySameElementTypes(*this, {getLhs(), getRhs()});                \
  }
IQ_BINARY_INFER(AddOp)
IQ_BINARY_INFER(SubOp)
IQ_BINARY_INFER(MulOp)
IQ_BINARY_INFER(DivOp)
IQ_BINARY_INFER(PowOp)
#undef IQ_BINARY_INFER

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
  int64_t rank = getInput().getType().getRank();
  int64_t axis = static_cast<int64_t>(getAxis());
  if (axis < 0 || axis >= rank)
    return emitOpError("axis ") << axis << " is out of range for rank " << rank;
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
    ArrayRef<int64_t> shape = rankedType(v).getShape();
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
  return verifySameElementTypes(*this, getOperands());
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
    RankedTensorType t = rankedType(v);
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

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  auto lhs = cast<RankedTensorType>(adaptor.getLhs().getType());
  SmallVector<int64_t> shape;
  if (failed(inferMatMulShape(
          loc, lhs, cast<RankedTensorType>(adaptor.getRhs().getType()), shape)))
    return failure();
  results.push_back(RankedTensorType::get(shape, lhs.getElementType()));
  return success();
}
LogicalResult MatMulOp::verify() {
  return verifySameElementTypes(*this, {getLhs(), getRhs()});
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
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
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
    RankedTensorType b = rankedType(bias);
    if (b.getRank() != 1 ||
        !dimsCompatible(b.getDimSize(0), weight.getDimSize(1)))
      return emitOpError("expects a bias of shape [")
             << weight.getDimSize(1) << "], got " << shapeString(b.getShape());
  }
  bool quantized = isa<quant::QuantizedType>(input.getElementType());
  if (!quantized)
    return verifySameElementTypes(*this, getOperands());
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
    RankedTensorType b = rankedType(bias);
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
    if (rankedType(v).getElementTypeBitWidth() != 8)
      return emitOpError("expects 8-bit integer operands, got ")
             << rankedType(v).getElementType();
  // A 1-D zero point has one entry per row of lhs (M) or column of rhs (N).
  auto checkZp = [&](Value zp, Value operand, int64_t dim,
                     StringRef what) -> LogicalResult {
    if (!zp)
      return success();
    if (getElementTypeOrSelf(zp.getType()) !=
        getElementTypeOrSelf(operand.getType()))
      return emitOpError("zero point element type must match its operand");
    RankedTensorType zpType = rankedType(zp);
    if (zpType.getRank() > 1)
      return emitOpError("expects a scalar or 1-D zero point");
    RankedTensorType type = rankedType(operand);
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

LogicalResult IGeluOp::verify() {
  size_t n = getB().size();
  if (n == 0 || getC().size() != n || getOne().size() != n)
    return emitOpError("needs as many c and one constants as b constants");
  if (llvm::any_of(getB(), [](int64_t b) { return b >= 0; }))
    return emitOpError("b constants must be negative (b = floor(-1.769 / S'))");
  if (rankedType(getInput()).getShape() != rankedType(getResult()).getShape())
    return emitOpError("result shape must equal the input shape");
  return verifyChannelConstants(*this, n, getAxis(), rankedType(getInput()));
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
  return verifyChannelConstants(*this, ms.size(), getAxis(),
                                rankedType(getInput()));
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
  auto type = rankedType(getInput());
  if (type.getRank() < 1)
    return emitOpError("needs a tensor of rank >= 1");
  if (type.getShape() != rankedType(getResult()).getShape())
    return emitOpError("result shape must equal the input shape");
  if (failed(verifyExpConstants(*this, getX0Attr(), getMultiplierAttr(),
                                getShiftAttr())))
    return failure();
  if (getMask()) {
    auto m = rankedType(getMask());
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
  auto type = rankedType(getInput());
  if (type.getRank() < 1)
    return emitOpError("needs a tensor of rank >= 1");
  if (type.getShape() != rankedType(getResult()).getShape())
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
