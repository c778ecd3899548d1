//===- IQToLinalg.cpp - Lower iq ops to linalg/tensor/arith/math ----------===//
//
// Each iq op becomes linalg ops over tensors. Broadcasting is expressed with
// indexing maps (a size-1 operand dim reads index 0), dynamic result sizes
// are taken from the operands with tensor.dim, and contractions use named
// linalg ops where the shapes allow so later tiling/vectorization sees them.
//
//===----------------------------------------------------------------------===//

#include "iqc/Conversion/Passes.h"
#include "iqc/Dialect/IQ/IR/IQOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

namespace iqc {
#define GEN_PASS_DEF_CONVERTIQTOLINALG
#include "iqc/Conversion/Passes.h.inc"
} // namespace iqc

using namespace mlir;
using namespace iqc;
using iqc::iq::tensorType;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

bool isUnsignedInt(Type t) {
  auto i = dyn_cast<IntegerType>(t);
  return i && i.isUnsigned();
}

/// The signless type arith works on for `t` (ui8 -> i8, f32 -> f32).
Type signless(Type t) {
  if (auto i = dyn_cast<IntegerType>(t); i && !i.isSignless())
    return IntegerType::get(t.getContext(), i.getWidth());
  return t;
}

/// Bitcasts a tensor of signed/unsigned integers to signless storage.
Value toSignless(OpBuilder &b, Location loc, Value v) {
  auto type = tensorType(v);
  Type el = signless(type.getElementType());
  if (el == type.getElementType())
    return v;
  return tensor::BitcastOp::create(b, loc, type.clone(el), v);
}

/// Bitcasts a signless tensor back to the (possibly unsigned) element type.
Value fromSignless(OpBuilder &b, Location loc, Value v, Type elementType) {
  auto type = tensorType(v);
  if (type.getElementType() == elementType)
    return v;
  return tensor::BitcastOp::create(b, loc, type.clone(elementType), v);
}

Value dimValue(OpBuilder &b, Location loc, Value t, int64_t d) {
  return b.createOrFold<tensor::DimOp>(loc, t, d);
}

/// Sizes of a result of type `type` whose dims broadcast from `operands`
/// (right-aligned). Dynamic result dims read a dynamic operand dim.
SmallVector<Value> broadcastDynamicSizes(OpBuilder &b, Location loc,
                                         RankedTensorType type,
                                         ValueRange operands) {
  SmallVector<Value> sizes;
  int64_t rank = type.getRank();
  for (int64_t i = 0; i < rank; ++i) {
    if (!type.isDynamicDim(i))
      continue;
    Value size;
    for (Value operand : operands) {
      auto t = tensorType(operand);
      int64_t j = i - (rank - t.getRank());
      if (j < 0)
        continue;
      if (t.isDynamicDim(j)) {
        size = dimValue(b, loc, operand, j);
        break;
      }
    }
    assert(size && "dynamic result dim without a dynamic operand dim");
    sizes.push_back(size);
  }
  return sizes;
}

Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType type,
                  ValueRange dynamicSizes) {
  return tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType(),
                                 dynamicSizes);
}

/// The indexing map reading an operand of `operandType` inside a loop nest
/// over `resultRank` dims with numpy broadcasting.
AffineMap broadcastMap(MLIRContext *ctx, RankedTensorType operandType,
                       ArrayRef<int64_t> resultShape) {
  int64_t rank = resultShape.size();
  int64_t offset = rank - operandType.getRank();
  SmallVector<AffineExpr> exprs;
  for (int64_t j = 0; j < operandType.getRank(); ++j) {
    int64_t r = resultShape[offset + j];
    if (operandType.getDimSize(j) == 1 && r != 1)
      exprs.push_back(getAffineConstantExpr(0, ctx));
    else
      exprs.push_back(getAffineDimExpr(offset + j, ctx));
  }
  return AffineMap::get(rank, 0, exprs, ctx);
}

using BodyFn =
    function_ref<Value(OpBuilder &, Location, ValueRange /*scalar args*/)>;

/// An all-parallel linalg.generic producing `resultType` from broadcast
/// operands. Operands and result are handled as signless storage.
Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ValueRange operands, BodyFn body) {
  MLIRContext *ctx = b.getContext();
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  for (Value v : operands) {
    inputs.push_back(toSignless(b, loc, v));
    maps.push_back(broadcastMap(ctx, tensorType(v), resultType.getShape()));
  }
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  auto storageType = resultType.clone(signless(resultType.getElementType()));
  Value init = emptyTensor(b, loc, storageType,
                           broadcastDynamicSizes(b, loc, resultType, operands));
  SmallVector<utils::IteratorType> iterators(resultType.getRank(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, storageType, inputs, init, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value v = body(nb, nloc, args.drop_back());
        linalg::YieldOp::create(nb, nloc, v);
      });
  return fromSignless(b, loc, generic.getResult(0),
                      resultType.getElementType());
}

Value scalarConstant(OpBuilder &b, Location loc, Type type, double value) {
  if (isa<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, value));
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(signless(type), (int64_t)value));
}

Value zeroTensor(OpBuilder &b, Location loc, RankedTensorType type,
                 ValueRange dynamicSizes) {
  auto storage = type.clone(signless(type.getElementType()));
  Value init = emptyTensor(b, loc, storage, dynamicSizes);
  Value zero = scalarConstant(b, loc, storage.getElementType(), 0);
  return linalg::FillOp::create(b, loc, zero, init).getResult(0);
}

/// Dynamic sizes of `v`'s shape (in order).
SmallVector<Value> dynamicSizesOf(OpBuilder &b, Location loc, Value v) {
  SmallVector<Value> sizes;
  auto t = tensorType(v);
  for (int64_t i = 0; i < t.getRank(); ++i)
    if (t.isDynamicDim(i))
      sizes.push_back(dimValue(b, loc, v, i));
  return sizes;
}

//===----------------------------------------------------------------------===//
// Scalar arithmetic by element type
//===----------------------------------------------------------------------===//

/// Scalar builders that pick float/signed/unsigned arith ops from the iq
/// element type (the scalar values themselves are signless).
struct Scalar {
  OpBuilder &b;
  Location loc;
  Type type; // the iq element type (may be unsigned)

  bool isFloat() const { return isa<FloatType>(type); }
  bool isUnsigned() const { return isUnsignedInt(type); }

  Value add(Value x, Value y) {
    return isFloat() ? (Value)arith::AddFOp::create(b, loc, x, y)
                     : (Value)arith::AddIOp::create(b, loc, x, y);
  }
  Value sub(Value x, Value y) {
    return isFloat() ? (Value)arith::SubFOp::create(b, loc, x, y)
                     : (Value)arith::SubIOp::create(b, loc, x, y);
  }
  Value mul(Value x, Value y) {
    return isFloat() ? (Value)arith::MulFOp::create(b, loc, x, y)
                     : (Value)arith::MulIOp::create(b, loc, x, y);
  }
  Value div(Value x, Value y) {
    if (isFloat())
      return arith::DivFOp::create(b, loc, x, y);
    if (isUnsigned())
      return arith::DivUIOp::create(b, loc, x, y);
    return arith::DivSIOp::create(b, loc, x, y);
  }
  Value max(Value x, Value y) {
    if (isFloat())
      return arith::MaximumFOp::create(b, loc, x, y);
    if (isUnsigned())
      return arith::MaxUIOp::create(b, loc, x, y);
    return arith::MaxSIOp::create(b, loc, x, y);
  }
  Value min(Value x, Value y) {
    if (isFloat())
      return arith::MinimumFOp::create(b, loc, x, y);
    if (isUnsigned())
      return arith::MinUIOp::create(b, loc, x, y);
    return arith::MinSIOp::create(b, loc, x, y);
  }
  Value constant(double v) { return scalarConstant(b, loc, type, v); }
  Value cmp(iq::CmpPredicate pred, Value x, Value y) {
    if (isFloat()) {
      arith::CmpFPredicate p;
      switch (pred) {
      case iq::CmpPredicate::eq:
        p = arith::CmpFPredicate::OEQ;
        break;
      case iq::CmpPredicate::lt:
        p = arith::CmpFPredicate::OLT;
        break;
      case iq::CmpPredicate::le:
        p = arith::CmpFPredicate::OLE;
        break;
      case iq::CmpPredicate::gt:
        p = arith::CmpFPredicate::OGT;
        break;
      case iq::CmpPredicate::ge:
        p = arith::CmpFPredicate::OGE;
        break;
      }
      return arith::CmpFOp::create(b, loc, p, x, y);
    }
    bool u = isUnsigned() || type.isInteger(1);
    arith::CmpIPredicate p;
    switch (pred) {
    case iq::CmpPredicate::eq:
      p = arith::CmpIPredicate::eq;
      break;
    case iq::CmpPredicate::lt:
      p = u ? arith::CmpIPredicate::ult : arith::CmpIPredicate::slt;
      break;
    case iq::CmpPredicate::le:
      p = u ? arith::CmpIPredicate::ule : arith::CmpIPredicate::sle;
      break;
    case iq::CmpPredicate::gt:
      p = u ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt;
      break;
    case iq::CmpPredicate::ge:
      p = u ? arith::CmpIPredicate::uge : arith::CmpIPredicate::sge;
      break;
    }
    return arith::CmpIOp::create(b, loc, p, x, y);
  }
};

/// Converts a scalar between element types with ONNX Cast semantics.
Value castScalar(OpBuilder &b, Location loc, Value x, Type from, Type to) {
  if (from == to)
    return x;
  Type toS = signless(to);
  auto fromF = dyn_cast<FloatType>(from);
  auto toF = dyn_cast<FloatType>(to);
  if (to.isInteger(1)) {
    Value zero = scalarConstant(b, loc, from, 0);
    if (fromF)
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, x, zero);
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x, zero);
  }
  bool fromUnsigned = isUnsignedInt(from) || from.isInteger(1);
  if (fromF && toF) {
    if (fromF.getWidth() < toF.getWidth())
      return arith::ExtFOp::create(b, loc, toS, x);
    if (fromF.getWidth() > toF.getWidth())
      return arith::TruncFOp::create(b, loc, toS, x);
    return x;
  }
  if (toF)
    return fromUnsigned ? (Value)arith::UIToFPOp::create(b, loc, toS, x)
                        : (Value)arith::SIToFPOp::create(b, loc, toS, x);
  if (fromF)
    return isUnsignedInt(to) ? (Value)arith::FPToUIOp::create(b, loc, toS, x)
                             : (Value)arith::FPToSIOp::create(b, loc, toS, x);
  unsigned fw = from.getIntOrFloatBitWidth(), tw = to.getIntOrFloatBitWidth();
  if (fw < tw)
    return fromUnsigned ? (Value)arith::ExtUIOp::create(b, loc, toS, x)
                        : (Value)arith::ExtSIOp::create(b, loc, toS, x);
  if (fw > tw)
    return arith::TruncIOp::create(b, loc, toS, x);
  return x;
}

Value sigmoidScalar(OpBuilder &b, Location loc, Value x) {
  Type t = x.getType();
  Value one = scalarConstant(b, loc, t, 1.0);
  Value negX = arith::NegFOp::create(b, loc, x);
  Value e = math::ExpOp::create(b, loc, negX);
  return arith::DivFOp::create(b, loc, one,
                               arith::AddFOp::create(b, loc, one, e));
}

//===----------------------------------------------------------------------===//
// Elementwise ops
//===----------------------------------------------------------------------===//

template <typename OpTy> struct BinaryLowering : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Type el = getElementTypeOrSelf(op.getLhs().getType());
    Value result = buildElementwise(
        rewriter, op.getLoc(), tensorType(op.getResult()),
        {op.getLhs(), op.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Scalar s{b, loc, el};
          if constexpr (std::is_same_v<OpTy, iq::AddOp>)
            return s.add(args[0], args[1]);
          if constexpr (std::is_same_v<OpTy, iq::SubOp>)
            return s.sub(args[0], args[1]);
          if constexpr (std::is_same_v<OpTy, iq::MulOp>)
            return s.mul(args[0], args[1]);
          if constexpr (std::is_same_v<OpTy, iq::DivOp>)
            return s.div(args[0], args[1]);
          if constexpr (std::is_same_v<OpTy, iq::PowOp>) {
            if (s.isFloat())
              return math::PowFOp::create(b, loc, args[0], args[1]);
            return math::IPowIOp::create(b, loc, args[0], args[1]);
          }
          llvm_unreachable("unhandled binary op");
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct CmpLowering : OpRewritePattern<iq::CmpOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(iq::CmpOp op,
                                PatternRewriter &rewriter) const override {
    Type el = getElementTypeOrSelf(op.getLhs().getType());
    Value result = buildElementwise(
        rewriter, op.getLoc(), tensorType(op.getResult()),
        {op.getLhs(), op.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return Scalar{b, loc, el}.cmp(op.getPredicate(), args[0], args[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct SelectLowering : OpRewritePattern<iq::SelectOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(iq::SelectOp op,
                                PatternRewriter &rewriter) const override {
    Value result = buildElementwise(
        rewriter, op.getLoc(), tensorType(op.getResult()),
        {op.getCondition(), op.getTrueValue(), op.getFalseValue()},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return arith::SelectOp::create(b, loc, args[0], args[1], args[2]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

template <typename OpTy> struct UnaryLowering : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Type el = getElementTypeOrSelf(op.getInput().getType());
    Value result = buildElementwise(
        rewriter, op.getLoc(), tensorType(op.getResult()), {op.getInput()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Value x = args[0];
          Scalar s{b, loc, el};
          if constexpr (std::is_same_v<OpTy, iq::SqrtOp>)
            return math::SqrtOp::create(b, loc, x);
          if constexpr (std::is_same_v<OpTy, iq::ErfOp>)
            return math::ErfOp::create(b, loc, x);
          if constexpr (std::is_same_v<OpTy, iq::TanhOp>)
            return math::TanhOp::create(b, loc, x);
          if constexpr (std::is_same_v<OpTy, iq::ExpOp>)
            return math::ExpOp::create(b, loc, x);
          if constexpr (std::is_same_v<OpTy, iq::SigmoidOp>)
            return sigmoidScalar(b, loc, x);
          if constexpr (std::is_same_v<OpTy, iq::SwishOp>)
            return arith::MulFOp::create(b, loc, x, sigmoidScalar(b, loc, x));
          if constexpr (std::is_same_v<OpTy, iq::GeluOp>) {
            // x * (1 + erf(x / sqrt 2)) / 2
            Value inv = s.constant(0.70710678118654752440);
            Value e = math::ErfOp::create(
                b, loc, arith::MulFOp::create(b, loc, x, inv));
            Value onePlus = arith::AddFOp::create(b, loc, s.constant(1.0), e);
            Value half = arith::MulFOp::create(b, loc, x, s.constant(0.5));
            return arith::MulFOp::create(b, loc, half, onePlus);
          }
          if constexpr (std::is_same_v<OpTy, iq::ReluOp>) {
            if (s.isFloat()) {
              // max(x, 0) that keeps NaN (ONNX Relu propagates it).
              Value zero = s.constant(0);
              Value lt = arith::CmpFOp::create(
                  b, loc, arith::CmpFPredicate::OLT, x, zero);
              return arith::SelectOp::create(b, loc, lt, zero, x);
            }
            return s.max(x, s.constant(0));
          }
          if constexpr (std::is_same_v<OpTy, iq::AbsOp>) {
            if (s.isFloat())
              return math::AbsFOp::create(b, loc, x);
            if (s.isUnsigned())
              return x;
            return math::AbsIOp::create(b, loc, x);
          }
          if constexpr (std::is_same_v<OpTy, iq::NegOp>) {
            if (s.isFloat())
              return arith::NegFOp::create(b, loc, x);
            return arith::SubIOp::create(b, loc, s.constant(0), x);
          }
          if constexpr (std::is_same_v<OpTy, iq::NotOp>) {
            Value t = arith::ConstantOp::create(b, loc, b.getBoolAttr(true));
            return arith::XOrIOp::create(b, loc, x, t);
          }
          llvm_unreachable("unhandled unary op");
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct CastLowering : OpRewritePattern<iq::CastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(iq::CastOp op,
                                PatternRewriter &rewriter) const override {
    Type from = getElementTypeOrSelf(op.getInput().getType());
    Type to = getElementTypeOrSelf(op.getResult().getType());
    Value result = buildElementwise(
        rewriter, op.getLoc(), tensorType(op.getResult()), {op.getInput()},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return castScalar(b, loc, args[0], from, to);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

enum class ReduceKind { Sum, Max, Min };

/// Reduces `input` over the sorted `axes`, dropping them. `map` transforms
/// each element before it is combined (e.g. exp(x - max)); it receives the
/// element and the loop's other input scalars.
Value buildReduction(OpBuilder &b, Location loc, Value input,
                     ArrayRef<int64_t> axes, ReduceKind kind,
                     ValueRange extraInputs = {},
                     ArrayRef<AffineMap> extraMaps = {},
                     function_ref<Value(OpBuilder &, Location, ValueRange)>
                         elementFn = nullptr) {
  MLIRContext *ctx = b.getContext();
  auto type = tensorType(input);
  Type el = type.getElementType();
  int64_t rank = type.getRank();
  SmallVector<int64_t> shape;
  SmallVector<Value> dyn;
  SmallVector<AffineExpr> outExprs;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t i = 0; i < rank; ++i) {
    bool reduced = llvm::is_contained(axes, i);
    iterators.push_back(reduced ? utils::IteratorType::reduction
                                : utils::IteratorType::parallel);
    if (reduced)
      continue;
    shape.push_back(type.getDimSize(i));
    outExprs.push_back(getAffineDimExpr(i, ctx));
    if (type.isDynamicDim(i))
      dyn.push_back(dimValue(b, loc, input, i));
  }
  auto outType = RankedTensorType::get(shape, signless(el));
  Scalar s{b, loc, el};
  double initValue = 0;
  if (kind != ReduceKind::Sum) {
    bool isMax = kind == ReduceKind::Max;
    if (auto f = dyn_cast<FloatType>(el)) {
      initValue = isMax ? -std::numeric_limits<double>::infinity()
                        : std::numeric_limits<double>::infinity();
    } else {
      auto i = cast<IntegerType>(el);
      APInt v = isUnsignedInt(el)
                    ? (isMax ? APInt::getMinValue(i.getWidth())
                             : APInt::getMaxValue(i.getWidth()))
                    : (isMax ? APInt::getSignedMinValue(i.getWidth())
                             : APInt::getSignedMaxValue(i.getWidth()));
      Value init = emptyTensor(b, loc, outType, dyn);
      Value c =
          arith::ConstantOp::create(b, loc, b.getIntegerAttr(signless(el), v));
      init = linalg::FillOp::create(b, loc, c, init).getResult(0);
      return linalg::GenericOp::create(
                 b, loc, outType, ValueRange{toSignless(b, loc, input)}, init,
                 {b.getMultiDimIdentityMap(rank),
                  AffineMap::get(rank, 0, outExprs, ctx)},
                 iterators,
                 [&](OpBuilder &nb, Location nloc, ValueRange args) {
                   Scalar ns{nb, nloc, el};
                   Value r = isMax ? ns.max(args[0], args[1])
                                   : ns.min(args[0], args[1]);
                   linalg::YieldOp::create(nb, nloc, r);
                 })
          .getResult(0);
    }
  }
  Value init = emptyTensor(b, loc, outType, dyn);
  init =
      linalg::FillOp::create(b, loc, s.constant(initValue), init).getResult(0);
  SmallVector<Value> inputs{toSignless(b, loc, input)};
  SmallVector<AffineMap> maps{b.getMultiDimIdentityMap(rank)};
  inputs.append(extraInputs.begin(), extraInputs.end());
  maps.append(extraMaps.begin(), extraMaps.end());
  maps.push_back(AffineMap::get(rank, 0, outExprs, ctx));
  return linalg::GenericOp::create(
             b, loc, outType, inputs, init, maps, iterators,
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               Scalar ns{nb, nloc, el};
               Value x =
                   elementFn ? elementFn(nb, nloc, args.drop_back()) : args[0];
               Value acc = args.back();
               Value r = kind == ReduceKind::Sum   ? ns.add(acc, x)
                         : kind == ReduceKind::Max ? ns.max(acc, x)
                                                   : ns.min(acc, x);
               linalg::YieldOp::create(nb, nloc, r);
             })
      .getResult(0);
}

/// The map from a loop nest over `rank` dims to a tensor holding the dims
/// that are not in `axes` (a reduction result without keep_dims).
AffineMap reducedMap(MLIRContext *ctx, int64_t rank, ArrayRef<int64_t> axes) {
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < rank; ++i)
    if (!llvm::is_contained(axes, i))
      exprs.push_back(getAffineDimExpr(i, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

/// The number of elements in the `axes` dims of `v`, as a scalar of `type`.
Value countOf(OpBuilder &b, Location loc, Value v, ArrayRef<int64_t> axes,
              Type type) {
  Value n = arith::ConstantIndexOp::create(b, loc, 1);
  for (int64_t a : axes)
    n = arith::MulIOp::create(b, loc, n, dimValue(b, loc, v, a));
  Value i64 = arith::IndexCastOp::create(b, loc, b.getI64Type(), n);
  if (isa<FloatType>(type))
    return arith::SIToFPOp::create(b, loc, type, i64);
  return castScalar(b, loc, i64, b.getI64Type(), type);
}

/// Reshapes a reduction result (axes dropped) to keep the axes as size 1.
Value keepDims(OpBuilder &b, Location loc, Value reduced,
               RankedTensorType keptType, ArrayRef<int64_t> axes) {
  SmallVector<ReassociationIndices> reassoc;
  int64_t rank = keptType.getRank();
  // Group each kept dim with the reduced (size-1) dims right before it; the
  // trailing reduced dims join the last group.
  ReassociationIndices group;
  for (int64_t i = 0; i < rank; ++i) {
    group.push_back(i);
    if (!llvm::is_contained(axes, i)) {
      reassoc.push_back(group);
      group.clear();
    }
  }
  if (!group.empty()) {
    if (reassoc.empty())
      return tensor::ExpandShapeOp::create(b, loc, keptType, reduced,
                                           ArrayRef<ReassociationIndices>{});
    reassoc.back().append(group.begin(), group.end());
  }
  return tensor::ExpandShapeOp::create(b, loc, keptType, reduced, reassoc);
}

template <typename OpTy> struct ReduceLowering : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput();
    Type el = getElementTypeOrSelf(input.getType());
    ArrayRef<int64_t> axes = op.getAxes();
    Value sum = buildReduction(rewriter, loc, input, axes, ReduceKind::Sum);
    if constexpr (std::is_same_v<OpTy, iq::ReduceMeanOp>) {
      Value n = countOf(rewriter, loc, input, axes, signless(el));
      auto sumType = tensorType(sum);
      sum = buildElementwise(rewriter, loc, sumType.clone(el),
                             {fromSignless(rewriter, loc, sum, el)},
                             [&](OpBuilder &b, Location l, ValueRange args) {
                               return Scalar{b, l, el}.div(args[0], n);
                             });
    } else {
      sum = fromSignless(rewriter, loc, sum, el);
    }
    auto resultType = tensorType(op.getResult());
    if (op.getKeepDims())
      sum = keepDims(rewriter, loc, sum, resultType, axes);
    rewriter.replaceOp(op, sum);
    return success();
  }
};

struct SoftmaxLowering : OpRewritePattern<iq::SoftmaxOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(iq::SoftmaxOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Value x = op.getInput();
    auto type = tensorType(x);
    int64_t rank = type.getRank();
    int64_t axis = op.getAxis();
    SmallVector<int64_t> axes{axis};
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    AffineMap red = reducedMap(ctx, rank, axes);
    Value max = buildReduction(rewriter, loc, x, axes, ReduceKind::Max);
    SmallVector<utils::IteratorType> par(rank, utils::IteratorType::parallel);
    Value e =
        linalg::GenericOp::create(
            rewriter, loc, type, ValueRange{x, max},
            emptyTensor(rewriter, loc, type, dynamicSizesOf(rewriter, loc, x)),
            {id, red, id}, par,
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value d = arith::SubFOp::create(b, l, args[0], args[1]);
              linalg::YieldOp::create(b, l,
                                      Value(math::ExpOp::create(b, l, d)));
            })
            .getResult(0);
    Value sum = buildReduction(rewriter, loc, e, axes, ReduceKind::Sum);
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, type, ValueRange{e, sum},
            emptyTensor(rewriter, loc, type, dynamicSizesOf(rewriter, loc, x)),
            {id, red, id}, par,
            [&](OpBuilder &b, Location l, ValueRange args) {
              linalg::YieldOp::create(
                  b, l, Value(arith::DivFOp::create(b, l, args[0], args[1])));
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LayerNormLowering : OpRewritePattern<iq::LayerNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(iq::LayerNormOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Value x = op.getInput();
    auto type = tensorType(x);
    Type el = type.getElementType();
    int64_t rank = type.getRank();
    SmallVector<int64_t> axes;
    for (int64_t i = op.getAxis(); i < rank; ++i)
      axes.push_back(i);
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    AffineMap red = reducedMap(ctx, rank, axes);
    SmallVector<AffineExpr> trailing;
    for (int64_t a : axes)
      trailing.push_back(getAffineDimExpr(a, ctx));
    AffineMap paramMap = AffineMap::get(rank, 0, trailing, ctx);
    Value n = countOf(rewriter, loc, x, axes, el);
    Value sum = buildReduction(rewriter, loc, x, axes, ReduceKind::Sum);
    // mean = sum / n, folded into the variance loop and the final loop.
    Value sq = buildReduction(
        rewriter, loc, x, axes, ReduceKind::Sum, ValueRange{sum}, {red},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value mean = arith::DivFOp::create(b, l, args[1], n);
          Value d = arith::SubFOp::create(b, l, args[0], mean);
          return arith::MulFOp::create(b, l, d, d);
        });
    SmallVector<Value> inputs{x, sum, sq, op.getScale()};
    SmallVector<AffineMap> maps{id, red, red, paramMap};
    if (op.getBias()) {
      inputs.push_back(op.getBias());
      maps.push_back(paramMap);
    }
    maps.push_back(id);
    SmallVector<utils::IteratorType> par(rank, utils::IteratorType::parallel);
    double eps = op.getEpsilon().convertToDouble();
    bool hasBias = (bool)op.getBias();
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, type, inputs,
            emptyTensor(rewriter, loc, type, dynamicSizesOf(rewriter, loc, x)),
            maps, par,
            [&](OpBuilder &b, Location l, ValueRange args) {
              Scalar s{b, l, el};
              Value mean = arith::DivFOp::create(b, l, args[1], n);
              Value var = arith::DivFOp::create(b, l, args[2], n);
              Value rstd = math::RsqrtOp::create(
                  b, l, arith::AddFOp::create(b, l, var, s.constant(eps)));
              Value y = arith::MulFOp::create(
                  b, l, arith::SubFOp::create(b, l, args[0], mean), rstd);
              y = arith::MulFOp::create(b, l, y, args[3]);
              if (hasBias)
                y = arith::AddFOp::create(b, l, y, args[4]);
              linalg::YieldOp::create(b, l, y);
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct BatchNormLowering : OpRewritePattern<iq::BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(iq::BatchNormOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto type = tensorType(op.getResult());
    int64_t rank = type.getRank();
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    AffineMap channel = AffineMap::get(rank, 0, getAffineDimExpr(1, ctx));
    double eps = op.getEpsilon().convertToDouble();
    Type el = type.getElementType();
    SmallVector<utils::IteratorType> par(rank, utils::IteratorType::parallel);
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, type,
            ValueRange{op.getInput(), op.getScale(), op.getBias(), op.getMean(),
                       op.getVariance()},
            emptyTensor(rewriter, loc, type,
                        dynamicSizesOf(rewriter, loc, op.getInput())),
            {id, channel, channel, channel, channel, id}, par,
            [&](OpBuilder &b, Location l, ValueRange a) {
              Scalar s{b, l, el};
              Value rstd = math::RsqrtOp::create(
                  b, l, arith::AddFOp::create(b, l, a[4], s.constant(eps)));
              Value y = arith::MulFOp::create(
                  b, l, arith::SubFOp::create(b, l, a[0], a[3]), rstd);
              y = arith::AddFOp::create(
                  b, l, arith::MulFOp::create(b, l, y, a[1]), a[2]);
              linalg::YieldOp::create(b, l, y);
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

/// The element types of a contraction's operands as iq saw them (integers
/// may be unsigned) and of its accumulator.
struct ContractionTypes {
  Type lhs, rhs, acc;
  bool isInteger() const { return !isa<FloatType>(acc); }
};

/// Scalar multiply-accumulate body: `acc + lhs * rhs`, integer operands
/// sign- or zero-extended to the accumulator first (the body is what the
/// CPU int8 kernel reads their signedness from).
void macBody(OpBuilder &b, Location loc, ValueRange args,
             const ContractionTypes &t) {
  Scalar s{b, loc, t.acc};
  Value x = castScalar(b, loc, args[0], t.lhs, t.acc);
  Value y = castScalar(b, loc, args[1], t.rhs, t.acc);
  linalg::YieldOp::create(b, loc, s.add(args[2], s.mul(x, y)));
}

/// A (batched, when `batch`) matmul as a contraction generic:
/// (b,) m, n, k with maps (b,) m k / (b,) k n / (b,) m n.
Value buildContractionGeneric(OpBuilder &b, Location loc, Value lhs, Value rhs,
                              Value init, bool batch,
                              const ContractionTypes &t) {
  MLIRContext *ctx = b.getContext();
  // The maps of linalg.matmul / batch_matmul.
  SmallVector<AffineMap> maps =
      batch ? linalg::BatchMatmulOp::getDefaultIndexingMaps(ctx)
            : linalg::MatmulOp::getDefaultIndexingMaps(ctx);
  SmallVector<utils::IteratorType> iterators(batch ? 3 : 2,
                                             utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{lhs, rhs}, init, maps,
             iterators,
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               macBody(nb, nloc, args, t);
             })
      .getResult(0);
}

/// Collapses all leading dims of `v` into one: [d0..dn-2, dn-1] -> [M, dn-1]
/// (rank 1 becomes [1, K]).
Value collapseToMatrix(OpBuilder &b, Location loc, Value v) {
  auto type = tensorType(v);
  int64_t rank = type.getRank();
  if (rank == 2)
    return v;
  if (rank == 1) {
    auto t =
        RankedTensorType::get({1, type.getDimSize(0)}, type.getElementType());
    return tensor::ExpandShapeOp::create(
        b, loc, t, v, ArrayRef<ReassociationIndices>{{0, 1}});
  }
  ReassociationIndices lead;
  for (int64_t i = 0; i < rank - 1; ++i)
    lead.push_back(i);
  return tensor::CollapseShapeOp::create(
      b, loc, v, ArrayRef<ReassociationIndices>{lead, {rank - 1}});
}

/// Expands a [M, N] matrix back to `resultType` ([..., N]) whose leading dims
/// take their sizes from `like` ([..., K]).
Value expandFromMatrix(OpBuilder &b, Location loc, Value m,
                       RankedTensorType resultType, Value like) {
  int64_t rank = resultType.getRank();
  if (rank == 2)
    return m;
  if (rank == 1)
    return tensor::CollapseShapeOp::create(
        b, loc, m, ArrayRef<ReassociationIndices>{{0, 1}});
  ReassociationIndices lead;
  for (int64_t i = 0; i < rank - 1; ++i)
    lead.push_back(i);
  SmallVector<OpFoldResult> sizes;
  auto likeType = tensorType(like);
  for (int64_t i = 0; i < rank - 1; ++i)
    sizes.push_back(likeType.isDynamicDim(i)
                        ? OpFoldResult(dimValue(b, loc, like, i))
                        : OpFoldResult(b.getIndexAttr(likeType.getDimSize(i))));
  sizes.push_back(b.getIndexAttr(resultType.getDimSize(rank - 1)));
  if (resultType.isDynamicDim(rank - 1))
    sizes.back() = dimValue(b, loc, m, 1);
  auto storage = resultType.clone(tensorType(m).getElementType());
  return tensor::ExpandShapeOp::create(
      b, loc, storage, m, ArrayRef<ReassociationIndices>{lead, {rank - 1}},
      sizes);
}

/// `lhs [..., M, K] x rhs [..., K, N]` with batch broadcasting into a
/// zero-initialised accumulator of `resultType` (signless storage). The
/// operands are signless storage; `t` says what they hold. Float
/// contractions use the named linalg ops (the f32 micro-kernel matches
/// them), integer ones contraction generics that keep the signedness.
Value buildMatmul(OpBuilder &b, Location loc, Value lhs, Value rhs,
                  RankedTensorType resultType, const ContractionTypes &t) {
  MLIRContext *ctx = b.getContext();
  auto lt = tensorType(lhs), rt = tensorType(rhs);
  int64_t rank = resultType.getRank();
  auto storage = resultType.clone(signless(resultType.getElementType()));
  // Result dynamic sizes: batch dims broadcast from both operands, M from
  // lhs, N from rhs.
  SmallVector<Value> dyn;
  for (int64_t i = 0; i < rank; ++i) {
    if (!resultType.isDynamicDim(i))
      continue;
    if (i == rank - 2) {
      dyn.push_back(dimValue(b, loc, lhs, lt.getRank() - 2));
    } else if (i == rank - 1) {
      dyn.push_back(dimValue(b, loc, rhs, rt.getRank() - 1));
    } else {
      Value size;
      for (Value v : {lhs, rhs}) {
        auto t = tensorType(v);
        int64_t j = i - (rank - t.getRank());
        if (j >= 0 && t.isDynamicDim(j)) {
          size = dimValue(b, loc, v, j);
          break;
        }
      }
      dyn.push_back(size);
    }
  }
  Value init = emptyTensor(b, loc, storage, dyn);
  Value zero = scalarConstant(b, loc, storage.getElementType(), 0);
  init = linalg::FillOp::create(b, loc, zero, init).getResult(0);

  if (lt.getRank() == 2 && rt.getRank() == 2) {
    if (t.isInteger())
      return buildContractionGeneric(b, loc, lhs, rhs, init, false, t);
    return linalg::MatmulOp::create(b, loc, storage, ValueRange{lhs, rhs},
                                    ValueRange{init})
        .getResult(0);
  }

  // Same batch dims on both sides (attention's [B, H, S, D] x [B, H, D, S]):
  // collapse them into one and use linalg.batch_matmul.
  bool sameBatch = lt.getRank() == rank && rt.getRank() == rank;
  for (int64_t i = 0; sameBatch && i < rank - 2; ++i) {
    int64_t a = lt.getDimSize(i), c = rt.getDimSize(i);
    sameBatch =
        a == c || (ShapedType::isDynamic(a) && ShapedType::isDynamic(c));
  }
  if (sameBatch) {
    ReassociationIndices batch;
    for (int64_t i = 0; i < rank - 2; ++i)
      batch.push_back(i);
    SmallVector<ReassociationIndices> reassoc{batch, {rank - 2}, {rank - 1}};
    auto collapse = [&](Value v) -> Value {
      if (rank == 3)
        return v;
      return tensor::CollapseShapeOp::create(b, loc, v, reassoc);
    };
    Value acc = collapse(init);
    Value bmm =
        t.isInteger()
            ? buildContractionGeneric(b, loc, collapse(lhs), collapse(rhs), acc,
                                      true, t)
            : linalg::BatchMatmulOp::create(b, loc, acc.getType(),
                                            ValueRange{collapse(lhs),
                                                       collapse(rhs)},
                                            ValueRange{acc})
                  .getResult(0);
    if (rank == 3)
      return bmm;
    SmallVector<OpFoldResult> sizes;
    for (int64_t i = 0; i < rank; ++i)
      sizes.push_back(
          storage.isDynamicDim(i)
              ? OpFoldResult(dimValue(b, loc, init, i))
              : OpFoldResult(b.getIndexAttr(storage.getDimSize(i))));
    return tensor::ExpandShapeOp::create(b, loc, storage, bmm, reassoc, sizes);
  }

  // General batched contraction: loops (batch..., m, n, k).
  auto operandMap = [&](RankedTensorType t, bool isLhs) {
    SmallVector<AffineExpr> exprs;
    int64_t batch = t.getRank() - 2;
    int64_t offset = (rank - 2) - batch;
    for (int64_t j = 0; j < batch; ++j) {
      int64_t r = resultType.getDimSize(offset + j);
      if (t.getDimSize(j) == 1 && r != 1)
        exprs.push_back(getAffineConstantExpr(0, ctx));
      else
        exprs.push_back(getAffineDimExpr(offset + j, ctx));
    }
    AffineExpr m = getAffineDimExpr(rank - 2, ctx);
    AffineExpr n = getAffineDimExpr(rank - 1, ctx);
    AffineExpr k = getAffineDimExpr(rank, ctx);
    if (isLhs) {
      exprs.push_back(m);
      exprs.push_back(k);
    } else {
      exprs.push_back(k);
      exprs.push_back(n);
    }
    return AffineMap::get(rank + 1, 0, exprs, ctx);
  };
  SmallVector<AffineExpr> outExprs;
  for (int64_t i = 0; i < rank; ++i)
    outExprs.push_back(getAffineDimExpr(i, ctx));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  return linalg::GenericOp::create(
             b, loc, storage, ValueRange{lhs, rhs}, init,
             {operandMap(lt, true), operandMap(rt, false),
              AffineMap::get(rank + 1, 0, outExprs, ctx)},
             iterators,
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               macBody(nb, nloc, args, t);
             })
      .getResult(0);
}

struct MatMulLowering : OpRewritePattern<iq::MatMulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(iq::MatMulOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type resultEl = getElementTypeOrSelf(op.getType());
    ContractionTypes t{getElementTypeOrSelf(op.getLhs().getType()),
                       getElementTypeOrSelf(op.getRhs().getType()),
                       signless(resultEl)};
    Value result = buildMatmul(rewriter, loc,
                               toSignless(rewriter, loc, op.getLhs()),
                               toSignless(rewriter, loc, op.getRhs()),
                               tensorType(op.getResult()), t);
    rewriter.replaceOp(op, fromSignless(rewriter, loc, result, resultEl));
    return success();
  }
};

struct LinearLowering : OpRewritePattern<iq::LinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(iq::LinearOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = tensorType(op.getResult());
    Value x = collapseToMatrix(rewriter, loc,
                               toSignless(rewriter, loc, op.getInput()));
    Value w = toSignless(rewriter, loc, op.getWeight());
    auto xt = tensorType(x), wt = tensorType(w);
    // The accumulator has the result's element type (i32 for i8 inputs).
    Type accEl = signless(resultType.getElementType());
    auto matType =
        RankedTensorType::get({xt.getDimSize(0), wt.getDimSize(1)}, accEl);
    SmallVector<Value> dyn;
    if (matType.isDynamicDim(0))
      dyn.push_back(dimValue(rewriter, loc, x, 0));
    if (matType.isDynamicDim(1))
      dyn.push_back(dimValue(rewriter, loc, w, 1));
    Value init = emptyTensor(rewriter, loc, matType, dyn);
    if (Value bias = op.getBias()) {
      init = linalg::BroadcastOp::create(rewriter, loc,
                                         toSignless(rewriter, loc, bias), init,
                                         ArrayRef<int64_t>{0})
                 .getResult()[0];
    } else {
      Value zero = scalarConstant(rewriter, loc, matType.getElementType(), 0);
      init = linalg::FillOp::create(rewriter, loc, zero, init).getResult(0);
    }
    ContractionTypes t{getElementTypeOrSelf(op.getInput().getType()),
                       getElementTypeOrSelf(op.getWeight().getType()), accEl};
    Value mm = t.isInteger() ? buildContractionGeneric(rewriter, loc, x, w,
                                                       init, false, t)
                             : linalg::MatmulOp::create(rewriter, loc, matType,
                                                        ValueRange{x, w}, init)
                                   .getResult(0);
    Value result =
        expandFromMatrix(rewriter, loc, mm, resultType, op.getInput());
    rewriter.replaceOp(
        op, fromSignless(rewriter, loc, result, resultType.getElementType()));
    return success();
  }
};

struct MatMulIntegerLowering : OpRewritePattern<iq::MatMulIntegerOp> {
  using OpRewritePattern::OpRewritePattern;

  /// ext(x) - ext(zp) in i32, with zp a scalar, or per row (lhs, along
  /// dim rank-2) / per column (rhs, along dim rank-1).
  static Value widen(OpBuilder &b, Location loc, Value x, Value zp,
                     bool isLhs) {
    auto type = tensorType(x);
    Type el = type.getElementType();
    Type i32 = b.getI32Type();
    auto outType = type.clone(i32);
    SmallVector<Value> operands{x};
    Value zpv;
    if (zp) {
      auto zt = tensorType(zp);
      if (zt.getNumElements() == 1 || zt.getRank() == 0) {
        // Broadcast a scalar/1-element zero point.
        Value flat = zt.getRank() == 0
                         ? zp
                         : tensor::CollapseShapeOp::create(
                               b, loc, zp, ArrayRef<ReassociationIndices>{});
        operands.push_back(flat);
      } else {
        // Per row [M] -> [M, 1]; per column [N] stays [N].
        Value v = zp;
        if (isLhs && zt.getRank() == 1)
          v = tensor::ExpandShapeOp::create(
              b, loc,
              RankedTensorType::get({zt.getDimSize(0), 1}, zt.getElementType()),
              zp, ArrayRef<ReassociationIndices>{{0, 1}});
        operands.push_back(v);
      }
    }
    Type zel = zp ? getElementTypeOrSelf(zp.getType()) : el;
    return buildElementwise(b, loc, outType, operands,
                            [&](OpBuilder &nb, Location l, ValueRange args) {
                              Value v = castScalar(nb, l, args[0], el, i32);
                              if (args.size() > 1)
                                v = arith::SubIOp::create(
                                    nb, l, v,
                                    castScalar(nb, l, args[1], zel, i32));
                              return v;
                            });
  }

  LogicalResult matchAndRewrite(iq::MatMulIntegerOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value a = widen(rewriter, loc, op.getLhs(), op.getLhsZeroPoint(), true);
    Value b = widen(rewriter, loc, op.getRhs(), op.getRhsZeroPoint(), false);
    Type i32 = rewriter.getI32Type();
    Value result = buildMatmul(rewriter, loc, a, b, tensorType(op.getResult()),
                               ContractionTypes{i32, i32, i32});
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

struct ConvLowering : OpRewritePattern<iq::ConvOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(iq::ConvOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Value x = toSignless(rewriter, loc, op.getInput());
    Value w = toSignless(rewriter, loc, op.getWeight());
    Type el = getElementTypeOrSelf(op.getInput().getType());
    auto xt = tensorType(x), wt = tensorType(w);
    auto resultType = tensorType(op.getResult());
    int64_t k = xt.getRank() - 2;
    int64_t groups = op.getGroups();
    ArrayRef<int64_t> strides = op.getStrides(), pads = op.getPads(),
                      dilations = op.getDilations();
    int64_t cPerGroup = wt.getDimSize(1);
    int64_t m = wt.getDimSize(0);
    if (ShapedType::isDynamic(m) || ShapedType::isDynamic(cPerGroup))
      return rewriter.notifyMatchFailure(op, "weight shape must be static");
    int64_t mPerGroup = m / groups;
    Type storageEl = tensorType(x).getElementType();

    // Zero padding.
    if (llvm::any_of(pads, [](int64_t p) { return p != 0; })) {
      SmallVector<OpFoldResult> low(2, rewriter.getIndexAttr(0)),
          high(2, rewriter.getIndexAttr(0));
      SmallVector<int64_t> padded(xt.getShape());
      for (int64_t i = 0; i < k; ++i) {
        low.push_back(rewriter.getIndexAttr(pads[i]));
        high.push_back(rewriter.getIndexAttr(pads[k + i]));
        if (!xt.isDynamicDim(2 + i))
          padded[2 + i] += pads[i] + pads[k + i];
      }
      Value zero = scalarConstant(rewriter, loc, storageEl, 0);
      x = tensor::PadOp::create(rewriter, loc,
                                RankedTensorType::get(padded, storageEl), x,
                                low, high, zero);
      xt = tensorType(x);
    }
    // Split channels into groups: x [N, G, C/G, D...], w [G, M/G, C/G, K...].
    SmallVector<int64_t> xShape{xt.getDimSize(0), groups, cPerGroup};
    SmallVector<OpFoldResult> xSizes{
        xt.isDynamicDim(0) ? OpFoldResult(dimValue(rewriter, loc, x, 0))
                           : rewriter.getIndexAttr(xt.getDimSize(0)),
        rewriter.getIndexAttr(groups), rewriter.getIndexAttr(cPerGroup)};
    SmallVector<ReassociationIndices> xReassoc{{0}, {1, 2}};
    for (int64_t i = 0; i < k; ++i) {
      xShape.push_back(xt.getDimSize(2 + i));
      xSizes.push_back(xt.isDynamicDim(2 + i)
                           ? OpFoldResult(dimValue(rewriter, loc, x, 2 + i))
                           : rewriter.getIndexAttr(xt.getDimSize(2 + i)));
      xReassoc.push_back({3 + i});
    }
    Value xg = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get(xShape, storageEl), x, xReassoc,
        xSizes);
    SmallVector<int64_t> wShape{groups, mPerGroup, cPerGroup};
    SmallVector<ReassociationIndices> wReassoc{{0, 1}, {2}};
    for (int64_t i = 0; i < k; ++i) {
      wShape.push_back(wt.getDimSize(2 + i));
      wReassoc.push_back({3 + i});
    }
    Value wg = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get(wShape, storageEl), w, wReassoc);

    // Output [N, G, M/G, O...].
    SmallVector<int64_t> outShape{resultType.getDimSize(0), groups, mPerGroup};
    SmallVector<Value> outDyn;
    if (resultType.isDynamicDim(0))
      outDyn.push_back(dimValue(rewriter, loc, x, 0));
    for (int64_t i = 0; i < k; ++i) {
      outShape.push_back(resultType.getDimSize(2 + i));
      if (!resultType.isDynamicDim(2 + i))
        continue;
      // (D_padded - d*(K-1) - 1) / s + 1
      Value d = dimValue(rewriter, loc, x, 2 + i);
      int64_t span = dilations[i] * (wt.getDimSize(2 + i) - 1) + 1;
      Value o = arith::SubIOp::create(
          rewriter, loc, d,
          arith::ConstantIndexOp::create(rewriter, loc, span));
      o = arith::DivSIOp::create(
          rewriter, loc, o,
          arith::ConstantIndexOp::create(rewriter, loc, strides[i]));
      o = arith::AddIOp::create(
          rewriter, loc, o, arith::ConstantIndexOp::create(rewriter, loc, 1));
      outDyn.push_back(o);
    }
    auto outType = RankedTensorType::get(outShape, storageEl);
    Value init = emptyTensor(rewriter, loc, outType, outDyn);
    int64_t loops = 3 + 2 * k + 1; // n g m o.. c k..
    if (Value bias = op.getBias()) {
      Value bg = tensor::ExpandShapeOp::create(
          rewriter, loc, RankedTensorType::get({groups, mPerGroup}, storageEl),
          toSignless(rewriter, loc, bias),
          ArrayRef<ReassociationIndices>{{0, 1}});
      SmallVector<int64_t> dims{0};
      for (int64_t i = 0; i < k; ++i)
        dims.push_back(3 + i);
      init = linalg::BroadcastOp::create(rewriter, loc, bg, init, dims)
                 .getResult()[0];
    } else {
      init = linalg::FillOp::create(rewriter, loc,
                                    scalarConstant(rewriter, loc, storageEl, 0),
                                    init)
                 .getResult(0);
    }
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    // Loop order: n(0) g(1) m(2) o_i(3..3+k) c(3+k) k_i(4+k..)
    SmallVector<AffineExpr> xe{d(0), d(1), d(3 + k)}, we{d(1), d(2), d(3 + k)},
        oe{d(0), d(1), d(2)};
    for (int64_t i = 0; i < k; ++i) {
      xe.push_back(d(3 + i) * strides[i] + d(4 + k + i) * dilations[i]);
      we.push_back(d(4 + k + i));
      oe.push_back(d(3 + i));
    }
    SmallVector<utils::IteratorType> iterators(3 + k,
                                               utils::IteratorType::parallel);
    iterators.append(1 + k, utils::IteratorType::reduction);
    Value conv = linalg::GenericOp::create(
                     rewriter, loc, outType, ValueRange{xg, wg}, init,
                     {AffineMap::get(loops, 0, xe, ctx),
                      AffineMap::get(loops, 0, we, ctx),
                      AffineMap::get(loops, 0, oe, ctx)},
                     iterators,
                     [&](OpBuilder &b, Location l, ValueRange args) {
                       macBody(b, l, args, ContractionTypes{el, el, signless(el)});
                     })
                     .getResult(0);
    SmallVector<ReassociationIndices> outReassoc{{0}, {1, 2}};
    for (int64_t i = 0; i < k; ++i)
      outReassoc.push_back({3 + i});
    Value result =
        tensor::CollapseShapeOp::create(rewriter, loc, conv, outReassoc);
    if (tensorType(result) != resultType.clone(storageEl))
      result = tensor::CastOp::create(rewriter, loc,
                                      resultType.clone(storageEl), result);
    rewriter.replaceOp(op, fromSignless(rewriter, loc, result, el));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Gather
//===----------------------------------------------------------------------===//

struct GatherLowering : OpRewritePattern<iq::GatherOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(iq::GatherOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Value data = toSignless(rewriter, loc, op.getData());
    Value indices = toSignless(rewriter, loc, op.getIndices());
    Type idxEl = getElementTypeOrSelf(op.getIndices().getType());
    auto dt = tensorType(data), it = tensorType(indices);
    auto resultType = tensorType(op.getResult());
    auto storage = resultType.clone(dt.getElementType());
    int64_t axis = op.getAxis();
    int64_t rank = resultType.getRank();
    int64_t ir = it.getRank();
    SmallVector<Value> dyn;
    for (int64_t i = 0; i < rank; ++i) {
      if (!resultType.isDynamicDim(i))
        continue;
      if (i < axis)
        dyn.push_back(dimValue(rewriter, loc, data, i));
      else if (i < axis + ir)
        dyn.push_back(dimValue(rewriter, loc, indices, i - axis));
      else
        dyn.push_back(dimValue(rewriter, loc, data, i - ir + 1));
    }
    Value init = emptyTensor(rewriter, loc, storage, dyn);
    SmallVector<AffineExpr> idxExprs;
    for (int64_t i = 0; i < ir; ++i)
      idxExprs.push_back(getAffineDimExpr(axis + i, ctx));
    Value axisSize = dimValue(rewriter, loc, data, axis);
    SmallVector<utils::IteratorType> par(rank, utils::IteratorType::parallel);
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, storage, ValueRange{indices}, init,
            {AffineMap::get(rank, 0, idxExprs, ctx),
             rewriter.getMultiDimIdentityMap(rank)},
            par,
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value idx = castScalar(b, l, args[0], idxEl, b.getI64Type());
              idx = arith::IndexCastOp::create(b, l, b.getIndexType(), idx);
              // Negative indices count from the end; then clamp so that
              // out-of-range indices can never read outside the table.
              Value zero = arith::ConstantIndexOp::create(b, l, 0);
              Value neg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt,
                                                idx, zero);
              idx = arith::SelectOp::create(
                  b, l, neg, arith::AddIOp::create(b, l, idx, axisSize), idx);
              Value last = arith::SubIOp::create(
                  b, l, axisSize, arith::ConstantIndexOp::create(b, l, 1));
              idx = arith::MaxSIOp::create(b, l, idx, zero);
              idx = arith::MinSIOp::create(b, l, idx, last);
              SmallVector<Value> pos;
              for (int64_t i = 0; i < axis; ++i)
                pos.push_back(linalg::IndexOp::create(b, l, i));
              pos.push_back(idx);
              for (int64_t i = axis + 1; i < dt.getRank(); ++i)
                pos.push_back(linalg::IndexOp::create(b, l, i - 1 + ir));
              Value v = tensor::ExtractOp::create(b, l, data, pos);
              linalg::YieldOp::create(b, l, v);
            })
            .getResult(0);
    rewriter.replaceOp(
        op, fromSignless(rewriter, loc, result, resultType.getElementType()));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// DynamicQuantizeLinear
//===----------------------------------------------------------------------===//

struct DynamicQuantizeLowering : OpRewritePattern<iq::DynamicQuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(iq::DynamicQuantizeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = op.getInput();
    auto type = tensorType(x);
    Type f32 = rewriter.getF32Type();
    Type i8 = rewriter.getI8Type();
    SmallVector<int64_t> all;
    for (int64_t i = 0; i < type.getRank(); ++i)
      all.push_back(i);
    Value maxT = buildReduction(rewriter, loc, x, all, ReduceKind::Max);
    Value minT = buildReduction(rewriter, loc, x, all, ReduceKind::Min);
    auto scalarType = RankedTensorType::get({}, f32);
    // scale = (max(0, max) - min(0, min)) / 255
    Value scale = buildElementwise(
        rewriter, loc, scalarType, {maxT, minT},
        [&](OpBuilder &b, Location l, ValueRange a) {
          Scalar s{b, l, f32};
          Value hi = arith::MaximumFOp::create(b, l, a[0], s.constant(0));
          Value lo = arith::MinimumFOp::create(b, l, a[1], s.constant(0));
          return arith::DivFOp::create(
              b, l, arith::SubFOp::create(b, l, hi, lo), s.constant(255));
        });
    auto clampRound = [](OpBuilder &b, Location l, Value v) {
      Scalar s{b, l, b.getF32Type()};
      v = math::RoundEvenOp::create(b, l, v);
      v = arith::MaximumFOp::create(b, l, v, s.constant(0));
      v = arith::MinimumFOp::create(b, l, v, s.constant(255));
      return v;
    };
    // zero point = saturate(round(-min(0, min) / scale))
    auto zpF = buildElementwise(
        rewriter, loc, scalarType, {minT, scale},
        [&](OpBuilder &b, Location l, ValueRange a) {
          Scalar s{b, l, f32};
          Value lo = arith::MinimumFOp::create(b, l, a[0], s.constant(0));
          Value v = arith::DivFOp::create(b, l, arith::NegFOp::create(b, l, lo),
                                          a[1]);
          return clampRound(b, l, v);
        });
    Type ui8 = getElementTypeOrSelf(op.getZeroPoint().getType());
    Value zp =
        buildElementwise(rewriter, loc, scalarType.clone(ui8), {zpF},
                         [&](OpBuilder &b, Location l, ValueRange a) {
                           return arith::FPToUIOp::create(b, l, i8, a[0]);
                         });
    Value y =
        buildElementwise(rewriter, loc, type.clone(ui8), {x, scale, zpF},
                         [&](OpBuilder &b, Location l, ValueRange a) {
                           Value v = math::RoundEvenOp::create(
                               b, l, arith::DivFOp::create(b, l, a[0], a[1]));
                           v = arith::AddFOp::create(b, l, v, a[2]);
                           v = clampRound(b, l, v);
                           return arith::FPToUIOp::create(b, l, i8, v);
                         });
    rewriter.replaceOp(op, {y, scale, zp});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Dyadic requantization
//===----------------------------------------------------------------------===//

/// A signed constant of integer type `wide` (IntegerAttr::get would
/// zero-extend a negative int64_t into an i128).
Value wideConstant(OpBuilder &b, Location loc, Type wide, int64_t v) {
  return arith::ConstantOp::create(
      b, loc,
      b.getIntegerAttr(wide, APInt(wide.getIntOrFloatBitWidth(), v,
                                   /*isSigned=*/true)));
}

Value i64Constant(OpBuilder &b, Location loc, int64_t v) {
  return wideConstant(b, loc, b.getI64Type(), v);
}

/// Inside a linalg.generic body: the iteration index of loop `dim` as i64.
Value loopIndexI64(OpBuilder &b, Location loc, unsigned dim) {
  return arith::IndexCastOp::create(b, loc, b.getI64Type(),
                                    linalg::IndexOp::create(b, loc, dim));
}

/// clamp((x * m + 2^(e-1)) >> e) on `wide` integers (i64 or i128); e <= 0
/// shifts left. `m` and `e` are scalars of type `wide`.
Value dyadicScalar(OpBuilder &b, Location loc, Value x, Value m, Value e,
                   std::optional<int64_t> staticShift, Type wide) {
  Value p = arith::MulIOp::create(b, loc, x, m);
  auto c = [&](int64_t v) { return wideConstant(b, loc, wide, v); };
  if (staticShift) {
    int64_t sh = *staticShift;
    if (sh <= 0)
      return arith::ShLIOp::create(b, loc, p, c(-sh));
    Value half = arith::ShLIOp::create(b, loc, c(1), c(sh - 1));
    return arith::ShRSIOp::create(
        b, loc, arith::AddIOp::create(b, loc, p, half), c(sh));
  }
  // Per-channel shifts: select between the right and the left shift.
  Value zero = c(0), one = c(1);
  Value right =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, e, zero);
  Value eMinus1 = arith::MaxSIOp::create(
      b, loc, arith::SubIOp::create(b, loc, e, one), zero);
  Value half = arith::ShLIOp::create(b, loc, one, eMinus1);
  Value shr =
      arith::ShRSIOp::create(b, loc, arith::AddIOp::create(b, loc, p, half),
                             arith::MaxSIOp::create(b, loc, e, zero));
  Value shl = arith::ShLIOp::create(
      b, loc, p,
      arith::MaxSIOp::create(b, loc, arith::SubIOp::create(b, loc, zero, e),
                             zero));
  return arith::SelectOp::create(b, loc, right, shr, shl);
}

/// Clamps a wide signed integer to the range of `target` (unsigned if
/// `isUnsigned`), or to `range` = [lo, hi] when given, and truncates.
Value clampTrunc(OpBuilder &b, Location loc, Value v, IntegerType target,
                 bool isUnsigned,
                 std::optional<ArrayRef<int64_t>> range = std::nullopt) {
  Type wide = v.getType();
  unsigned w = target.getWidth();
  unsigned ww = wide.getIntOrFloatBitWidth();
  APInt lo = isUnsigned ? APInt::getMinValue(w).zext(ww)
                        : APInt::getSignedMinValue(w).sext(ww);
  APInt hi = isUnsigned ? APInt::getMaxValue(w).zext(ww)
                        : APInt::getSignedMaxValue(w).sext(ww);
  if (range) {
    lo = APInt(ww, (*range)[0], /*isSigned=*/true);
    hi = APInt(ww, (*range)[1], /*isSigned=*/true);
  }
  Value l = arith::ConstantOp::create(b, loc, b.getIntegerAttr(wide, lo));
  Value h = arith::ConstantOp::create(b, loc, b.getIntegerAttr(wide, hi));
  v = arith::MaxSIOp::create(b, loc, v, l);
  v = arith::MinSIOp::create(b, loc, v, h);
  Type t = IntegerType::get(b.getContext(), w);
  return w == wide.getIntOrFloatBitWidth()
             ? v
             : (Value)arith::TruncIOp::create(b, loc, t, v);
}

/// floor((x m + 2^(e-1)) / 2^e) for any i64 x, |m| < 2^31 and 33 <= e <= 94,
/// exactly in 64-bit arithmetic (vectorizable, unlike i128): with
/// x = xh 2^32 + xl (xl unsigned), x m + 2^(e-1) = A 2^32 + B where
/// A = xh m + 2^(e-33) (|A| < 2^63) and B = xl m (|B| < 2^63), and
/// floor((A 2^32 + B) / 2^e) = (A + (B >> 32)) >> (e - 32).
Value dyadicSplit64(OpBuilder &b, Location loc, Value x, Value m, Value e,
                    std::optional<int64_t> staticShift) {
  auto c = [&](int64_t v) { return i64Constant(b, loc, v); };
  Value xh = arith::ShRSIOp::create(b, loc, x, c(32));
  Value xl = arith::AndIOp::create(b, loc, x, c(0xFFFFFFFFll));
  Value half, sh;
  if (staticShift) {
    half = c(int64_t(1) << (*staticShift - 33));
    sh = c(std::min<int64_t>(*staticShift - 32, 63));
  } else {
    half = arith::ShLIOp::create(b, loc, c(1),
                                 arith::SubIOp::create(b, loc, e, c(33)));
    sh = arith::MinSIOp::create(b, loc, arith::SubIOp::create(b, loc, e, c(32)),
                                c(63));
  }
  Value A = arith::AddIOp::create(b, loc, arith::MulIOp::create(b, loc, xh, m),
                                  half);
  Value B = arith::MulIOp::create(b, loc, xl, m);
  return arith::ShRSIOp::create(
      b, loc, arith::AddIOp::create(b, loc, A, arith::ShRSIOp::create(b, loc, B, c(32))),
      sh);
}

/// How a dyadic rescale is computed exactly: in i64 for inputs of at most
/// 32 bits shifted right by less than 63; split into 32-bit halves in i64
/// for shifts in [33, 94] (wider inputs); in i128 otherwise (left shifts,
/// small or huge shifts of wide inputs).
struct DyadicPlan {
  enum Kind { Narrow64, Split64, Wide128 } kind;
  Type type; // of x, m and e inside the loop

  static DyadicPlan of(OpBuilder &b, unsigned inputWidth,
                       ArrayRef<int64_t> es) {
    auto all = [&](int64_t lo, int64_t hi) {
      return llvm::all_of(es, [&](int64_t e) { return e >= lo && e <= hi; });
    };
    if (inputWidth <= 32 && all(0, 62))
      return {Narrow64, b.getI64Type()};
    if (inputWidth <= 64 && all(33, 94))
      return {Split64, b.getI64Type()};
    return {Wide128, b.getIntegerType(128)};
  }

  Value apply(OpBuilder &b, Location loc, Value x, Value m, Value e,
              std::optional<int64_t> staticShift) const {
    if (kind == Split64)
      return dyadicSplit64(b, loc, x, m, e, staticShift);
    return dyadicScalar(b, loc, x, m, e, staticShift, type);
  }
};

/// Constants of an integer kernel as loop operands: per tensor, a scalar
/// built in the body; per channel, a [C, 1, ..., 1] tensor of `type`
/// (i64 or i128) read along `axis` with broadcasting.
struct ChannelConstants {
  SmallVector<SmallVector<int64_t>> arrays;
  bool perChannel = false;
  Type type;

  void addOperands(OpBuilder &b, Location loc, RankedTensorType dataType,
                   std::optional<int64_t> axis,
                   SmallVectorImpl<Value> &operands) const {
    if (!perChannel)
      return;
    SmallVector<int64_t> shape(dataType.getRank() - *axis, 1);
    shape[0] = arrays[0].size();
    auto t = RankedTensorType::get(shape, type);
    for (ArrayRef<int64_t> a : arrays) {
      SmallVector<APInt> ints;
      for (int64_t v : a)
        ints.push_back(APInt(type.getIntOrFloatBitWidth(), v,
                             /*isSigned=*/true));
      operands.push_back(
          arith::ConstantOp::create(b, loc, DenseElementsAttr::get(t, ints)));
    }
  }
  /// The i-th constant inside the loop body; `args` holds the channel
  /// operands (after the data operands).
  Value get(OpBuilder &b, Location loc, unsigned i, ValueRange args) const {
    if (perChannel)
      return args[i];
    return wideConstant(b, loc, type, arrays[i][0]);
  }
};

struct RequantLowering : OpRewritePattern<iq::RequantOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(iq::RequantOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inType = tensorType(op.getInput());
    auto outType = tensorType(op.getResult());
    auto inEl = cast<IntegerType>(inType.getElementType());
    auto outEl = cast<IntegerType>(outType.getElementType());
    // |x| < 2^31 and |m| < 2^31: the product fits in i64. Wider inputs, or
    // a left shift (e < 0) of it, need i128: at most 2^(63+31+31) by the
    // verifier's bounds (e >= -31).
    ArrayRef<int64_t> ms = op.getMultipliers(), es = op.getShifts();
    DyadicPlan plan = DyadicPlan::of(rewriter, inEl.getWidth(), es);
    Type wide = plan.type;
    ChannelConstants k;
    k.arrays = {SmallVector<int64_t>(ms), SmallVector<int64_t>(es)};
    k.perChannel = ms.size() > 1;
    k.type = wide;
    SmallVector<Value> operands{op.getInput()};
    k.addOperands(rewriter, loc, inType, op.getAxis(), operands);
    Value result = buildElementwise(
        rewriter, loc, outType, operands,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value x = castScalar(b, l, a[0], inEl, wide);
          ValueRange cs = a.drop_front();
          Value m = k.get(b, l, 0, cs);
          Value e = k.perChannel ? k.get(b, l, 1, cs) : Value();
          std::optional<int64_t> staticShift;
          if (!k.perChannel)
            staticShift = es[0];
          Value y = plan.apply(b, l, x, m, e, staticShift);
          return clampTrunc(b, l, y, outEl, outEl.isUnsigned(),
                            op.getClamp());
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// y = clamp(clamp(dyadic(lhs)) + clamp(dyadic(rhs))): each operand with
/// its own (per tensor or per last-dim channel) constants.
struct IAddLowering : OpRewritePattern<iq::IAddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(iq::IAddOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto outType = tensorType(op.getResult());
    auto outEl = cast<IntegerType>(outType.getElementType());
    // The range both the operands and the sum saturate to.
    int64_t lo, hi;
    if (std::optional<ArrayRef<int64_t>> c = op.getClamp()) {
      lo = (*c)[0];
      hi = (*c)[1];
    } else {
      unsigned w = outEl.getWidth();
      lo = outEl.isUnsigned() ? 0 : APInt::getSignedMinValue(w).getSExtValue();
      hi = outEl.isUnsigned() ? (w >= 63 ? INT64_MAX
                                         : (int64_t)APInt::getMaxValue(w)
                                               .getZExtValue())
                              : APInt::getSignedMaxValue(w).getSExtValue();
    }
    SmallVector<int64_t, 2> range{lo, hi};
    // The sum of two clamped values fits in i64 for results up to 32 bits.
    Type sumType = rewriter.getIntegerType(outEl.getWidth() <= 32 ? 64 : 128);
    struct Side {
      Value v;
      IntegerType el;
      ArrayRef<int64_t> ms, es;
      ChannelConstants k;
      DyadicPlan plan;
    };
    SmallVector<Side, 2> sides;
    for (auto [v, ms, es] :
         {std::tuple(op.getLhs(), op.getLhsMultipliers(), op.getLhsShifts()),
          std::tuple(op.getRhs(), op.getRhsMultipliers(), op.getRhsShifts())}) {
      auto el = cast<IntegerType>(tensorType(v).getElementType());
      Side side{v, el, ms, es, {},
                DyadicPlan::of(rewriter, el.getWidth(), es)};
      side.k.arrays = {SmallVector<int64_t>(ms), SmallVector<int64_t>(es)};
      side.k.perChannel = ms.size() > 1;
      side.k.type = side.plan.type;
      sides.push_back(side);
    }
    SmallVector<Value> operands{op.getLhs(), op.getRhs()};
    for (Side &side : sides)
      side.k.addOperands(rewriter, loc, tensorType(side.v),
                         tensorType(side.v).getRank() - 1, operands);
    Value result = buildElementwise(
        rewriter, loc, outType, operands,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          ValueRange consts = a.drop_front(2);
          Value sum;
          for (auto [i, side] : llvm::enumerate(sides)) {
            Type wide = side.k.type;
            unsigned n = side.k.perChannel ? 2 : 0;
            ValueRange cs = consts.take_front(n);
            consts = consts.drop_front(n);
            Value x = castScalar(b, l, a[i], side.el, wide);
            Value m = side.k.get(b, l, 0, cs);
            Value e = side.k.perChannel ? side.k.get(b, l, 1, cs) : Value();
            std::optional<int64_t> staticShift;
            if (!side.k.perChannel)
              staticShift = side.es[0];
            Value y = side.plan.apply(b, l, x, m, e, staticShift);
            // Saturate in the product's width, then move to the sum's.
            y = clampTrunc(b, l, y, cast<IntegerType>(wide),
                           /*isUnsigned=*/false, ArrayRef<int64_t>(range));
            y = castScalar(b, l, y, wide, sumType);
            sum = sum ? (Value)arith::AddIOp::create(b, l, sum, y) : y;
          }
          return clampTrunc(b, l, sum, outEl, outEl.isUnsigned(),
                            ArrayRef<int64_t>(range));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct IGeluLowering : OpRewritePattern<iq::IGeluOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(iq::IGeluOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inType = tensorType(op.getInput());
    ChannelConstants k;
    k.arrays = {SmallVector<int64_t>(op.getB()),
                SmallVector<int64_t>(op.getC()),
                SmallVector<int64_t>(op.getOne())};
    k.perChannel = op.getB().size() > 1;
    k.type = rewriter.getI64Type();
    SmallVector<Value> operands{op.getInput()};
    k.addOperands(rewriter, loc, inType, op.getAxis(), operands);
    Value result = buildElementwise(
        rewriter, loc, tensorType(op.getResult()), operands,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Type i64 = b.getI64Type();
          ValueRange cs = a.drop_front();
          Value bK = k.get(b, l, 0, cs), cK = k.get(b, l, 1, cs),
                oneK = k.get(b, l, 2, cs);
          Value q = arith::ExtSIOp::create(b, l, i64, a[0]);
          Value absQ = math::AbsIOp::create(b, l, q);
          Value negB = arith::SubIOp::create(b, l, i64Constant(b, l, 0), bK);
          Value x = arith::MinSIOp::create(b, l, absQ, negB);
          Value t = arith::AddIOp::create(b, l, x, bK);
          Value poly = arith::AddIOp::create(
              b, l, arith::MulIOp::create(b, l, t, t), cK);
          // sign(q) * poly: 0 for q = 0.
          Value isNeg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt,
                                              q, i64Constant(b, l, 0));
          Value isZero = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                               q, i64Constant(b, l, 0));
          Value signed_ = arith::SelectOp::create(
              b, l, isNeg,
              arith::SubIOp::create(b, l, i64Constant(b, l, 0), poly), poly);
          signed_ = arith::SelectOp::create(b, l, isZero, i64Constant(b, l, 0),
                                            signed_);
          Value L =
              arith::ShRSIOp::create(b, l, signed_, i64Constant(b, l, 14));
          return arith::MulIOp::create(b, l, q,
                                       arith::AddIOp::create(b, l, L, oneK));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// The i-exp constants of an op with x0/b/c/multiplier/shift attributes.
struct ExpKernel {
  int64_t x0, b, c, m, shift;
  template <typename OpTy> static ExpKernel of(OpTy op) {
    // I64Attr getters return uint64_t; read the constants as signed.
    return {op.getX0Attr().getInt(), op.getBAttr().getInt(),
            op.getCAttr().getInt(), op.getMultiplierAttr().getInt(),
            op.getShiftAttr().getInt()};
  }
};

/// i-exp of d <= 0 (i64) into the 16-bit exp buffer (exp(0) -> 32767):
/// d = max(d, 30 x0); z = d / x0; r = d - x0 z; p = (r + b) r + c;
/// e16 = (p m + 2^(E-1)) >> E with E = shift - 30 + z (128-bit product).
Value iexpScalar(OpBuilder &nb, Location l, Value d, const ExpKernel &k) {
  Type i64 = nb.getI64Type(), i128 = nb.getIntegerType(128);
  d = arith::MaxSIOp::create(nb, l, d, i64Constant(nb, l, 30 * k.x0));
  Value z, r;
  if (30 * k.x0 >= INT32_MIN) {
    // d is in [30 x0, 0]: divide in 32 bits (a multiply by the inverse
    // that vectorizes; 64-bit divisions do not).
    Type i32 = nb.getI32Type();
    Value d32 = arith::TruncIOp::create(nb, l, i32, d);
    Value x0 = arith::ConstantIntOp::create(nb, l, k.x0, 32);
    Value z32 = arith::DivSIOp::create(nb, l, d32, x0);
    Value r32 =
        arith::SubIOp::create(nb, l, d32, arith::MulIOp::create(nb, l, z32, x0));
    z = arith::ExtSIOp::create(nb, l, i64, z32);
    r = arith::ExtSIOp::create(nb, l, i64, r32);
  } else {
    z = arith::DivSIOp::create(nb, l, d, i64Constant(nb, l, k.x0));
    r = arith::SubIOp::create(
        nb, l, d, arith::MulIOp::create(nb, l, z, i64Constant(nb, l, k.x0)));
  }
  Value p = arith::AddIOp::create(
      nb, l,
      arith::MulIOp::create(
          nb, l, arith::AddIOp::create(nb, l, r, i64Constant(nb, l, k.b)), r),
      i64Constant(nb, l, k.c));
  Value E = arith::AddIOp::create(nb, l, z, i64Constant(nb, l, k.shift - 30));
  // E ranges over [shift - 30, shift].
  if (k.shift - 30 >= 33 && k.shift <= 94)
    return dyadicSplit64(nb, l, p, i64Constant(nb, l, k.m), E, std::nullopt);
  Value E128 = arith::ExtSIOp::create(nb, l, i128, E);
  Value one = wideConstant(nb, l, i128, 1);
  Value prod =
      arith::MulIOp::create(nb, l, arith::ExtSIOp::create(nb, l, i128, p),
                            wideConstant(nb, l, i128, k.m));
  Value half = arith::ShLIOp::create(nb, l, one,
                                     arith::SubIOp::create(nb, l, E128, one));
  Value v = arith::ShRSIOp::create(
      nb, l, arith::AddIOp::create(nb, l, prod, half), E128);
  return arith::TruncIOp::create(nb, l, i64, v);
}

struct ISigmoidLowering : OpRewritePattern<iq::ISigmoidOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(iq::ISigmoidOp op,
                                PatternRewriter &rewriter) const override {
    ExpKernel k = ExpKernel::of(op);
    Value result = buildElementwise(
        rewriter, op.getLoc(), tensorType(op.getResult()), {op.getInput()},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Type i64 = b.getI64Type();
          Value q = arith::ExtSIOp::create(b, l, i64, a[0]);
          Value negAbs = arith::SubIOp::create(b, l, i64Constant(b, l, 0),
                                               math::AbsIOp::create(b, l, q));
          Value e16 = iexpScalar(b, l, negAbs, k);
          Value nonNeg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge,
                                               q, i64Constant(b, l, 0));
          Value num = arith::SelectOp::create(b, l, nonNeg,
                                              i64Constant(b, l, 32767), e16);
          Value den =
              arith::AddIOp::create(b, l, i64Constant(b, l, 32767), e16);
          Value v = arith::DivSIOp::create(
              b, l, arith::ShLIOp::create(b, l, num, i64Constant(b, l, 15)),
              den);
          return arith::TruncIOp::create(b, l, b.getI32Type(), v);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ISoftmaxLowering : OpRewritePattern<iq::ISoftmaxOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(iq::ISoftmaxOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    OpBuilder &b = rewriter;
    Value q = op.getInput();
    Value mask = op.getMask();
    auto type = tensorType(q);
    int64_t rank = type.getRank();
    Type i64 = b.getI64Type(), i1 = b.getI1Type();
    AffineMap id = b.getMultiDimIdentityMap(rank);
    AffineMap row = reducedMap(ctx, rank, {rank - 1});
    AffineMap maskMap =
        mask ? broadcastMap(ctx, tensorType(mask), type.getShape())
             : AffineMap();
    SmallVector<Value> rowDyn;
    for (int64_t i = 0; i + 1 < rank; ++i)
      if (type.isDynamicDim(i))
        rowDyn.push_back(dimValue(b, loc, q, i));
    SmallVector<int64_t> rowShape(type.getShape().drop_back());
    auto rowType = [&](Type el) { return RankedTensorType::get(rowShape, el); };
    auto filled = [&](Type el, Value v) {
      Value e = emptyTensor(b, loc, rowType(el), rowDyn);
      return linalg::FillOp::create(b, loc, v, e).getResult(0);
    };
    SmallVector<utils::IteratorType> red(rank, utils::IteratorType::parallel);
    red.back() = utils::IteratorType::reduction;
    SmallVector<utils::IteratorType> par(rank, utils::IteratorType::parallel);

    // Every loop below is a plain i32/i64 reduction or elementwise map, so
    // LLVM vectorizes it; per-row values (the maxima, 2^32 / sum) are
    // computed once per row, not per element.
    Type i32 = b.getI32Type();
    auto rowReduce = [&](TypeRange types, ValueRange inputs,
                         ArrayRef<AffineMap> inMaps, ArrayRef<Value> inits,
                         function_ref<SmallVector<Value>(OpBuilder &, Location,
                                                         ValueRange)>
                             body) {
      SmallVector<AffineMap> maps(inMaps);
      maps.append(inits.size(), row);
      return linalg::GenericOp::create(
                 b, loc, types, inputs, inits, maps, red,
                 [&](OpBuilder &nb, Location l, ValueRange a) {
                   linalg::YieldOp::create(nb, l, body(nb, l, a));
                 })
          .getResults();
    };
    auto rowMap = [&](TypeRange types, ValueRange inputs,
                      ArrayRef<AffineMap> inMaps, RankedTensorType outType,
                      bool perRow,
                      function_ref<Value(OpBuilder &, Location, ValueRange)>
                          body) {
      SmallVector<AffineMap> maps(inMaps);
      maps.push_back(perRow ? b.getMultiDimIdentityMap(rank - 1) : id);
      Value init =
          perRow ? emptyTensor(b, loc, outType, rowDyn)
                 : emptyTensor(b, loc, outType, dynamicSizesOf(b, loc, q));
      SmallVector<utils::IteratorType> it(perRow ? rank - 1 : rank,
                                          utils::IteratorType::parallel);
      return linalg::GenericOp::create(
                 b, loc, types, inputs, init, maps, it,
                 [&](OpBuilder &nb, Location l, ValueRange a) {
                   linalg::YieldOp::create(nb, l, body(nb, l, a));
                 })
          .getResult(0);
    };

    // 1. Row maximum over the kept positions (INT32_MIN where none is),
    //    the overall maximum and the number of kept positions.
    Value minI32 = arith::ConstantIntOp::create(b, loc, INT32_MIN, 32);
    Value zeroI32 = arith::ConstantIntOp::create(b, loc, 0, 32);
    SmallVector<Value> stats;
    if (mask) {
      auto r = rowReduce(
          {rowType(i32), rowType(i32), rowType(i32)}, {q, mask}, {id, maskMap},
          {filled(i32, minI32), filled(i32, minI32), filled(i32, zeroI32)},
          [&](OpBuilder &nb, Location l, ValueRange a) -> SmallVector<Value> {
            Value keptX = arith::SelectOp::create(
                nb, l, a[1], a[0],
                arith::ConstantIntOp::create(nb, l, INT32_MIN, 32));
            return {arith::MaxSIOp::create(nb, l, a[2], keptX),
                    arith::MaxSIOp::create(nb, l, a[3], a[0]),
                    arith::AddIOp::create(
                        nb, l, a[4],
                        arith::ExtUIOp::create(nb, l, nb.getI32Type(), a[1]))};
          });
      // The row maximum the kept positions are measured from: over the
      // kept ones, or over all when none is kept (computed unmasked).
      Value rowmax = rowMap(
          {rowType(i32)}, {r[0], r[1], r[2]},
          {b.getMultiDimIdentityMap(rank - 1), b.getMultiDimIdentityMap(rank - 1),
           b.getMultiDimIdentityMap(rank - 1)},
          rowType(i32), /*perRow=*/true,
          [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
            Value none = arith::CmpIOp::create(
                nb, l, arith::CmpIPredicate::eq, a[2],
                arith::ConstantIntOp::create(nb, l, 0, 32));
            return arith::SelectOp::create(nb, l, none, a[1], a[0]);
          });
      stats = {rowmax, r[2]};
    } else {
      stats = rowReduce({rowType(i32)}, {q}, {id}, {filled(i32, minI32)},
                        [&](OpBuilder &nb, Location l,
                            ValueRange a) -> SmallVector<Value> {
                          return {arith::MaxSIOp::create(nb, l, a[1], a[0])};
                        });
    }

    // 2. e16 = i-exp of (q - rowmax), 30 x0 for masked positions (i32).
    ExpKernel k = ExpKernel::of(op);
    SmallVector<Value> ins{q};
    SmallVector<AffineMap> maps{id};
    if (mask) {
      ins.append({mask, stats[0], stats[1]});
      maps.append({maskMap, row, row});
    } else {
      ins.push_back(stats[0]);
      maps.push_back(row);
    }
    Value e16 = rowMap(
        {type.clone(i32)}, ins, maps, type.clone(i32), /*perRow=*/false,
        [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
          Value x = arith::ExtSIOp::create(nb, l, i64, a[0]);
          Value rowmax = arith::ExtSIOp::create(nb, l, i64, a[mask ? 2 : 1]);
          Value d = arith::SubIOp::create(nb, l, x, rowmax);
          if (mask) {
            Value none = arith::CmpIOp::create(
                nb, l, arith::CmpIPredicate::eq, a[3],
                arith::ConstantIntOp::create(nb, l, 0, 32));
            Value kept = arith::OrIOp::create(nb, l, a[1], none);
            d = arith::SelectOp::create(nb, l, kept, d,
                                        i64Constant(nb, l, 30 * k.x0));
          }
          return arith::TruncIOp::create(nb, l, nb.getI32Type(),
                                         iexpScalar(nb, l, d, k));
        });

    // 3. f = floor(2^32 / sum_row e16) per row (sum in i64).
    Value sum = rowReduce({rowType(i64)}, {e16}, {id},
                          {filled(i64, i64Constant(b, loc, 0))},
                          [&](OpBuilder &nb, Location l,
                              ValueRange a) -> SmallVector<Value> {
                            return {arith::AddIOp::create(
                                nb, l, a[1],
                                arith::ExtSIOp::create(nb, l, i64, a[0]))};
                          })[0];
    Value f = rowMap({rowType(i64)}, {sum}, {b.getMultiDimIdentityMap(rank - 1)},
                     rowType(i64), /*perRow=*/true,
                     [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                       return arith::DivSIOp::create(
                           nb, l, i64Constant(nb, l, int64_t(1) << 32), a[0]);
                     });

    // 4. out = (e16 * f) >> 24, or rounded half up and clamped to 255
    //    (`nearest`).
    bool nearest = op.getNearest();
    auto outStorage = type.clone(b.getI8Type());
    Value out = rowMap(
        {outStorage}, {e16, f}, {id, row}, outStorage, /*perRow=*/false,
        [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
          Value v = arith::MulIOp::create(
              nb, l, arith::ExtSIOp::create(nb, l, i64, a[0]), a[1]);
          if (nearest)
            v = arith::AddIOp::create(nb, l, v,
                                      i64Constant(nb, l, int64_t(1) << 23));
          v = arith::ShRSIOp::create(nb, l, v, i64Constant(nb, l, 24));
          if (nearest)
            v = arith::MinSIOp::create(nb, l, v, i64Constant(nb, l, 255));
          return arith::TruncIOp::create(nb, l, nb.getI8Type(), v);
        });
    rewriter.replaceOp(
        op,
        fromSignless(b, loc, out, tensorType(op.getResult()).getElementType()));
    return success();
  }
};

/// floor(sqrt(n)) for 0 <= n < 2^63 (i64 scalars): I-BERT's Newton
/// iteration from x0 = 2^ceil(bits(n)/2) >= sqrt(n). The relative error
/// starts at <= 1 and squares each step (1, 1/4, 1/40, 3e-4, 5e-8,
/// 1e-15), so after 7 steps x = floor(sqrt(n)); keeping the minimum makes
/// the extra steps harmless once converged.
Value isqrtScalar(OpBuilder &b, Location l, Value n) {
  Value bits = arith::SubIOp::create(
      b, l, i64Constant(b, l, 64), math::CountLeadingZerosOp::create(b, l, n));
  Value half = arith::ShRSIOp::create(
      b, l, arith::AddIOp::create(b, l, bits, i64Constant(b, l, 1)),
      i64Constant(b, l, 1));
  Value x = arith::ShLIOp::create(b, l, i64Constant(b, l, 1), half);
  for (int i = 0; i < 8; ++i) {
    Value div = arith::DivSIOp::create(
        b, l, n, arith::MaxSIOp::create(b, l, x, i64Constant(b, l, 1)));
    Value y = arith::ShRSIOp::create(b, l, arith::AddIOp::create(b, l, x, div),
                                     i64Constant(b, l, 1));
    x = arith::MinSIOp::create(b, l, x, y);
  }
  return x;
}

struct ILayerNormLowering : OpRewritePattern<iq::ILayerNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(iq::ILayerNormOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    OpBuilder &b = rewriter;
    Value x = op.getInput();
    auto type = tensorType(x);
    int64_t rank = type.getRank();
    Type i64 = b.getI64Type();
    AffineMap id = b.getMultiDimIdentityMap(rank);
    AffineMap row = reducedMap(ctx, rank, {rank - 1});
    SmallVector<utils::IteratorType> par(rank, utils::IteratorType::parallel);
    int64_t shift = op.getShiftAttr().getInt();
    Value x64 =
        buildElementwise(b, loc, type.clone(i64), {x},
                         [&](OpBuilder &nb, Location l, ValueRange a) {
                           return arith::ExtSIOp::create(nb, l, i64, a[0]);
                         });
    Value C = countOf(b, loc, x, {rank - 1}, i64);
    Value sum = buildReduction(b, loc, x64, {rank - 1}, ReduceKind::Sum);
    // mean = floor((2 sum + C) / 2C), per row.
    auto rowType = tensorType(sum);
    Value mean = buildElementwise(
        b, loc, rowType, {sum}, [&](OpBuilder &nb, Location l, ValueRange a) {
          Value two = i64Constant(nb, l, 2);
          Value num = arith::AddIOp::create(
              nb, l, arith::MulIOp::create(nb, l, a[0], two), C);
          return arith::FloorDivSIOp::create(
              nb, l, num, arith::MulIOp::create(nb, l, C, two));
        });
    // var = sum(((x - mean) >> shift)^2)
    Value var = buildReduction(
        b, loc, x64, {rank - 1}, ReduceKind::Sum, ValueRange{mean}, {row},
        [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
          Value y = arith::SubIOp::create(nb, l, a[0], a[1]);
          Value ys =
              arith::ShRSIOp::create(nb, l, y, i64Constant(nb, l, shift));
          return arith::MulIOp::create(nb, l, ys, ys);
        });
    // f = floor(2^31 / max(isqrt(var) << shift, 1)), per row.
    Value f = buildElementwise(
        b, loc, rowType, {var}, [&](OpBuilder &nb, Location l, ValueRange a) {
          Value root = isqrtScalar(nb, l, a[0]);
          Value std = arith::MaxSIOp::create(
              nb, l,
              arith::ShLIOp::create(nb, l, root, i64Constant(nb, l, shift)),
              i64Constant(nb, l, 1));
          return arith::DivSIOp::create(
              nb, l, i64Constant(nb, l, int64_t(1) << 31), std);
        });
    // out = ((y * f) >> 1) + bias[c], then the per-channel requant.
    ChannelConstants k;
    k.arrays = {SmallVector<int64_t>(op.getBias()),
                SmallVector<int64_t>(op.getMultipliers()),
                SmallVector<int64_t>(op.getShifts())};
    k.perChannel = op.getBias().size() > 1;
    k.type = b.getI64Type();
    // The 64-bit output (|out| <= 2^30 sqrt(C) plus the bias) times m.
    DyadicPlan plan = DyadicPlan::of(b, 64, op.getShifts());
    SmallVector<Value> operands{x64, mean, f};
    SmallVector<AffineMap> maps{id, row, row};
    SmallVector<Value> consts;
    k.addOperands(b, loc, type, rank - 1, consts);
    for (Value v : consts) {
      operands.push_back(v);
      maps.push_back(AffineMap::get(rank, 0, getAffineDimExpr(rank - 1, ctx)));
    }
    auto outType = tensorType(op.getResult());
    auto outEl = cast<IntegerType>(outType.getElementType());
    auto storage = outType.clone(signless(outEl));
    maps.push_back(id);
    // Per-channel constants are [C] tensors here (rank - axis = 1).
    Value result =
        linalg::GenericOp::create(
            b, loc, storage, operands,
            emptyTensor(b, loc, storage, dynamicSizesOf(b, loc, x)), maps, par,
            [&](OpBuilder &nb, Location l, ValueRange a) {
              ValueRange cs = a.drop_front(3);
              Value y = arith::SubIOp::create(nb, l, a[0], a[1]);
              Value out = arith::ShRSIOp::create(
                  nb, l, arith::MulIOp::create(nb, l, y, a[2]),
                  i64Constant(nb, l, 1));
              out = arith::AddIOp::create(nb, l, out, k.get(nb, l, 0, cs));
              Value m = k.get(nb, l, 1, cs), e = k.get(nb, l, 2, cs);
              Value v;
              if (plan.kind == DyadicPlan::Split64) {
                v = plan.apply(nb, l, out, m, e, std::nullopt);
              } else {
                Type i128 = nb.getIntegerType(128);
                auto ext = [&](Value x) {
                  return arith::ExtSIOp::create(nb, l, i128, x);
                };
                v = dyadicScalar(nb, l, ext(out), ext(m), ext(e), std::nullopt,
                                 i128);
              }
              linalg::YieldOp::create(
                  nb, l, clampTrunc(nb, l, v, outEl, outEl.isUnsigned()));
            })
            .getResult(0);
    rewriter.replaceOp(op, fromSignless(b, loc, result, outEl));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Token pruning
//===----------------------------------------------------------------------===//

/// A linalg.generic over `dims` loops with the given maps and iterators,
/// one init, whose body yields `body(args)`.
Value genericOp(OpBuilder &b, Location loc, Value init, ValueRange inputs,
                ArrayRef<AffineMap> maps,
                ArrayRef<utils::IteratorType> iterators,
                function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  return linalg::GenericOp::create(
             b, loc, init.getType(), inputs, init, maps, iterators,
             [&](OpBuilder &nb, Location l, ValueRange a) {
               linalg::YieldOp::create(nb, l, body(nb, l, a));
             })
      .getResult(0);
}

AffineMap dimsMap(MLIRContext *ctx, unsigned n, ArrayRef<unsigned> dims) {
  SmallVector<AffineExpr> e;
  for (unsigned d : dims)
    e.push_back(getAffineDimExpr(d, ctx));
  return AffineMap::get(n, 0, e, ctx);
}

Value filledTensor(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                   Type el, ValueRange dyn, Value v) {
  Value e = tensor::EmptyOp::create(b, loc, shape, el, dyn);
  return linalg::FillOp::create(b, loc, v, e).getResult(0);
}

/// The dynamic sizes of `shape` taken from `sizes` (one per dim).
SmallVector<Value> dynamicOf(ArrayRef<int64_t> shape, ArrayRef<Value> sizes) {
  SmallVector<Value> dyn;
  for (auto [d, v] : llvm::zip(shape, sizes))
    if (ShapedType::isDynamic(d))
      dyn.push_back(v);
  return dyn;
}

struct TokenImportanceLowering : OpRewritePattern<iq::TokenImportanceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(iq::TokenImportanceOp op,
                                PatternRewriter &b) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = b.getContext();
    auto pt = tensorType(op.getProbs());
    auto out = tensorType(op.getResult());
    Type el = pt.getElementType(), acc = out.getElementType();
    Value init = zeroTensor(
        b, loc, out,
        dynamicOf(out.getShape(), {dimValue(b, loc, op.getProbs(), 0),
                                   dimValue(b, loc, op.getProbs(), 3)}));
    using IT = utils::IteratorType;
    // (b, h, i, j): j innermost, so the row of sums is accumulated in place.
    Value r = genericOp(
        b, loc, init, {toSignless(b, loc, op.getProbs()), op.getRows()},
        {dimsMap(ctx, 4, {0, 1, 2, 3}), dimsMap(ctx, 4, {0, 2}),
         dimsMap(ctx, 4, {0, 3})},
        {IT::parallel, IT::reduction, IT::reduction, IT::parallel},
        [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
          Scalar s{nb, l, acc};
          Value v = castScalar(nb, l, a[0], el, acc);
          v = arith::SelectOp::create(nb, l, a[1], v, s.constant(0));
          return s.add(a[2], v);
        });
    b.replaceOp(op, r);
    return success();
  }
};

struct PruneKeepLowering : OpRewritePattern<iq::PruneKeepOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(iq::PruneKeepOp op,
                                PatternRewriter &b) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = b.getContext();
    auto t = tensorType(op.getImportance());
    bool isFloat = isa<FloatType>(t.getElementType());
    int64_t heads = op.getHeadsAttr().getInt();
    // The per-example bound, computed once: T H l_orig 256 (i128), or
    // (T / 2^40) H l_orig for float importance.
    Type i128 = b.getIntegerType(128);
    Value T;
    if (Value tv = op.getThresholdValue())
      T = tensor::ExtractOp::create(b, loc, tv, ValueRange{});
    else
      T = i64Constant(b, loc, op.getThresholdAttr().getInt());
    Value L = arith::IndexCastOp::create(b, loc, b.getI64Type(), op.getLOrig());
    Value bound;
    if (isFloat) {
      Type f = t.getElementType();
      Value tf = arith::MulFOp::create(
          b, loc, arith::SIToFPOp::create(b, loc, f, T),
          arith::ConstantOp::create(b, loc, b.getFloatAttr(f, std::ldexp(1.0, -40))));
      Value hl = arith::SIToFPOp::create(
          b, loc, f, arith::MulIOp::create(b, loc, L, i64Constant(b, loc, heads)));
      bound = arith::MulFOp::create(b, loc, tf, hl);
    } else {
      Value prod = arith::MulIOp::create(
          b, loc, arith::ExtSIOp::create(b, loc, i128, T),
          arith::ExtSIOp::create(b, loc, i128, L));
      bound = arith::MulIOp::create(b, loc, prod,
                                    wideConstant(b, loc, i128, heads * 256));
    }
    auto outT = tensorType(op.getResult());
    Value init = tensor::EmptyOp::create(
        b, loc, outT.getShape(), b.getI1Type(),
        dynamicOf(outT.getShape(), {dimValue(b, loc, op.getImportance(), 0),
                                    dimValue(b, loc, op.getImportance(), 1)}));
    using IT = utils::IteratorType;
    Value r = genericOp(
        b, loc, init, {op.getImportance(), op.getAlive()},
        {dimsMap(ctx, 2, {0, 1}), dimsMap(ctx, 2, {0, 1}),
         dimsMap(ctx, 2, {0, 1})},
        {IT::parallel, IT::parallel},
        [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
          Value j = linalg::IndexOp::create(nb, l, 1);
          Value first = arith::CmpIOp::create(
              nb, l, arith::CmpIPredicate::eq, j,
              arith::ConstantIndexOp::create(nb, l, 0));
          Value enough;
          if (isFloat) {
            enough = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OGE,
                                           a[0], bound);
          } else {
            Value lhs = arith::ShLIOp::create(
                nb, l, arith::ExtSIOp::create(nb, l, i128, a[0]),
                wideConstant(nb, l, i128, 40));
            enough = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sge,
                                           lhs, bound);
          }
          return arith::AndIOp::create(
              nb, l, a[1], arith::OrIOp::create(nb, l, first, enough));
        });
    b.replaceOp(op, r);
    return success();
  }
};

struct CompactIndicesLowering : OpRewritePattern<iq::CompactIndicesOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(iq::CompactIndicesOp op,
                                PatternRewriter &b) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = b.getContext();
    Value keep = op.getKeep();
    Type i64 = b.getI64Type();
    Value B = dimValue(b, loc, keep, 0), L = dimValue(b, loc, keep, 1);
    using IT = utils::IteratorType;
    auto one64 = [&](OpBuilder &nb, Location l) { return i64Constant(nb, l, 1); };
    // count[b, p] = number of kept tokens at positions <= p (O(L^2), for
    // sequence lengths in the hundreds a few microseconds).
    Value count = genericOp(
        b, loc, filledTensor(b, loc, {ShapedType::kDynamic, ShapedType::kDynamic},
                             i64, {B, L}, i64Constant(b, loc, 0)),
        {keep}, {dimsMap(ctx, 3, {0, 2}), dimsMap(ctx, 3, {0, 1})},
        {IT::parallel, IT::parallel, IT::reduction},
        [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
          Value p = linalg::IndexOp::create(nb, l, 1);
          Value q = linalg::IndexOp::create(nb, l, 2);
          Value before = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::ule,
                                               q, p);
          Value take = arith::AndIOp::create(nb, l, before, a[0]);
          return arith::AddIOp::create(
              nb, l, a[1],
              arith::SelectOp::create(nb, l, take, one64(nb, l),
                                      i64Constant(nb, l, 0)));
        });
    // total[b]; L' = max(max_b total[b], 1).
    Value total = genericOp(
        b, loc, filledTensor(b, loc, {ShapedType::kDynamic}, i64, {B},
                             i64Constant(b, loc, 0)),
        {keep}, {dimsMap(ctx, 2, {0, 1}), dimsMap(ctx, 2, {0})},
        {IT::parallel, IT::reduction},
        [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
          return arith::AddIOp::create(
              nb, l, a[1],
              arith::ExtUIOp::create(nb, l, nb.getI64Type(), a[0]));
        });
    Value maxT = genericOp(
        b, loc, filledTensor(b, loc, {}, i64, {}, i64Constant(b, loc, 1)),
        {total}, {dimsMap(ctx, 1, {0}), AffineMap::get(1, 0, {}, ctx)},
        {IT::reduction},
        [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
          return arith::MaxSIOp::create(nb, l, a[0], a[1]);
        });
    Value Lp = arith::IndexCastOp::create(
        b, loc, b.getIndexType(), tensor::ExtractOp::create(b, loc, maxT, ValueRange{}));
    // indices[b, t] = the p with keep[b, p] and count[b, p] = t + 1.
    auto resT = tensorType(op.getIndices());
    Value idx = genericOp(
        b, loc, filledTensor(b, loc, resT.getShape(), i64,
                             dynamicOf(resT.getShape(), {B, Lp}),
                             i64Constant(b, loc, 0)),
        {keep, count},
        {dimsMap(ctx, 3, {0, 2}), dimsMap(ctx, 3, {0, 2}), dimsMap(ctx, 3, {0, 1})},
        {IT::parallel, IT::parallel, IT::reduction},
        [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
          Value t = loopIndexI64(nb, l, 1);
          Value p = loopIndexI64(nb, l, 2);
          Value hit = arith::AndIOp::create(
              nb, l, a[0],
              arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq, a[1],
                                    arith::AddIOp::create(nb, l, t, one64(nb, l))));
          return arith::AddIOp::create(
              nb, l, a[2],
              arith::SelectOp::create(nb, l, hit, p, i64Constant(nb, l, 0)));
        });
    auto validT = tensorType(op.getValid());
    Value valid = genericOp(
        b, loc,
        tensor::EmptyOp::create(b, loc, validT.getShape(), b.getI1Type(),
                                dynamicOf(validT.getShape(), {B, Lp})),
        {total}, {dimsMap(ctx, 2, {0}), dimsMap(ctx, 2, {0, 1})},
        {IT::parallel, IT::parallel},
        [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
          Value t = loopIndexI64(nb, l, 1);
          return arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, t, a[0]);
        });
    b.replaceOp(op, {idx, valid});
    return success();
  }
};

/// out[b, t, rest...] = data[b, row(b, t), rest...] over the result's
/// shape, `row` read from `rows` ([B, L'] i64); with `zeroBelowZero`, 0
/// where the row is negative.
Value gatherRowsInto(OpBuilder &b, Location loc, Value data, Value rows,
                     RankedTensorType resultType, ValueRange resultDyn,
                     bool zeroBelowZero) {
  MLIRContext *ctx = b.getContext();
  int64_t rank = resultType.getRank();
  auto storage = resultType.clone(signless(resultType.getElementType()));
  Value init = emptyTensor(b, loc, storage, resultDyn);
  Value src = toSignless(b, loc, data);
  SmallVector<utils::IteratorType> it(rank, utils::IteratorType::parallel);
  return genericOp(
      b, loc, init, {rows},
      {dimsMap(ctx, rank, {0, 1}), b.getMultiDimIdentityMap(rank)}, it,
      [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
        Value row = a[0];
        Value valid;
        if (zeroBelowZero) {
          valid = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sge, row,
                                        i64Constant(nb, l, 0));
          row = arith::MaxSIOp::create(nb, l, row, i64Constant(nb, l, 0));
        }
        SmallVector<Value> idx{linalg::IndexOp::create(nb, l, 0),
                               arith::IndexCastOp::create(
                                   nb, l, nb.getIndexType(), row)};
        for (int64_t d = 2; d < rank; ++d)
          idx.push_back(linalg::IndexOp::create(nb, l, d));
        Value v = tensor::ExtractOp::create(nb, l, src, idx);
        if (!zeroBelowZero)
          return v;
        return arith::SelectOp::create(
            nb, l, valid, v, scalarConstant(nb, l, storage.getElementType(), 0));
      });
}

SmallVector<Value> rowsDynamicSizes(OpBuilder &b, Location loc, Value data,
                                    RankedTensorType resultType, Value rows1) {
  SmallVector<Value> sizes{dimValue(b, loc, data, 0), rows1};
  for (int64_t d = 2; d < resultType.getRank(); ++d)
    sizes.push_back(dimValue(b, loc, data, d));
  return dynamicOf(resultType.getShape(), sizes);
}

struct GatherRowsLowering : OpRewritePattern<iq::GatherRowsOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(iq::GatherRowsOp op,
                                PatternRewriter &b) const override {
    Location loc = op.getLoc();
    auto rt = tensorType(op.getResult());
    Value r = gatherRowsInto(
        b, loc, op.getData(), op.getIndices(), rt,
        rowsDynamicSizes(b, loc, op.getData(), rt,
                         dimValue(b, loc, op.getIndices(), 1)),
        /*zeroBelowZero=*/false);
    b.replaceOp(op, fromSignless(b, loc, r, rt.getElementType()));
    return success();
  }
};

struct ScatterRowsLowering : OpRewritePattern<iq::ScatterRowsOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(iq::ScatterRowsOp op,
                                PatternRewriter &b) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = b.getContext();
    Type i64 = b.getI64Type();
    Value B = dimValue(b, loc, op.getData(), 0);
    using IT = utils::IteratorType;
    // source[b, p] = the slot t holding original row p, or -1.
    Value source = genericOp(
        b, loc,
        filledTensor(b, loc, {ShapedType::kDynamic, ShapedType::kDynamic}, i64,
                     {B, op.getLength()}, i64Constant(b, loc, -1)),
        {op.getIndices(), op.getValid()},
        {dimsMap(ctx, 3, {0, 2}), dimsMap(ctx, 3, {0, 2}), dimsMap(ctx, 3, {0, 1})},
        {IT::parallel, IT::parallel, IT::reduction},
        [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
          Value p = loopIndexI64(nb, l, 1);
          Value t = loopIndexI64(nb, l, 2);
          Value hit = arith::AndIOp::create(
              nb, l, a[1],
              arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq, a[0], p));
          return arith::SelectOp::create(nb, l, hit, t, a[2]);
        });
    auto rt = tensorType(op.getResult());
    Value r = gatherRowsInto(
        b, loc, op.getData(), source, rt,
        rowsDynamicSizes(b, loc, op.getData(), rt, op.getLength()),
        /*zeroBelowZero=*/true);
    b.replaceOp(op, fromSignless(b, loc, r, rt.getElementType()));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// quant.qcast / quant.dcast (ONNX QuantizeLinear / DequantizeLinear)
//===----------------------------------------------------------------------===//

/// Scale and zero point of a uniform quantized type as operands of an
/// elementwise loop over a tensor of rank `rank`: scalars, or 1-D constants
/// read along the quantized axis.
struct QuantParams {
  SmallVector<Value> operands; // extra tensors for buildElementwise
  double scale = 0;
  int64_t zeroPoint = 0;
  bool perAxis = false;

  /// The zero point inside the loop body (`a`: the data, then `operands`).
  Value zeroPointAt(Scalar &s, ValueRange a) const {
    if (perAxis && operands.size() > 1)
      return a[2];
    return s.constant((double)zeroPoint);
  }
};

QuantParams quantParams(OpBuilder &b, Location loc, quant::QuantizedType qt,
                        Type expressed, int64_t rank) {
  QuantParams p;
  if (auto u = dyn_cast<quant::UniformQuantizedType>(qt)) {
    p.scale = u.getScale();
    p.zeroPoint = u.getZeroPoint();
    return p;
  }
  auto pa = cast<quant::UniformQuantizedPerAxisType>(qt);
  p.perAxis = true;
  int64_t n = pa.getScales().size();
  // Shape [n, 1, ..., 1] aligned so that dim `axis` broadcasts correctly.
  SmallVector<int64_t> shape(rank - pa.getQuantizedDimension(), 1);
  shape[0] = n;
  auto scaleType = RankedTensorType::get(shape, expressed);
  SmallVector<Attribute> scales, zps;
  for (double s : pa.getScales())
    scales.push_back(b.getFloatAttr(expressed, s));
  for (int64_t z : pa.getZeroPoints())
    zps.push_back(b.getFloatAttr(expressed, (double)z));
  p.operands.push_back(arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(scaleType, scales)));
  // Symmetric types (iqc's own) need no zero-point tensor; leaving it out
  // also keeps canonicalization from rebuilding the loop (and dropping its
  // boundary tag).
  if (llvm::any_of(pa.getZeroPoints(), [](int64_t z) { return z != 0; }))
    p.operands.push_back(arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(scaleType, zps)));
  return p;
}

/// Tags the loop computing `v` as the model's float boundary (quantization
/// of inputs, dequantization of outputs): the CPU pipeline keeps it out of
/// fusion and names its outlined function after it, so the integer-only
/// body can be checked in the binary.
void markBoundary(Value v, StringRef kind) {
  if (Operation *def = v.getDefiningOp())
    def->setAttr(iqc::kBoundaryAttrName,
                 StringAttr::get(def->getContext(), kind));
}

struct QuantizeCastLowering : OpRewritePattern<quant::QuantizeCastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(quant::QuantizeCastOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inType = dyn_cast<RankedTensorType>(op.getInput().getType());
    auto outType = dyn_cast<RankedTensorType>(op.getResult().getType());
    if (!inType || !outType)
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    auto qt = cast<quant::QuantizedType>(outType.getElementType());
    Type expressed = inType.getElementType();
    Type storage = qt.getStorageType();
    QuantParams p = quantParams(rewriter, loc, qt, expressed, inType.getRank());
    SmallVector<Value> operands{op.getInput()};
    operands.append(p.operands);
    double qmin = qt.getStorageTypeMin(), qmax = qt.getStorageTypeMax();
    Value q = buildElementwise(
        rewriter, loc, outType.clone(storage), operands,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Scalar s{b, l, expressed};
          Value scale = p.perAxis ? a[1] : s.constant(p.scale);
          Value zp = p.zeroPointAt(s, a);
          // saturate(round_half_even(x / scale) + zero_point)
          Value v = math::RoundEvenOp::create(
              b, l, arith::DivFOp::create(b, l, a[0], scale));
          v = arith::AddFOp::create(b, l, v, zp);
          v = arith::MaximumFOp::create(b, l, v, s.constant(qmin));
          v = arith::MinimumFOp::create(b, l, v, s.constant(qmax));
          Value i = arith::FPToSIOp::create(b, l, b.getI64Type(), v);
          return arith::TruncIOp::create(b, l, storage, i);
        });
    markBoundary(q, "quantize");
    rewriter.replaceOpWithNewOp<quant::StorageCastOp>(op, outType, q);
    return success();
  }
};

struct DequantizeCastLowering : OpRewritePattern<quant::DequantizeCastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(quant::DequantizeCastOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inType = dyn_cast<RankedTensorType>(op.getInput().getType());
    auto outType = dyn_cast<RankedTensorType>(op.getResult().getType());
    if (!inType || !outType)
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    auto qt = cast<quant::QuantizedType>(inType.getElementType());
    Type expressed = outType.getElementType();
    Type storage = qt.getStorageType();
    bool isSigned = qt.isSigned();
    QuantParams p = quantParams(rewriter, loc, qt, expressed, inType.getRank());
    Value stored = quant::StorageCastOp::create(
        rewriter, loc, inType.clone(storage), op.getInput());
    SmallVector<Value> operands{stored};
    operands.append(p.operands);
    Value x = buildElementwise(
        rewriter, loc, outType, operands,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Scalar s{b, l, expressed};
          Value i =
              isSigned
                  ? (Value)arith::ExtSIOp::create(b, l, b.getI64Type(), a[0])
                  : (Value)arith::ExtUIOp::create(b, l, b.getI64Type(), a[0]);
          Value v = arith::SIToFPOp::create(b, l, expressed, i);
          Value scale = p.perAxis ? a[1] : s.constant(p.scale);
          Value zp = p.zeroPointAt(s, a);
          return arith::MulFOp::create(b, l, arith::SubFOp::create(b, l, v, zp),
                                       scale);
        });
    markBoundary(x, "dequantize");
    rewriter.replaceOp(op, x);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

struct ConvertIQToLinalgPass
    : iqc::impl::ConvertIQToLinalgBase<ConvertIQToLinalgPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateIQToLinalgPatterns(patterns);
    ConversionTarget target(getContext());
    target.addIllegalDialect<iq::IQDialect>();
    target.addIllegalOp<quant::QuantizeCastOp, quant::DequantizeCastOp>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void iqc::populateIQToLinalgPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns
      .add<BinaryLowering<iq::AddOp>, BinaryLowering<iq::SubOp>,
           BinaryLowering<iq::MulOp>, BinaryLowering<iq::DivOp>,
           BinaryLowering<iq::PowOp>, CmpLowering, SelectLowering,
           UnaryLowering<iq::SqrtOp>, UnaryLowering<iq::ErfOp>,
           UnaryLowering<iq::TanhOp>, UnaryLowering<iq::SigmoidOp>,
           UnaryLowering<iq::ExpOp>, UnaryLowering<iq::ReluOp>,
           UnaryLowering<iq::AbsOp>, UnaryLowering<iq::NegOp>,
           UnaryLowering<iq::NotOp>, UnaryLowering<iq::GeluOp>,
           UnaryLowering<iq::SwishOp>, CastLowering,
           ReduceLowering<iq::ReduceSumOp>, ReduceLowering<iq::ReduceMeanOp>,
           SoftmaxLowering, LayerNormLowering, BatchNormLowering,
           MatMulLowering, LinearLowering, MatMulIntegerLowering, ConvLowering,
           GatherLowering, DynamicQuantizeLowering, QuantizeCastLowering,
           DequantizeCastLowering, RequantLowering, IGeluLowering,
           ISoftmaxLowering, ILayerNormLowering, ISigmoidLowering,
           IAddLowering, TokenImportanceLowering, PruneKeepLowering,
           CompactIndicesLowering, GatherRowsLowering, ScatterRowsLowering>(
          ctx);
}
