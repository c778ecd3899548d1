//===- Raise.cpp - Raise torch-exported patterns to semantic iq ops -------===//
//
// PyTorch's ONNX exporter decomposes LayerNorm (below opset 17), GELU, Linear
// and Swish into elementwise graphs. These patterns recognize them and build
// the semantic ops quantization replaces with integer kernels. Each pattern
// checks every constant it relies on (epsilon, sqrt(2), 0.5, 1, exponent 2)
// and the reduction axes, so look-alike graphs are left alone.
//
//===----------------------------------------------------------------------===//

#include "iqc/Dialect/IQ/Transforms/Passes.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/Passes.h"

namespace iqc::iq {
#define GEN_PASS_DEF_IQRAISELAYERNORM
#define GEN_PASS_DEF_IQRAISEGELU
#define GEN_PASS_DEF_IQRAISELINEAR
#define GEN_PASS_DEF_IQRAISESWISH
#include "iqc/Dialect/IQ/Transforms/Passes.h.inc"
} // namespace iqc::iq

using namespace mlir;
using namespace iqc::iq;

namespace {

/// The float value of a splat constant, if `v` is one.
std::optional<double> getSplatFloat(Value v) {
  DenseElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) || !attr.isSplat() ||
      !isa<FloatType>(attr.getElementType()))
    return std::nullopt;
  return attr.getSplatValue<APFloat>().convertToDouble();
}

bool isSplatNear(Value v, double expected, double tolerance = 1e-4) {
  std::optional<double> value = getSplatFloat(v);
  return value && std::abs(*value - expected) <= tolerance * std::abs(expected);
}

bool isConstant(Value v) { return matchPattern(v, m_Constant()); }

/// For a commutative binary op, returns the operand that is not `known`.
template <typename OpTy> Value otherOperand(OpTy op, Value known) {
  if (op.getLhs() == known)
    return op.getRhs();
  if (op.getRhs() == known)
    return op.getLhs();
  return {};
}

/// Finds the operand of a commutative op defined by `T`; `other` receives
/// the remaining operand.
template <typename T, typename OpTy> T operandDefinedBy(OpTy op, Value &other) {
  if (auto def = op.getLhs().template getDefiningOp<T>()) {
    other = op.getRhs();
    return def;
  }
  if (auto def = op.getRhs().template getDefiningOp<T>()) {
    other = op.getLhs();
    return def;
  }
  return {};
}

//===----------------------------------------------------------------------===//
// LayerNorm
//===----------------------------------------------------------------------===//

/// The reduction covers exactly the trailing dims [axis, rank) with keep_dims.
std::optional<int64_t> trailingAxis(ReduceMeanOp op) {
  int64_t rank = op.getInput().getType().getRank();
  ArrayRef<int64_t> axes = op.getAxes();
  if (!op.getKeepDims() || axes.empty() || axes.back() != rank - 1)
    return std::nullopt;
  for (size_t i = 1; i < axes.size(); ++i)
    if (axes[i] != axes[i - 1] + 1)
      return std::nullopt;
  return axes.front();
}

/// Matches `(x - mean(x)) / sqrt(mean((x - mean(x))^2) + eps)`, optionally
/// followed by `* scale` and `+ bias`, rooted at the Div.
struct RaiseLayerNormPattern : OpRewritePattern<DivOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(DivOp div,
                                PatternRewriter &rewriter) const override {
    auto centered = div.getLhs().getDefiningOp<SubOp>();
    if (!centered)
      return rewriter.notifyMatchFailure(div, "numerator is not x - mean");
    auto mean = centered.getRhs().getDefiningOp<ReduceMeanOp>();
    Value x = centered.getLhs();
    if (!mean || mean.getInput() != x)
      return rewriter.notifyMatchFailure(div, "subtrahend is not mean(x)");
    std::optional<int64_t> axis = trailingAxis(mean);
    if (!axis)
      return rewriter.notifyMatchFailure(div, "mean is not over trailing dims");
    if (div.getType() != x.getType())
      return rewriter.notifyMatchFailure(div, "result type differs from x");

    auto sqrt = div.getRhs().getDefiningOp<SqrtOp>();
    if (!sqrt)
      return rewriter.notifyMatchFailure(div, "denominator is not a sqrt");
    auto addEps = sqrt.getInput().getDefiningOp<AddOp>();
    if (!addEps)
      return rewriter.notifyMatchFailure(div, "sqrt input is not var + eps");
    Value epsValue;
    auto variance = operandDefinedBy<ReduceMeanOp>(addEps, epsValue);
    std::optional<double> eps =
        epsValue ? getSplatFloat(epsValue) : std::nullopt;
    if (!variance || !eps || *eps < 0)
      return rewriter.notifyMatchFailure(div, "no mean(...) + epsilon");
    if (trailingAxis(variance) != axis)
      return rewriter.notifyMatchFailure(div, "variance axes differ from mean");
    auto square = variance.getInput().getDefiningOp<PowOp>();
    if (square && (square.getLhs() != centered.getResult() ||
                   !isSplatNear(square.getRhs(), 2.0, 0)))
      square = {};
    auto squareMul = variance.getInput().getDefiningOp<MulOp>();
    bool isSquare =
        square || (squareMul && squareMul.getLhs() == centered.getResult() &&
                   squareMul.getRhs() == centered.getResult());
    if (!isSquare)
      return rewriter.notifyMatchFailure(div, "variance is not mean((x-m)^2)");

    // Optional affine part: * scale (+ bias), both constants of the
    // normalized shape.
    auto type = cast<RankedTensorType>(x.getType());
    SmallVector<int64_t> normalized(type.getShape().drop_front(*axis));
    auto isParam = [&](Value v) {
      auto t = cast<RankedTensorType>(v.getType());
      return isConstant(v) && t.getShape() == ArrayRef<int64_t>(normalized);
    };
    Operation *root = div;
    Value scale, bias;
    if (div.getResult().hasOneUse()) {
      if (auto mul = dyn_cast<MulOp>(*div->user_begin())) {
        Value s = otherOperand(mul, div.getResult());
        if (s && isParam(s) && mul.getType() == type) {
          scale = s;
          root = mul;
          if (mul.getResult().hasOneUse())
            if (auto add = dyn_cast<AddOp>(*mul->user_begin())) {
              Value b = otherOperand(add, mul.getResult());
              if (b && isParam(b) && add.getType() == type) {
                bias = b;
                root = add;
              }
            }
        }
      }
    }
    if (!scale) {
      // A ones scale must be a constant of static shape.
      if (llvm::any_of(normalized, ShapedType::isDynamic))
        return rewriter.notifyMatchFailure(
            div, "no scale and dynamic normalized dims");
      auto scaleType = RankedTensorType::get(normalized, type.getElementType());
      scale = arith::ConstantOp::create(
          rewriter, div.getLoc(),
          DenseElementsAttr::get(
              scaleType, rewriter.getFloatAttr(type.getElementType(), 1.0)));
    }
    auto ln = LayerNormOp::create(rewriter, root->getLoc(), x, scale, bias,
                                  rewriter.getI64IntegerAttr(*axis),
                                  rewriter.getF32FloatAttr(*eps),
                                  /*variance_shift=*/IntegerAttr());
    rewriter.replaceOp(root, ln.getResult());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// GELU
//===----------------------------------------------------------------------===//

/// `erf(x / sqrt 2)` or `erf(x * (1/sqrt 2))`; returns x.
Value matchErfOfScaled(Value v) {
  auto erf = v.getDefiningOp<ErfOp>();
  if (!erf)
    return {};
  Value in = erf.getInput();
  if (auto div = in.getDefiningOp<DivOp>())
    if (isSplatNear(div.getRhs(), M_SQRT2, 1e-3))
      return div.getLhs();
  if (auto mul = in.getDefiningOp<MulOp>()) {
    if (isSplatNear(mul.getRhs(), M_SQRT1_2, 1e-3))
      return mul.getLhs();
    if (isSplatNear(mul.getLhs(), M_SQRT1_2, 1e-3))
      return mul.getRhs();
  }
  return {};
}

/// `1 + erf(x / sqrt 2)`; returns x.
Value matchOnePlusErf(Value v) {
  auto add = v.getDefiningOp<AddOp>();
  if (!add)
    return {};
  if (isSplatNear(add.getRhs(), 1.0, 0))
    return matchErfOfScaled(add.getLhs());
  if (isSplatNear(add.getLhs(), 1.0, 0))
    return matchErfOfScaled(add.getRhs());
  return {};
}

/// Rooted at the last Mul of `(x * (1 + erf(x/sqrt2))) * 0.5` or
/// `(x * 0.5) * (1 + erf(x/sqrt2))`, operands in any order.
struct RaiseGeluPattern : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MulOp root,
                                PatternRewriter &rewriter) const override {
    Value x;
    for (auto [a, b] : {std::pair(root.getLhs(), root.getRhs()),
                        std::pair(root.getRhs(), root.getLhs())}) {
      auto inner = a.getDefiningOp<MulOp>();
      if (!inner)
        continue;
      if (isSplatNear(b, 0.5, 0)) {
        // inner = x * (1 + erf(x/sqrt2))
        for (auto [p, q] : {std::pair(inner.getLhs(), inner.getRhs()),
                            std::pair(inner.getRhs(), inner.getLhs())})
          if (Value erfIn = matchOnePlusErf(q); erfIn && erfIn == p)
            x = p;
      } else if (Value erfIn = matchOnePlusErf(b)) {
        // inner = x * 0.5
        Value half;
        if (isSplatNear(inner.getRhs(), 0.5, 0))
          half = inner.getLhs();
        else if (isSplatNear(inner.getLhs(), 0.5, 0))
          half = inner.getRhs();
        if (half && half == erfIn)
          x = half;
      }
      if (x)
        break;
    }
    if (!x)
      return rewriter.notifyMatchFailure(root, "not the erf form of GELU");
    if (x.getType() != root.getType())
      return rewriter.notifyMatchFailure(root, "broadcasting changes the type");
    rewriter.replaceOpWithNewOp<GeluOp>(root, x);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Linear
//===----------------------------------------------------------------------===//

struct RaiseMatMulToLinear : OpRewritePattern<MatMulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MatMulOp op,
                                PatternRewriter &rewriter) const override {
    Value weight = op.getRhs();
    if (!isConstant(weight) ||
        cast<RankedTensorType>(weight.getType()).getRank() != 2)
      return rewriter.notifyMatchFailure(op,
                                         "rhs is not a constant 2-D weight");
    if (cast<RankedTensorType>(op.getLhs().getType()).getRank() < 2)
      return rewriter.notifyMatchFailure(op, "lhs rank below 2");
    rewriter.replaceOpWithNewOp<LinearOp>(op, op.getLhs(), weight, Value());
    return success();
  }
};

struct FoldBiasIntoLinear : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AddOp add,
                                PatternRewriter &rewriter) const override {
    Value bias;
    auto linear = operandDefinedBy<LinearOp>(add, bias);
    if (!linear || linear.getBias() || !linear->hasOneUse())
      return rewriter.notifyMatchFailure(add, "no bias-free linear operand");
    auto biasType = cast<RankedTensorType>(bias.getType());
    int64_t n =
        cast<RankedTensorType>(linear.getWeight().getType()).getDimSize(1);
    if (!isConstant(bias) || biasType.getRank() != 1 ||
        biasType.getDimSize(0) != n || add.getType() != linear.getType())
      return rewriter.notifyMatchFailure(add,
                                         "other operand is not a [N] bias");
    rewriter.replaceOpWithNewOp<LinearOp>(add, linear.getInput(),
                                          linear.getWeight(), bias);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Swish
//===----------------------------------------------------------------------===//

struct RaiseSwishPattern : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MulOp mul,
                                PatternRewriter &rewriter) const override {
    for (auto [a, b] : {std::pair(mul.getLhs(), mul.getRhs()),
                        std::pair(mul.getRhs(), mul.getLhs())}) {
      auto sigmoid = b.getDefiningOp<SigmoidOp>();
      if (sigmoid && sigmoid.getInput() == a && a.getType() == mul.getType()) {
        rewriter.replaceOpWithNewOp<SwishOp>(mul, a);
        return success();
      }
    }
    return rewriter.notifyMatchFailure(mul, "not x * sigmoid(x)");
  }
};

//===----------------------------------------------------------------------===//
// Passes
//===----------------------------------------------------------------------===//

template <typename Derived, typename Base, typename... Patterns>
struct RaisePassBase : Base {
  void runOnOperation() override {
    RewritePatternSet patterns(&this->getContext());
    patterns.add<Patterns...>(&this->getContext());
    if (failed(
            applyPatternsGreedily(this->getOperation(), std::move(patterns))))
      this->signalPassFailure();
  }
};

struct IQRaiseLayerNormPass
    : RaisePassBase<IQRaiseLayerNormPass,
                    iqc::iq::impl::IQRaiseLayerNormBase<IQRaiseLayerNormPass>,
                    RaiseLayerNormPattern> {};
struct IQRaiseGeluPass
    : RaisePassBase<IQRaiseGeluPass,
                    iqc::iq::impl::IQRaiseGeluBase<IQRaiseGeluPass>,
                    RaiseGeluPattern> {};
struct IQRaiseLinearPass
    : RaisePassBase<IQRaiseLinearPass,
                    iqc::iq::impl::IQRaiseLinearBase<IQRaiseLinearPass>,
                    RaiseMatMulToLinear, FoldBiasIntoLinear> {};
struct IQRaiseSwishPass
    : RaisePassBase<IQRaiseSwishPass,
                    iqc::iq::impl::IQRaiseSwishBase<IQRaiseSwishPass>,
                    RaiseSwishPattern> {};

} // namespace

void iqc::iq::buildRaisePipeline(OpPassManager &pm) {
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createIQRaiseLayerNorm());
  pm.addPass(createIQRaiseLinear());
  pm.addPass(createIQRaiseGelu());
  pm.addPass(createIQRaiseSwish());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void iqc::iq::registerPasses() {
  registerIQPasses();
  PassPipelineRegistration<>(
      "iq-raise",
      "Raise torch-exported LayerNorm, linear, GELU and swish subgraphs to "
      "semantic iq ops (canonicalize, raise-*, canonicalize, cse)",
      buildRaisePipeline);
}
