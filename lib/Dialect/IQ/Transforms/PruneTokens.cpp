//===- PruneTokens.cpp - Learned token pruning with compaction ------------===//
//
// iq-prune-tokens: LTP (Kim et al., KDD 2022) in the form of
// shared/INTEGER-KERNELS.md, but with the pruned tokens removed instead of
// masked. The published implementation multiplies pruned tokens by a mask
// and so computes as much as before; here each pruned layer gathers the
// kept tokens of every example to the front of the sequence (padded to
// the batch's longest), so every later matmul, LayerNorm and softmax runs
// on fewer rows. Kept tokens compute exactly what they would in the masked
// form: pruned tokens are never keys again (the softmax masks follow the
// compaction), query rows that are padding or pruned do not count towards
// importance, and L_orig stays in the denominator.
//
//===----------------------------------------------------------------------===//

#include "iqc/Dialect/IQ/Transforms/Passes.h"
#include "iqc/Dialect/IQ/Transforms/QuantPoints.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/SetVector.h"

#include <cmath>

namespace iqc::iq {
#define GEN_PASS_DEF_IQPRUNETOKENS
#include "iqc/Dialect/IQ/Transforms/Passes.h.inc"
} // namespace iqc::iq

using namespace mlir;
using namespace iqc::iq;

int64_t iqc::iq::pruneFixedThreshold(double theta) {
  if (!(theta > 0))
    return 0;
  return (int64_t)std::llround(std::ldexp(std::max(1e-5, theta), 40));
}

namespace {

constexpr int64_t kDyn = ShapedType::kDynamic;


/// One attention layer: its softmax and how its mask is given.
struct Layer {
  Operation *softmax;   // iq.isoftmax or float iq.softmax
  Value probs;          // [B, H, L, L]
  Operation *maskAdd;   // float: the iq.add of the additive mask, or null
};

struct Pruner {
  func::FuncOp func;
  OpBuilder b;
  bool integer = true;

  explicit Pruner(func::FuncOp f) : func(f), b(f.getContext()) {}

  InFlightDiagnostic error(Operation *op) {
    return op->emitError() << "iq-prune-tokens: ";
  }

  Value idx(Location loc, int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v);
  }
  Value dim(Location loc, Value t, int64_t d) {
    return tensor::DimOp::create(b, loc, t, d);
  }

  /// A [B, L] i1 tensor of `true`.
  Value allTrue(Location loc, Value B, Value L) {
    Value e = tensor::EmptyOp::create(
        b, loc, ArrayRef<OpFoldResult>{B, L}, b.getI1Type());
    Value t = arith::ConstantOp::create(b, loc, b.getBoolAttr(true));
    return linalg::FillOp::create(b, loc, t, e).getResult(0);
  }

  /// [B, L] i64 positions 0 .. L-1.
  Value positions(Location loc, Value B, Value L) {
    auto type = RankedTensorType::get({kDyn, kDyn}, b.getI64Type());
    return tensor::GenerateOp::create(
        b, loc, type, ValueRange{B, L},
        [&](OpBuilder &nb, Location l, ValueRange ivs) {
          tensor::YieldOp::create(
              nb, l,
              arith::IndexCastOp::create(nb, l, nb.getI64Type(), ivs[1])
                  .getResult());
        });
  }

  /// [B, L] -> [B, 1, 1, L] (the softmax mask's broadcast shape).
  Value asKeyMask(Location loc, Value alive) {
    Value B = dim(loc, alive, 0), L = dim(loc, alive, 1);
    auto type = RankedTensorType::get({kDyn, 1, 1, kDyn}, b.getI1Type());
    return tensor::ExpandShapeOp::create(
        b, loc, type, alive, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}},
        ArrayRef<OpFoldResult>{B, b.getIndexAttr(1), b.getIndexAttr(1), L});
  }

  /// BERT's additive mask from an i1 keep mask: (1 - keep) * -10000.
  Value additiveMask(Location loc, Value keyMask, Type f) {
    auto t = tensorType(keyMask).clone(f);
    Value x = CastOp::create(b, loc, t, keyMask);
    auto scalar = RankedTensorType::get({}, f);
    Value one = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(scalar, b.getFloatAttr(f, 1.0)));
    Value big = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(scalar, b.getFloatAttr(f, -10000.0)));
    return MulOp::create(b, loc, SubOp::create(b, loc, one, x), big);
  }

  /// The first LayerNorm the softmax's result reaches: the end of the
  /// layer's attention block.
  Operation *attentionNorm(Value probs) {
    SmallVector<Value> work{probs};
    llvm::SmallPtrSet<Operation *, 32> seen;
    Operation *best = nullptr;
    while (!work.empty()) {
      Value v = work.pop_back_val();
      for (Operation *user : v.getUsers()) {
        if (!seen.insert(user).second)
          continue;
        if (isa<ILayerNormOp, LayerNormOp>(user)) {
          if (!best || user->isBeforeInBlock(best))
            best = user;
          continue;
        }
        for (Value r : user->getResults())
          work.push_back(r);
      }
    }
    return best;
  }

  FailureOr<SmallVector<Layer>> findLayers() {
    SmallVector<Layer> layers;
    func.walk([&](ISoftmaxOp s) {
      layers.push_back({s, s.getResult(), nullptr});
    });
    if (layers.empty()) {
      integer = false;
      bool bad = false;
      func.walk([&](SoftmaxOp s) {
        if (isa<FloatType>(s.getType().getElementType())) {
          Operation *add = nullptr;
          if (auto a = s.getInput().getDefiningOp<AddOp>())
            if (additiveMaskSource(a.getLhs()) || additiveMaskSource(a.getRhs()))
              add = a;
          layers.push_back({s, s.getResult(), add});
        } else {
          error(s) << "runs after iq-lower-quantized on integer models (the "
                      "quantized softmax has no integer form yet)";
          bad = true;
        }
      });
      if (bad)
        return failure();
    }
    for (Layer &l : layers)
      if (tensorType(l.probs).getRank() != 4) {
        error(l.softmax) << "expects attention probabilities [B, H, L, L]";
        return failure();
      }
    return layers;
  }

  /// The [B, L] keep mask the first layer starts from.
  FailureOr<Value> initialAlive(const Layer &first) {
    Location loc = first.softmax->getLoc();
    // The logits have the probabilities' shape and come before the softmax.
    Value logits = first.softmax->getOperand(0);
    b.setInsertionPoint(first.softmax);
    Value mask;
    if (integer) {
      mask = cast<ISoftmaxOp>(first.softmax).getMask();
    } else if (first.maskAdd) {
      auto add = cast<AddOp>(first.maskAdd);
      CastOp src = additiveMaskSource(add.getLhs());
      if (!src)
        src = additiveMaskSource(add.getRhs());
      mask = CastOp::create(b, loc,
                            tensorType(src.getInput()).clone(b.getI1Type()),
                            src.getInput());
    }
    Value B = dim(loc, logits, 0), L = dim(loc, logits, 3);
    if (!mask)
      return allTrue(loc, B, L);
    auto mt = tensorType(mask);
    if (mt.getRank() != 4 || mt.getDimSize(1) != 1 || mt.getDimSize(2) != 1) {
      error(first.softmax) << "expects a key mask of shape [B, 1, 1, L], got "
                           << shapeString(mt.getShape());
      return failure();
    }
    return tensor::CollapseShapeOp::create(
               b, loc, mask, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}})
        .getResult();
  }

  /// The layer's softmax now sees only the `alive` keys.
  void remask(const Layer &layer, Value alive) {
    Location loc = layer.softmax->getLoc();
    b.setInsertionPoint(layer.softmax);
    Value keyMask = asKeyMask(loc, alive);
    if (auto s = dyn_cast<ISoftmaxOp>(layer.softmax)) {
      s.getMaskMutable().assign(keyMask);
      return;
    }
    auto s = cast<SoftmaxOp>(layer.softmax);
    Type f = s.getType().getElementType();
    Value bias = additiveMask(loc, keyMask, f);
    Value logits = s.getInput();
    if (layer.maskAdd) {
      auto add = cast<AddOp>(layer.maskAdd);
      logits = additiveMaskSource(add.getLhs()) ? add.getRhs() : add.getLhs();
    }
    Value masked = AddOp::create(b, loc, logits, bias);
    s.getInputMutable().assign(masked);
  }

  /// Tokens per example in `alive`, [B, 1] i64.
  Value countColumn(Location loc, Value alive) {
    MLIRContext *ctx = b.getContext();
    Value B = dim(loc, alive, 0);
    auto t = RankedTensorType::get({kDyn}, b.getI64Type());
    Value zero = arith::ConstantIntOp::create(b, loc, 0, 64);
    Value empty = tensor::EmptyOp::create(b, loc, ArrayRef<OpFoldResult>{B},
                                          b.getI64Type());
    Value init = linalg::FillOp::create(b, loc, zero, empty).getResult(0);
    auto d0 = getAffineDimExpr(0, ctx), d1 = getAffineDimExpr(1, ctx);
    Value count =
        linalg::GenericOp::create(
            b, loc, t, ValueRange{alive}, ValueRange{init},
            {AffineMap::get(2, 0, {d0, d1}, ctx), AffineMap::get(2, 0, {d0}, ctx)},
            {utils::IteratorType::parallel, utils::IteratorType::reduction},
            [&](OpBuilder &nb, Location l, ValueRange a) {
              Value one = arith::ExtUIOp::create(nb, l, nb.getI64Type(), a[0]);
              linalg::YieldOp::create(
                  nb, l, ValueRange{arith::AddIOp::create(nb, l, a[1], one)});
            })
            .getResult(0);
    return tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get({kDyn, 1}, b.getI64Type()), count,
        ArrayRef<ReassociationIndices>{{0, 1}},
        ArrayRef<OpFoldResult>{B, b.getIndexAttr(1)});
  }

  /// Sizes the importer took from the input length (reshapes into heads,
  /// transpose destinations) now come from the compacted tensors.
  void resizeReshapes(const llvm::SetVector<Operation *> &ops) {
    for (Operation *op : ops) {
      b.setInsertionPoint(op);
      Location loc = op->getLoc();
      if (auto ex = dyn_cast<tensor::ExpandShapeOp>(op)) {
        ArrayRef<int64_t> out = ex.getResultType().getShape();
        SmallVector<Value> dyn;
        for (auto [g, group] : llvm::enumerate(ex.getReassociationIndices())) {
          int64_t staticProduct = 1;
          unsigned dynamicDims = 0;
          for (int64_t d : group) {
            if (ShapedType::isDynamic(out[d]))
              ++dynamicDims;
            else
              staticProduct *= out[d];
          }
          for (int64_t d : group) {
            if (!ShapedType::isDynamic(out[d]))
              continue;
            if (dynamicDims != 1) {
              dyn.clear();
              break;
            }
            Value size = dim(loc, ex.getSrc(), g);
            if (staticProduct != 1)
              size = arith::DivUIOp::create(b, loc, size, idx(loc, staticProduct));
            dyn.push_back(size);
          }
          if (dynamicDims > 1)
            break;
        }
        if (dyn.size() == ex.getOutputShape().size())
          ex.getOutputShapeMutable().assign(dyn);
        continue;
      }
      if (auto tr = dyn_cast<linalg::TransposeOp>(op)) {
        auto empty = tr.getInit().getDefiningOp<tensor::EmptyOp>();
        if (!empty)
          continue;
        SmallVector<OpFoldResult> in =
            tensor::getMixedSizes(b, loc, tr.getInput());
        SmallVector<OpFoldResult> sizes;
        for (int64_t p : tr.getPermutation())
          sizes.push_back(in[p]);
        Value init = tensor::EmptyOp::create(
            b, loc, sizes, getElementTypeOrSelf(empty.getType()));
        tr.getInitMutable().assign(init);
      }
    }
  }

  LogicalResult run(ArrayRef<double> theta, bool runtime, bool report) {
    FailureOr<SmallVector<Layer>> found = findLayers();
    if (failed(found))
      return failure();
    SmallVector<Layer> &layers = *found;
    int64_t N = layers.size();
    if (N == 0) {
      func.emitError() << "iq-prune-tokens: the model has no attention softmax";
      return failure();
    }
    if (theta.size() != (size_t)N) {
      func.emitError() << "iq-prune-tokens: " << theta.size()
                       << " thresholds for " << N << " attention layers";
      return failure();
    }
    bool prunes = runtime || llvm::any_of(theta, [](double t) { return t > 0; });
    if (!prunes && !report)
      return success(); // threshold 0 everywhere: the model as it is

    Value thresholdArg;
    if (runtime) {
      unsigned n = func.getNumArguments();
      auto t = RankedTensorType::get({N}, b.getI64Type());
      if (failed(func.insertArgument(
              n, t,
              b.getDictionaryAttr(
                  b.getNamedAttr("iq.name", b.getStringAttr("prune_thresholds"))),
              func.getLoc())))
        return failure();
      thresholdArg = func.getArgument(n);
    }

    FailureOr<Value> alive0 = initialAlive(layers.front());
    if (failed(alive0))
      return failure();
    Value alive = *alive0;
    Location loc0 = layers.front().softmax->getLoc();
    Value lOrig = dim(loc0, alive, 1);
    Value orig = positions(loc0, dim(loc0, alive, 0), lOrig);
    SmallVector<Value> compacted;
    SmallVector<Value> counts;

    for (int64_t l = 0; l < N; ++l) {
      Layer &layer = layers[l];
      if (!compacted.empty())
        remask(layer, alive);
      bool prune = runtime ? l > 0 : theta[l] > 0;
      Operation *ln = prune ? attentionNorm(layer.probs) : nullptr;
      if (prune && !ln) {
        error(layer.softmax) << "found no LayerNorm after this attention "
                                "layer to compact its output at";
        return failure();
      }
      if (prune) {
        Location loc = layer.softmax->getLoc();
        b.setInsertionPointAfter(layer.softmax);
        auto pt = tensorType(layer.probs);
        int64_t heads = pt.getDimSize(1);
        if (ShapedType::isDynamic(heads)) {
          error(layer.softmax) << "needs a static number of heads";
          return failure();
        }
        Type sumType =
            integer ? (Type)b.getI64Type() : (Type)pt.getElementType();
        auto st = RankedTensorType::get({pt.getDimSize(0), pt.getDimSize(3)},
                                        sumType);
        Value imp = TokenImportanceOp::create(b, loc, st, layer.probs, alive);
        Value tv;
        if (runtime) {
          Value e = tensor::ExtractOp::create(b, loc, thresholdArg,
                                              ValueRange{idx(loc, l)});
          tv = tensor::FromElementsOp::create(
              b, loc, RankedTensorType::get({}, b.getI64Type()), e);
        }
        Value keep = PruneKeepOp::create(
            b, loc, tensorType(alive), imp, alive, lOrig, tv,
            b.getI64IntegerAttr(runtime ? 0 : pruneFixedThreshold(theta[l])),
            b.getI64IntegerAttr(heads));
        // Compact after the attention block.
        b.setInsertionPointAfter(ln);
        Location lnLoc = ln->getLoc();
        auto rows = RankedTensorType::get({kDyn, kDyn}, b.getI64Type());
        auto validType = RankedTensorType::get({kDyn, kDyn}, b.getI1Type());
        auto ci = CompactIndicesOp::create(b, lnLoc, TypeRange{rows, validType},
                                           keep);
        Value h = ln->getResult(0);
        auto ht = tensorType(h);
        SmallVector<int64_t> shape(ht.getShape());
        shape[1] = kDyn;
        Value h2 = GatherRowsOp::create(b, lnLoc, ht.clone(shape), h,
                                        ci.getIndices());
        h.replaceAllUsesExcept(h2, h2.getDefiningOp());
        orig = GatherRowsOp::create(b, lnLoc, rows, orig, ci.getIndices());
        alive = ci.getValid();
        compacted.push_back(h2);
      }
      if (report) {
        if (prune)
          b.setInsertionPointAfter(alive.getDefiningOp());
        else
          b.setInsertionPoint(layer.softmax);
        counts.push_back(countColumn(layer.softmax->getLoc(), alive));
      }
    }

    auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
    llvm::SetVector<Operation *> reached;
    SmallVector<Value> work(compacted);
    while (!work.empty()) {
      Value v = work.pop_back_val();
      for (Operation *u : v.getUsers())
        if (reached.insert(u))
          for (Value r : u->getResults())
            work.push_back(r);
    }
    resizeReshapes(reached);
    // Token outputs computed from compacted rows go back to their
    // positions.
    for (OpOperand &o : ret->getOpOperands()) {
      Value v = o.get();
      Operation *def = v.getDefiningOp();
      auto vt = dyn_cast<RankedTensorType>(v.getType());
      if (!def || !reached.contains(def) || !vt || vt.getRank() < 3)
        continue;
      // Scatter the integers before an output dequantization.
      Value data = v;
      auto dq = dyn_cast<quant::DequantizeCastOp>(def);
      auto sc = dq ? dq.getInput().getDefiningOp<quant::StorageCastOp>() : nullptr;
      if (sc)
        data = sc.getInput();
      b.setInsertionPoint(sc ? (Operation *)sc : ret.getOperation());
      Location loc = data.getLoc();
      auto dt = tensorType(data);
      SmallVector<int64_t> shape(dt.getShape());
      shape[1] = kDyn;
      Value full = ScatterRowsOp::create(b, loc, dt.clone(shape), data, orig,
                                         alive, lOrig);
      if (sc)
        sc.getInputMutable().assign(full);
      else
        o.set(full);
    }
    if (report) {
      b.setInsertionPoint(ret);
      Location loc = ret.getLoc();
      Value kept = counts.size() == 1
                       ? counts.front()
                       : tensor::ConcatOp::create(b, loc, 1, counts).getResult();
      unsigned n = func.getNumResults();
      if (failed(func.insertResult(
              n, kept.getType(),
              b.getDictionaryAttr(
                  b.getNamedAttr("iq.name", b.getStringAttr("kept_tokens"))))))
        return failure();
      ret->insertOperands(n, kept);
    }
    return success();
  }
};

struct IQPruneTokensPass : iqc::iq::impl::IQPruneTokensBase<IQPruneTokensPass> {
  using Base::Base;
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isDeclaration() || func.isPrivate())
      return;
    if (!thresholds.empty() && finalThreshold != 0.0) {
      func.emitError() << "iq-prune-tokens: give thresholds or "
                          "final-threshold, not both";
      return signalPassFailure();
    }
    Pruner p(func);
    SmallVector<double> thetas(thresholds.begin(), thresholds.end());
    if (thetas.empty()) {
      // theta_l = theta l / N, counted below once the layers are known.
      int64_t n = 0;
      func.walk([&](Operation *op) {
        if (isa<ISoftmaxOp>(op) ||
            (isa<SoftmaxOp>(op) &&
             isa<FloatType>(getElementTypeOrSelf(op->getResult(0).getType()))))
          ++n;
      });
      for (int64_t l = 0; l < n; ++l)
        thetas.push_back(finalThreshold * (double)l / (double)n);
    }
    if (failed(p.run(thetas, runtimeThresholds, reportKept)))
      signalPassFailure();
  }
};

} // namespace
