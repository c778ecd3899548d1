//===- ONNXImporter.cpp - ONNX graph to iq
//---------------------------------===//
//
// Converts an ONNX graph into one `func.func`. Arithmetic that quantization
// rewrites becomes `iq` ops; data movement becomes upstream `tensor`/`linalg`
// ops; QuantizeLinear/DequantizeLinear become upstream `quant` casts. Small
// integer tensors that describe shapes are evaluated symbolically (see
// SymbolicShape.h), so torch's Shape->Gather->Concat->Reshape chains fold to
// static shapes or to `tensor.dim`-based sizes without run-time shape ops.
//
// Every diagnostic names the node (name and op type) or tensor at fault.
//
//===----------------------------------------------------------------------===//

#include "iqc/Import/ONNXImporter.h"
#include "iqc/Dialect/IQ/IR/IQOps.h"
#include "iqc/Import/ONNXModel.h"
#include "iqc/Import/SymbolicShape.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace iqc;
using iqc::iq::shapeString;

namespace {

/// Compile-time contents of a small (rank <= 1) integer tensor.
struct Known {
  SmallVector<int64_t> shape;
  SmallVector<SymDim> elems;
  Type elementType;

  bool allConstant() const {
    return llvm::all_of(elems, [](const SymDim &d) { return d.isConstant(); });
  }
};

struct Entry {
  Value value;
  std::optional<Known> known;
};

constexpr int64_t kMaxKnownElements = 64;

class GraphImporter;
using Handler = LogicalResult (GraphImporter::*)(const onnx::NodeProto &);

class GraphImporter {
public:
  GraphImporter(MLIRContext *ctx, StringRef fileName,
                const ONNXImportOptions &options)
      : ctx(ctx), b(ctx), fileName(fileName.str()), options(options),
        loc(FileLineColLoc::get(ctx, fileName, 0, 0)) {}

  OwningOpRef<ModuleOp> run(onnx::ModelProto &model);

  static const llvm::StringMap<Handler> &handlers();

private:
  //===--------------------------------------------------------------------===//
  // Diagnostics
  //===--------------------------------------------------------------------===//
  InFlightDiagnostic nodeError() {
    return emitError(loc) << "node '" << nodeName << "' (" << node->op_type()
                          << "): ";
  }
  InFlightDiagnostic modelError() { return emitError(fileLoc()); }
  Location fileLoc() { return FileLineColLoc::get(ctx, fileName, 0, 0); }

  //===--------------------------------------------------------------------===//
  // Graph setup
  //===--------------------------------------------------------------------===//
  LogicalResult checkOpsets(const onnx::ModelProto &model);
  LogicalResult checkSupportedOps(const onnx::GraphProto &graph);
  FailureOr<RankedTensorType>
  valueInfoType(const onnx::ValueInfoProto &info,
                SmallVectorImpl<StringRef> &dimNames);
  LogicalResult importInitializer(onnx::TensorProto &tensor);
  LogicalResult importNode(const onnx::NodeProto &node);

  //===--------------------------------------------------------------------===//
  // Values
  //===--------------------------------------------------------------------===//
  bool hasInput(int i) const {
    return i < node->input_size() && !node->input(i).empty();
  }
  /// Materialized operand `i` (null if absent).
  Value input(int i);
  /// Compile-time integer contents of operand `i`, if known.
  const Known *known(int i);
  FailureOr<SmallVector<int64_t>> constantInts(int i, StringRef what);
  FailureOr<std::optional<double>> constantScalar(int i);
  ElementsAttr constantAttr(int i);
  void setOutput(int i, Value v) {
    if (i < node->output_size() && !node->output(i).empty())
      values[node->output(i)] = Entry{v, std::nullopt};
  }
  /// Sets output 0 to `result`, propagating an inference failure.
  LogicalResult setResult(FailureOr<Value> result) {
    if (failed(result))
      return failure();
    setOutput(0, *result);
    return success();
  }
  void setKnown(int i, Known k) {
    if (i < node->output_size() && !node->output(i).empty())
      values[node->output(i)] = Entry{Value(), std::move(k)};
  }
  Value materialize(Entry &entry);
  Value materializeKnown(const Known &k);
  void recordKnownConstant(StringRef name, ElementsAttr attr);
  Value createConstant(ElementsAttr attr) {
    return arith::ConstantOp::create(b, loc, cast<TypedAttr>(attr));
  }
  Value scalarConstant(Type type, double value) {
    auto tensorType = RankedTensorType::get({}, type);
    Attribute element = isa<FloatType>(type)
                            ? Attribute(b.getFloatAttr(type, value))
                            : Attribute(b.getIntegerAttr(type, (int64_t)value));
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(tensorType, element));
  }

  //===--------------------------------------------------------------------===//
  // Symbolic dimensions
  //===--------------------------------------------------------------------===//
  SymDim dimOf(Value v, int64_t i);
  SmallVector<SymDim> dimsOf(Value v) {
    SmallVector<SymDim> dims;
    for (int64_t i = 0, e = cast<RankedTensorType>(v.getType()).getRank();
         i < e; ++i)
      dims.push_back(dimOf(v, i));
    return dims;
  }
  SymDim symOfIndex(Value idx) {
    auto it = indexSyms.find(idx);
    return it != indexSyms.end() ? it->second : SymDim::atom(idx);
  }
  SymDim symOfFoldResult(OpFoldResult ofr) {
    if (auto attr = dyn_cast<Attribute>(ofr))
      return SymDim::constant(cast<IntegerAttr>(attr).getInt());
    return symOfIndex(cast<Value>(ofr));
  }
  Value indexValue(const SymDim &d);
  OpFoldResult foldResult(const SymDim &d) {
    if (auto c = d.getConstant())
      return b.getIndexAttr(*c);
    return indexValue(d);
  }
  SymDim opaque(Value idx) {
    SymDim d = SymDim::atom(idx);
    indexSyms[idx] = d;
    return d;
  }
  SymDim symAdd(const SymDim &a, const SymDim &c, bool subtract);
  SymDim symDiv(const SymDim &a, const SymDim &c);
  static SmallVector<int64_t> staticShape(ArrayRef<SymDim> dims) {
    return llvm::map_to_vector(dims, [](const SymDim &d) {
      return d.getConstant().value_or(ShapedType::kDynamic);
    });
  }

  //===--------------------------------------------------------------------===//
  // Shared builders
  //===--------------------------------------------------------------------===//
  Value emptyTensor(ArrayRef<SymDim> dims, Type elementType);
  /// A tensor of shape `dims` whose element at index i is x[srcIndex(i)]: a
  /// linalg.generic reading `x` with tensor.extract (reversals, edge and
  /// reflect padding).
  Value gatherElements(
      Value x, ArrayRef<SymDim> dims,
      function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange)>
          srcIndex);
  FailureOr<Value> reshapeTo(Value x, ArrayRef<SymDim> outDims);
  FailureOr<Value> broadcastTo(Value x, ArrayRef<SymDim> target);
  Value transpose(Value x, ArrayRef<int64_t> perm);
  FailureOr<int64_t> normalizeAxis(int64_t axis, int64_t rank);
  /// Non-negative axes, checked for range and duplicates; sorted unless
  /// `keepOrder` (when the axes pair up with other lists).
  FailureOr<SmallVector<int64_t>>
  normalizeAxes(ArrayRef<int64_t> axes, int64_t rank, bool keepOrder = false);
  ElementsAttr transposeConstant2D(ElementsAttr attr);
  /// Input i as a dense constant (also when it is stored as a resource
  /// blob), or null.
  DenseElementsAttr denseConstant(int i);

  /// Creates a single-result op whose result type is inferred; reports the
  /// inference error (at the node) instead of aborting.
  template <typename OpTy, typename... Args>
  FailureOr<Value> createInferred(Args &&...args) {
    auto op =
        OpTy::create(b, loc, b.getNoneType(), std::forward<Args>(args)...);
    SmallVector<Type> types;
    if (failed(OpTy::inferReturnTypes(
            ctx, loc, op->getOperands(), op->getAttrDictionary(),
            op->getPropertiesStorage(), op->getRegions(), types))) {
      op->erase();
      return failure();
    }
    op->getResult(0).setType(types.front());
    return op->getResult(0);
  }

  //===--------------------------------------------------------------------===//
  // Attributes
  //===--------------------------------------------------------------------===//
  const onnx::AttributeProto *attr(StringRef name) const {
    for (const auto &a : node->attribute())
      if (a.name() == name)
        return &a;
    return nullptr;
  }
  int64_t attrInt(StringRef name, int64_t dflt) const {
    const auto *a = attr(name);
    return a ? a->i() : dflt;
  }
  float attrFloat(StringRef name, float dflt) const {
    const auto *a = attr(name);
    return a ? a->f() : dflt;
  }
  std::string attrString(StringRef name, StringRef dflt) const {
    const auto *a = attr(name);
    return a ? a->s() : dflt.str();
  }
  std::optional<SmallVector<int64_t>> attrInts(StringRef name) const {
    const auto *a = attr(name);
    if (!a)
      return std::nullopt;
    return SmallVector<int64_t>(a->ints().begin(), a->ints().end());
  }
  /// Axes from the `axes` attribute (old opsets) or input `index` (new).
  FailureOr<std::optional<SmallVector<int64_t>>> axesArg(int index);

public:
  //===--------------------------------------------------------------------===//
  // Op handlers
  //===--------------------------------------------------------------------===//
  template <typename OpTy> LogicalResult importBinary(const onnx::NodeProto &);
  template <typename OpTy> LogicalResult importUnary(const onnx::NodeProto &);
  template <iq::CmpPredicate Pred>
  LogicalResult importCompare(const onnx::NodeProto &);
  LogicalResult importNot(const onnx::NodeProto &);
  LogicalResult importWhere(const onnx::NodeProto &);
  LogicalResult importCast(const onnx::NodeProto &);
  LogicalResult importIdentity(const onnx::NodeProto &);
  LogicalResult importDropout(const onnx::NodeProto &);
  LogicalResult importMatMul(const onnx::NodeProto &);
  LogicalResult importGemm(const onnx::NodeProto &);
  LogicalResult importSoftmax(const onnx::NodeProto &);
  LogicalResult importLayerNorm(const onnx::NodeProto &);
  template <typename OpTy> LogicalResult importReduce(const onnx::NodeProto &);
  LogicalResult importTranspose(const onnx::NodeProto &);
  LogicalResult importReshape(const onnx::NodeProto &);
  LogicalResult importFlatten(const onnx::NodeProto &);
  LogicalResult importSqueeze(const onnx::NodeProto &);
  LogicalResult importUnsqueeze(const onnx::NodeProto &);
  LogicalResult importGather(const onnx::NodeProto &);
  LogicalResult importConcat(const onnx::NodeProto &);
  LogicalResult importSlice(const onnx::NodeProto &);
  LogicalResult importSplit(const onnx::NodeProto &);
  LogicalResult importPad(const onnx::NodeProto &);
  LogicalResult importTile(const onnx::NodeProto &);
  LogicalResult importExpand(const onnx::NodeProto &);
  LogicalResult importConstant(const onnx::NodeProto &);
  LogicalResult importConstantOfShape(const onnx::NodeProto &);
  LogicalResult importShape(const onnx::NodeProto &);
  LogicalResult importRange(const onnx::NodeProto &);
  LogicalResult importConv(const onnx::NodeProto &);
  LogicalResult importBatchNorm(const onnx::NodeProto &);
  LogicalResult importQuantizeLinear(const onnx::NodeProto &);
  LogicalResult importDequantizeLinear(const onnx::NodeProto &);
  LogicalResult importDynamicQuantizeLinear(const onnx::NodeProto &);
  LogicalResult importMatMulInteger(const onnx::NodeProto &);

private:
  FailureOr<Type> quantizedType(int scaleIndex, int zeroPointIndex,
                                int64_t rank, Type expressed,
                                Type defaultStorage);
  LogicalResult knownBinary(const onnx::NodeProto &node, const Known &lhs,
                            const Known &rhs);
  FailureOr<SmallVector<SymDim>> knownShapeArg(int i, StringRef what);

  MLIRContext *ctx;
  OpBuilder b;
  std::string fileName;
  const ONNXImportOptions &options;
  TensorDecodeOptions decodeOptions;
  Location loc;
  int64_t opset = 0;
  const onnx::NodeProto *node = nullptr;
  std::string nodeName;
  llvm::StringMap<Entry> values;
  DenseMap<std::pair<Value, int64_t>, SymDim> dimCache;
  DenseMap<Value, SymDim> indexSyms;
  llvm::StringMap<SymDim> dimParams;
};

} // namespace

//===----------------------------------------------------------------------===//
// Values and constants
//===----------------------------------------------------------------------===//

Value GraphImporter::input(int i) {
  if (!hasInput(i))
    return {};
  auto it = values.find(node->input(i));
  assert(it != values.end() && "inputs are checked before import");
  return materialize(it->second);
}

const Known *GraphImporter::known(int i) {
  if (!hasInput(i))
    return nullptr;
  auto it = values.find(node->input(i));
  if (it == values.end() || !it->second.known)
    return nullptr;
  return &*it->second.known;
}

Value GraphImporter::materialize(Entry &entry) {
  if (!entry.value)
    entry.value = materializeKnown(*entry.known);
  return entry.value;
}

Value GraphImporter::materializeKnown(const Known &k) {
  auto type = RankedTensorType::get(k.shape, k.elementType);
  if (k.allConstant()) {
    SmallVector<APInt> ints;
    unsigned width = k.elementType.getIntOrFloatBitWidth();
    for (const SymDim &d : k.elems)
      ints.push_back(APInt(width, *d.getConstant(), /*isSigned=*/true,
                           /*implicitTrunc=*/true));
    return arith::ConstantOp::create(b, loc,
                                     DenseElementsAttr::get(type, ints));
  }
  SmallVector<Value> elems;
  for (const SymDim &d : k.elems)
    elems.push_back(
        arith::IndexCastOp::create(b, loc, k.elementType, indexValue(d)));
  return tensor::FromElementsOp::create(b, loc, type, elems);
}

void GraphImporter::recordKnownConstant(StringRef name, ElementsAttr attr) {
  auto type = cast<RankedTensorType>(attr.getType());
  auto intType = dyn_cast<IntegerType>(type.getElementType());
  auto dense = dyn_cast<DenseElementsAttr>(attr);
  if (!intType || !dense || type.getRank() > 1 ||
      type.getNumElements() > kMaxKnownElements)
    return;
  Known k;
  k.shape.assign(type.getShape().begin(), type.getShape().end());
  k.elementType = intType;
  for (const APInt &v : dense.getValues<APInt>())
    k.elems.push_back(
        SymDim::constant(intType.isUnsigned() || intType.getWidth() == 1
                             ? (int64_t)v.getZExtValue()
                             : v.getSExtValue()));
  values[name].known = std::move(k);
}

FailureOr<SmallVector<int64_t>> GraphImporter::constantInts(int i,
                                                            StringRef what) {
  const Known *k = known(i);
  if (!k || !k->allConstant())
    return nodeError() << what << " (input '" << node->input(i)
                       << "') must be a compile-time constant",
           failure();
  return llvm::map_to_vector(k->elems,
                             [](const SymDim &d) { return *d.getConstant(); });
}

FailureOr<SmallVector<SymDim>> GraphImporter::knownShapeArg(int i,
                                                            StringRef what) {
  const Known *k = known(i);
  if (!k || k->shape.size() != 1)
    return nodeError() << what << " (input '" << node->input(i)
                       << "') must be a 1-D shape computable at compile time "
                          "from constants and input dimensions",
           failure();
  return k->elems;
}

ElementsAttr GraphImporter::constantAttr(int i) {
  Value v = input(i);
  ElementsAttr attr;
  if (v && matchPattern(v, m_Constant(&attr)))
    return attr;
  return {};
}

DenseElementsAttr GraphImporter::denseConstant(int i) {
  ElementsAttr attr = constantAttr(i);
  if (auto dense = dyn_cast_if_present<DenseElementsAttr>(attr))
    return dense;
  // Large constants live in resource blobs; parameters read at import time
  // (per-channel quantization scales) are copied out of them.
  auto res = dyn_cast_if_present<DenseResourceElementsAttr>(attr);
  AsmResourceBlob *blob = res ? res.getRawHandle().getBlob() : nullptr;
  if (!blob || res.getElementType().isInteger(1))
    return {};
  auto type = cast<ShapedType>(res.getType());
  bool splat = false;
  if (!DenseElementsAttr::isValidRawBuffer(type, blob->getData(), splat))
    return {};
  return DenseElementsAttr::getFromRawBuffer(type, blob->getData());
}

/// The single value of a constant scalar (or 1-element) operand; nullopt if
/// the input is absent. Fails when present but not constant.
FailureOr<std::optional<double>> GraphImporter::constantScalar(int i) {
  if (!hasInput(i))
    return std::optional<double>();
  auto dense = dyn_cast_if_present<DenseElementsAttr>(constantAttr(i));
  if (!dense || dense.getNumElements() != 1)
    return nodeError() << "input '" << node->input(i)
                       << "' must be a constant scalar",
           failure();
  Attribute element = dense.getValues<Attribute>()[0];
  if (auto f = dyn_cast<FloatAttr>(element))
    return std::optional<double>(f.getValueAsDouble());
  return std::optional<double>(
      (double)cast<IntegerAttr>(element).getValue().getSExtValue());
}

//===----------------------------------------------------------------------===//
// Symbolic dimensions
//===----------------------------------------------------------------------===//

/// Follows a dynamic dimension back through shape-preserving ops so the same
/// run-time size gets the same symbol (needed to recognize reshapes as
/// expand/collapse with dynamic batch and sequence).
SymDim GraphImporter::dimOf(Value v, int64_t i) {
  auto type = cast<RankedTensorType>(v.getType());
  if (!type.isDynamicDim(i))
    return SymDim::constant(type.getDimSize(i));
  auto key = std::make_pair(v, i);
  if (auto it = dimCache.find(key); it != dimCache.end())
    return it->second;

  Operation *op = v.getDefiningOp();
  std::optional<SymDim> result;
  auto from = [&](Value operand, int64_t dim) {
    auto t = cast<RankedTensorType>(operand.getType());
    if (dim >= 0 && dim < t.getRank() && t.getDimSize(dim) != 1)
      result = dimOf(operand, dim);
  };
  auto fromBroadcast = [&](ValueRange operands) {
    int64_t rank = type.getRank();
    for (Value o : operands) {
      auto t = cast<RankedTensorType>(o.getType());
      int64_t j = i - (rank - t.getRank());
      if (j >= 0 && t.isDynamicDim(j)) {
        from(o, j);
        return;
      }
    }
  };
  if (op) {
    if (op->hasTrait<OpTrait::SameOperandsAndResultType>() ||
        isa<iq::CastOp, iq::LayerNormOp, iq::BatchNormOp, quant::QuantizeCastOp,
            quant::DequantizeCastOp, quant::StorageCastOp, tensor::BitcastOp,
            linalg::FillOp, iq::DynamicQuantizeOp>(op)) {
      from(op->getOperand(0), i);
    } else if (isa<iq::AddOp, iq::SubOp, iq::MulOp, iq::DivOp, iq::PowOp,
                   iq::CmpOp, iq::SelectOp>(op)) {
      fromBroadcast(op->getOperands());
    } else if (auto linear = dyn_cast<iq::LinearOp>(op)) {
      if (i < type.getRank() - 1)
        from(linear.getInput(), i);
    } else if (isa<iq::MatMulOp, iq::MatMulIntegerOp>(op)) {
      Value lhs = op->getOperand(0), rhs = op->getOperand(1);
      int64_t rank = type.getRank();
      if (i == rank - 2)
        from(lhs, cast<RankedTensorType>(lhs.getType()).getRank() - 2);
      else if (i == rank - 1)
        from(rhs, cast<RankedTensorType>(rhs.getType()).getRank() - 1);
      else
        fromBroadcast({lhs, rhs});
    } else if (auto gather = dyn_cast<iq::GatherOp>(op)) {
      int64_t axis = gather.getAxis();
      int64_t ir = gather.getIndices().getType().getRank();
      if (i < axis)
        from(gather.getData(), i);
      else if (i < axis + ir)
        from(gather.getIndices(), i - axis);
      else
        from(gather.getData(), i - ir + 1);
    } else if (auto conv = dyn_cast<iq::ConvOp>(op)) {
      if (i == 0)
        from(conv.getInput(), 0);
    } else if (auto tr = dyn_cast<linalg::TransposeOp>(op)) {
      from(tr.getInput(), tr.getPermutation()[i]);
    } else if (auto bc = dyn_cast<linalg::BroadcastOp>(op)) {
      ArrayRef<int64_t> added = bc.getDimensions();
      if (!llvm::is_contained(added, i))
        from(bc.getInput(),
             i - llvm::count_if(added, [&](int64_t d) { return d < i; }));
      else
        from(bc.getInit(), i);
    } else if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op)) {
      result = symOfFoldResult(expand.getMixedOutputShape()[i]);
    } else if (auto slice = dyn_cast<tensor::ExtractSliceOp>(op)) {
      if (slice.getType().getRank() == slice.getSourceType().getRank())
        result = symOfFoldResult(slice.getMixedSizes()[i]);
    } else if (auto empty = dyn_cast<tensor::EmptyOp>(op)) {
      result = symOfFoldResult(empty.getMixedSizes()[i]);
    } else if (auto gen = dyn_cast<tensor::GenerateOp>(op)) {
      result = symOfIndex(gen.getDynamicExtents()[type.getDynamicDimIndex(i)]);
    } else if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op)) {
      SymDim product = SymDim::constant(1);
      for (int64_t d : collapse.getReassociationIndices()[i])
        product = product * dimOf(collapse.getSrc(), d);
      result = product;
    } else if (auto reshape = dyn_cast<tensor::ReshapeOp>(op)) {
      if (auto fromElements =
              reshape.getShape().getDefiningOp<tensor::FromElementsOp>())
        if (auto cast_ = fromElements.getElements()[i]
                             .getDefiningOp<arith::IndexCastOp>())
          result = symOfIndex(cast_.getIn());
    } else if (auto concat = dyn_cast<tensor::ConcatOp>(op)) {
      if ((int64_t)concat.getDim() != i)
        fromBroadcast(concat.getInputs());
    } else if (isa<iq::ReduceSumOp, iq::ReduceMeanOp>(op)) {
      ArrayRef<int64_t> axes =
          cast<DenseI64ArrayAttr>(op->getAttr("axes")).asArrayRef();
      bool keep = op->hasAttr("keep_dims");
      int64_t src = 0, out = 0;
      auto inType = cast<RankedTensorType>(op->getOperand(0).getType());
      for (; src < inType.getRank(); ++src) {
        bool reduced = llvm::is_contained(axes, src);
        if (reduced && !keep)
          continue;
        if (out == i) {
          if (!reduced)
            from(op->getOperand(0), src);
          break;
        }
        ++out;
      }
    }
  }
  if (!result) {
    // A fresh symbol: tensor.dim at the current insertion point (after v).
    Value idx = tensor::DimOp::create(b, loc, v, i);
    result = opaque(idx);
  }
  dimCache[key] = *result;
  return *result;
}

Value GraphImporter::indexValue(const SymDim &d) {
  Value result;
  if (d.getCoeff() != 1 || d.isConstant())
    result = arith::ConstantIndexOp::create(b, loc, d.getCoeff());
  for (Value atom : d.getAtoms())
    result =
        result ? arith::MulIOp::create(b, loc, result, atom).getResult() : atom;
  if (!indexSyms.count(result))
    indexSyms[result] = d;
  return result;
}

SymDim GraphImporter::symAdd(const SymDim &a, const SymDim &c, bool subtract) {
  if (a.isConstant() && c.isConstant())
    return SymDim::constant(subtract ? a.getCoeff() - c.getCoeff()
                                     : a.getCoeff() + c.getCoeff());
  if (c.isConstant() && c.getCoeff() == 0)
    return a;
  Value lhs = indexValue(a), rhs = indexValue(c);
  Value r = subtract ? arith::SubIOp::create(b, loc, lhs, rhs).getResult()
                     : arith::AddIOp::create(b, loc, lhs, rhs).getResult();
  return opaque(r);
}

SymDim GraphImporter::symDiv(const SymDim &a, const SymDim &c) {
  if (std::optional<SymDim> exact = a.exactDiv(c))
    return *exact;
  if (a.isConstant() && c.isConstant() && c.getCoeff() != 0)
    return SymDim::constant(a.getCoeff() / c.getCoeff());
  return opaque(
      arith::DivSIOp::create(b, loc, indexValue(a), indexValue(c)).getResult());
}

//===----------------------------------------------------------------------===//
// Shared builders
//===----------------------------------------------------------------------===//

Value GraphImporter::emptyTensor(ArrayRef<SymDim> dims, Type elementType) {
  SmallVector<OpFoldResult> sizes;
  for (const SymDim &d : dims)
    sizes.push_back(foldResult(d));
  return tensor::EmptyOp::create(b, loc, sizes, elementType);
}

FailureOr<int64_t> GraphImporter::normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= std::max<int64_t>(rank, 1))
    return nodeError() << "axis " << axis << " is out of range for rank "
                       << rank,
           failure();
  return axis < 0 ? axis + rank : axis;
}

FailureOr<SmallVector<int64_t>>
GraphImporter::normalizeAxes(ArrayRef<int64_t> axes, int64_t rank,
                             bool keepOrder) {
  SmallVector<int64_t> out;
  for (int64_t a : axes) {
    if (a < -rank || a >= rank)
      return nodeError() << "axis " << a << " is out of range for rank "
                         << rank,
             failure();
    out.push_back(a < 0 ? a + rank : a);
  }
  SmallVector<int64_t> sorted(out);
  llvm::sort(sorted);
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
    return nodeError() << "axes contain duplicates", failure();
  return keepOrder ? out : sorted;
}

FailureOr<std::optional<SmallVector<int64_t>>>
GraphImporter::axesArg(int index) {
  if (auto axes = attrInts("axes"))
    return std::optional<SmallVector<int64_t>>(*axes);
  if (!hasInput(index))
    return std::optional<SmallVector<int64_t>>();
  FailureOr<SmallVector<int64_t>> axes = constantInts(index, "axes");
  if (failed(axes))
    return failure();
  return std::optional<SmallVector<int64_t>>(*axes);
}

/// Groups `big` into contiguous runs whose products equal the `small` dims.
static std::optional<SmallVector<ReassociationIndices>>
groupDims(ArrayRef<SymDim> big, ArrayRef<SymDim> small) {
  SmallVector<ReassociationIndices> groups;
  size_t pos = 0;
  for (const SymDim &target : small) {
    ReassociationIndices group;
    SymDim product = SymDim::constant(1);
    do {
      if (pos >= big.size())
        return std::nullopt;
      product = product * big[pos];
      group.push_back(pos++);
      if (product != target && !target.exactDiv(product))
        return std::nullopt;
    } while (product != target);
    groups.push_back(group);
  }
  // Trailing unit dims join the last group.
  for (; pos < big.size(); ++pos) {
    if (big[pos] != SymDim::constant(1) || groups.empty())
      return std::nullopt;
    groups.back().push_back(pos);
  }
  return groups;
}

FailureOr<Value> GraphImporter::reshapeTo(Value x, ArrayRef<SymDim> outDims) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<SymDim> inDims = dimsOf(x);
  if (inDims == SmallVector<SymDim>(outDims))
    return x;
  auto outType =
      RankedTensorType::get(staticShape(outDims), type.getElementType());
  auto allOnes = [](ArrayRef<SymDim> dims) {
    return llvm::all_of(
        dims, [](const SymDim &d) { return d == SymDim::constant(1); });
  };
  SmallVector<OpFoldResult> outSizes = llvm::map_to_vector(
      outDims, [&](const SymDim &d) { return foldResult(d); });
  if (outDims.empty() && allOnes(inDims))
    return tensor::CollapseShapeOp::create(b, loc, outType, x,
                                           ArrayRef<ReassociationIndices>{})
        .getResult();
  if (inDims.empty() && allOnes(outDims))
    return tensor::ExpandShapeOp::create(
               b, loc, outType, x, ArrayRef<ReassociationIndices>{}, outSizes)
        .getResult();
  if (outDims.size() < inDims.size())
    if (auto groups = groupDims(inDims, outDims))
      return tensor::CollapseShapeOp::create(b, loc, outType, x, *groups)
          .getResult();
  if (outDims.size() > inDims.size())
    if (auto groups = groupDims(outDims, inDims))
      return tensor::ExpandShapeOp::create(b, loc, outType, x, *groups,
                                           outSizes)
          .getResult();
  if (inDims.empty() || outDims.empty())
    return nodeError() << "cannot reshape " << shapeString(type.getShape())
                       << " to " << shapeString(outType.getShape()),
           failure();
  // General case: flatten, then expand. Valid for any row-major reshape.
  Value flat = x;
  if (inDims.size() > 1) {
    ReassociationIndices all;
    for (size_t i = 0; i < inDims.size(); ++i)
      all.push_back(i);
    SymDim total = SymDim::constant(1);
    for (const SymDim &d : inDims)
      total = total * d;
    flat = tensor::CollapseShapeOp::create(
        b, loc,
        RankedTensorType::get(staticShape({total}), type.getElementType()), x,
        ArrayRef<ReassociationIndices>{all});
  }
  if (outDims.size() == 1)
    return flat;
  ReassociationIndices all;
  for (size_t i = 0; i < outDims.size(); ++i)
    all.push_back(i);
  return tensor::ExpandShapeOp::create(b, loc, outType, flat,
                                       ArrayRef<ReassociationIndices>{all},
                                       outSizes)
      .getResult();
}

FailureOr<Value> GraphImporter::broadcastTo(Value x, ArrayRef<SymDim> target) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<SymDim> inDims = dimsOf(x);
  size_t rank = std::max(inDims.size(), target.size());
  size_t inOffset = rank - inDims.size(), tOffset = rank - target.size();
  SmallVector<SymDim> outDims;
  SmallVector<SymDim> kept;       // input dims that survive
  SmallVector<int64_t> addedDims; // output dims the broadcast creates
  const SymDim one = SymDim::constant(1);
  for (size_t i = 0; i < rank; ++i) {
    std::optional<SymDim> in, t;
    if (i >= inOffset)
      in = inDims[i - inOffset];
    if (i >= tOffset)
      t = target[i - tOffset];
    if (!in) {
      outDims.push_back(*t);
      addedDims.push_back(i);
    } else if (!t || *t == one || *t == *in) {
      outDims.push_back(*in);
      kept.push_back(*in);
    } else if (*in == one) {
      outDims.push_back(*t);
      addedDims.push_back(i);
    } else if (!in->isConstant() || !t->isConstant()) {
      // Sizes that cannot be compared symbolically must agree at run time.
      outDims.push_back(t->isConstant() ? *t : *in);
      kept.push_back(outDims.back());
    } else {
      return nodeError() << "cannot broadcast " << shapeString(type.getShape())
                         << " to " << shapeString(staticShape(target)),
             failure();
    }
  }
  if (addedDims.empty())
    return x;
  FailureOr<Value> squeezed = reshapeTo(x, kept);
  if (failed(squeezed))
    return failure();
  Value init = emptyTensor(outDims, type.getElementType());
  return linalg::BroadcastOp::create(b, loc, *squeezed, init, addedDims)
      ->getResult(0);
}

Value GraphImporter::transpose(Value x, ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<SymDim> dims;
  for (int64_t p : perm)
    dims.push_back(dimOf(x, p));
  Value init = emptyTensor(dims, type.getElementType());
  return linalg::TransposeOp::create(b, loc, x, init, perm)->getResult(0);
}

/// Transposes a constant matrix at import time (Gemm transB), keeping large
/// tensors in resource blobs.
ElementsAttr GraphImporter::transposeConstant2D(ElementsAttr attr) {
  auto type = cast<RankedTensorType>(attr.getType());
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  auto newType = RankedTensorType::get({cols, rows}, type.getElementType());
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    SmallVector<Attribute> in(dense.getValues<Attribute>());
    SmallVector<Attribute> out(in.size());
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c)
        out[c * rows + r] = in[r * cols + c];
    return DenseElementsAttr::get(newType, out);
  }
  auto resource = cast<DenseResourceElementsAttr>(attr);
  ArrayRef<char> data = resource.getRawHandle().getBlob()->getData();
  size_t width = type.getElementTypeBitWidth() / 8;
  size_t alignment = std::max<size_t>(width, 1);
  auto blob = HeapAsmResourceBlob::allocate(data.size(), alignment);
  MutableArrayRef<char> out = blob.getMutableData();
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      std::memcpy(&out[(c * rows + r) * width], &data[(r * cols + c) * width],
                  width);
  std::string key = resource.getRawHandle().getKey().str() + "_T";
  return DenseResourceElementsAttr::get(newType, key, std::move(blob));
}

//===----------------------------------------------------------------------===//
// Elementwise ops
//===----------------------------------------------------------------------===//

LogicalResult GraphImporter::knownBinary(const onnx::NodeProto &n,
                                         const Known &lhs, const Known &rhs) {
  size_t count = std::max(lhs.elems.size(), rhs.elems.size());
  if ((lhs.elems.size() != count && lhs.elems.size() != 1) ||
      (rhs.elems.size() != count && rhs.elems.size() != 1))
    return failure();
  StringRef op = n.op_type();
  Known out;
  out.shape = lhs.shape.size() >= rhs.shape.size() ? lhs.shape : rhs.shape;
  out.elementType = lhs.elementType;
  bool isCompare = op == "Equal";
  if (isCompare)
    out.elementType = b.getI1Type();
  for (size_t i = 0; i < count; ++i) {
    const SymDim &x = lhs.elems[lhs.elems.size() == 1 ? 0 : i];
    const SymDim &y = rhs.elems[rhs.elems.size() == 1 ? 0 : i];
    if (op == "Add" || op == "Sub")
      out.elems.push_back(symAdd(x, y, op == "Sub"));
    else if (op == "Mul")
      out.elems.push_back(x * y);
    else if (op == "Div") {
      if (y == SymDim::constant(0))
        return failure();
      out.elems.push_back(symDiv(x, y));
    } else if (isCompare) {
      // Dimensions are non-negative, so a symbol never equals a negative
      // constant (torch compares shapes with -1).
      if (x == y)
        out.elems.push_back(SymDim::constant(1));
      else if ((x.isConstant() && y.isConstant()) ||
               (x.isConstant() && x.getCoeff() < 0) ||
               (y.isConstant() && y.getCoeff() < 0))
        out.elems.push_back(SymDim::constant(0));
      else
        return failure();
    } else {
      return failure();
    }
  }
  setKnown(0, std::move(out));
  return success();
}

template <typename OpTy>
LogicalResult GraphImporter::importBinary(const onnx::NodeProto &n) {
  const Known *kl = known(0), *kr = known(1);
  if (kl && kr && kl->elementType == kr->elementType &&
      succeeded(knownBinary(n, *kl, *kr)))
    return success();
  Value lhs = input(0), rhs = input(1);
  Type lt = getElementTypeOrSelf(lhs.getType());
  Type rt = getElementTypeOrSelf(rhs.getType());
  if (lt != rt) {
    if (!std::is_same_v<OpTy, iq::PowOp>)
      return nodeError() << "operand element types differ (" << lt << " vs "
                         << rt << ")",
             failure();
    rhs = iq::CastOp::create(
        b, loc,
        RankedTensorType::get(cast<RankedTensorType>(rhs.getType()).getShape(),
                              lt),
        rhs);
  }
  return setResult(createInferred<OpTy>(lhs, rhs));
}

template <typename OpTy>
LogicalResult GraphImporter::importUnary(const onnx::NodeProto &) {
  Value x = input(0);
  if (std::is_same_v<OpTy, iq::SqrtOp> || std::is_same_v<OpTy, iq::ErfOp> ||
      std::is_same_v<OpTy, iq::TanhOp> || std::is_same_v<OpTy, iq::SigmoidOp> ||
      std::is_same_v<OpTy, iq::ExpOp>) {
    if (!isa<FloatType>(getElementTypeOrSelf(x.getType())))
      return nodeError() << "expects a floating-point input, got "
                         << x.getType(),
             failure();
  }
  setOutput(0, OpTy::create(b, loc, x));
  return success();
}

template <iq::CmpPredicate Pred>
LogicalResult GraphImporter::importCompare(const onnx::NodeProto &n) {
  const Known *kl = known(0), *kr = known(1);
  if (Pred == iq::CmpPredicate::eq && kl && kr &&
      kl->elementType == kr->elementType && succeeded(knownBinary(n, *kl, *kr)))
    return success();
  Value lhs = input(0), rhs = input(1);
  if (getElementTypeOrSelf(lhs.getType()) !=
      getElementTypeOrSelf(rhs.getType()))
    return nodeError() << "operand element types differ", failure();
  return setResult(createInferred<iq::CmpOp>(Pred, lhs, rhs));
}

LogicalResult GraphImporter::importNot(const onnx::NodeProto &) {
  if (const Known *k = known(0); k && k->allConstant()) {
    Known out = *k;
    for (SymDim &d : out.elems)
      d = SymDim::constant(d.getCoeff() == 0);
    setKnown(0, std::move(out));
    return success();
  }
  setOutput(0, iq::NotOp::create(b, loc, input(0)));
  return success();
}

LogicalResult GraphImporter::importWhere(const onnx::NodeProto &) {
  const Known *c = known(0), *t = known(1), *f = known(2);
  if (c && t && f && c->allConstant() && t->elementType == f->elementType) {
    size_t count =
        std::max({c->elems.size(), t->elems.size(), f->elems.size()});
    auto pick = [&](const Known &k, size_t i) -> const SymDim & {
      return k.elems[k.elems.size() == 1 ? 0 : i];
    };
    if (llvm::all_of(std::initializer_list<const Known *>{c, t, f},
                     [&](const Known *k) {
                       return k->elems.size() == count || k->elems.size() == 1;
                     })) {
      Known out;
      out.elementType = t->elementType;
      out.shape = count == 1 && t->shape.empty()
                      ? SmallVector<int64_t>{}
                      : SmallVector<int64_t>{(int64_t)count};
      for (size_t i = 0; i < count; ++i)
        out.elems.push_back(pick(*c, i).getCoeff() ? pick(*t, i) : pick(*f, i));
      setKnown(0, std::move(out));
      return success();
    }
  }
  return setResult(createInferred<iq::SelectOp>(input(0), input(1), input(2)));
}

LogicalResult GraphImporter::importCast(const onnx::NodeProto &) {
  int64_t to = attrInt("to", 0);
  Type elementType = convertElementType(to, ctx);
  if (!elementType)
    return nodeError() << "cannot cast to unsupported type "
                       << onnxTypeName(to),
           failure();
  if (const Known *k = known(0);
      k && isa<IntegerType>(elementType) && !elementType.isInteger(1)) {
    Known out = *k;
    out.elementType = elementType;
    setKnown(0, std::move(out));
    return success();
  }
  Value x = input(0);
  auto type = cast<RankedTensorType>(x.getType());
  if (type.getElementType() == elementType) {
    setOutput(0, x);
    return success();
  }
  setOutput(0, iq::CastOp::create(b, loc, type.clone(elementType), x));
  return success();
}

LogicalResult GraphImporter::importIdentity(const onnx::NodeProto &n) {
  values[n.output(0)] = values[n.input(0)];
  return success();
}

LogicalResult GraphImporter::importDropout(const onnx::NodeProto &n) {
  if (hasInput(2)) {
    FailureOr<std::optional<double>> training = constantScalar(2);
    if (failed(training))
      return failure();
    if (**training != 0)
      return nodeError() << "training_mode must be false for inference",
             failure();
  }
  values[n.output(0)] = values[n.input(0)];
  if (n.output_size() > 1 && !n.output(1).empty()) {
    Value x = input(0);
    Value init = emptyTensor(dimsOf(x), b.getI1Type());
    Value one = arith::ConstantOp::create(b, loc, b.getBoolAttr(true));
    setOutput(1, linalg::FillOp::create(b, loc, one, init)->getResult(0));
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

LogicalResult GraphImporter::importMatMul(const onnx::NodeProto &) {
  Value lhs = input(0), rhs = input(1);
  auto lt = cast<RankedTensorType>(lhs.getType());
  auto rt = cast<RankedTensorType>(rhs.getType());
  if (lt.getElementType() != rt.getElementType())
    return nodeError() << "operand element types differ", failure();
  // numpy semantics for 1-D operands: promote, multiply, drop the unit dim.
  bool lhsVector = lt.getRank() == 1, rhsVector = rt.getRank() == 1;
  if (lhsVector) {
    FailureOr<Value> r = reshapeTo(lhs, {SymDim::constant(1), dimOf(lhs, 0)});
    if (failed(r))
      return failure();
    lhs = *r;
  }
  if (rhsVector) {
    FailureOr<Value> r = reshapeTo(rhs, {dimOf(rhs, 0), SymDim::constant(1)});
    if (failed(r))
      return failure();
    rhs = *r;
  }
  FailureOr<Value> result = createInferred<iq::MatMulOp>(lhs, rhs);
  if (failed(result))
    return failure();
  Value out = *result;
  if (lhsVector || rhsVector) {
    SmallVector<SymDim> dims = dimsOf(out);
    if (rhsVector)
      dims.pop_back();
    if (lhsVector)
      dims.erase(dims.end() - 1 - (rhsVector ? 0 : 1));
    FailureOr<Value> r = reshapeTo(out, dims);
    if (failed(r))
      return failure();
    out = *r;
  }
  setOutput(0, out);
  return success();
}

LogicalResult GraphImporter::importGemm(const onnx::NodeProto &) {
  Value a = input(0), bMat = input(1), c = input(2);
  float alpha = attrFloat("alpha", 1.0f), beta = attrFloat("beta", 1.0f);
  if (cast<RankedTensorType>(a.getType()).getRank() != 2 ||
      cast<RankedTensorType>(bMat.getType()).getRank() != 2)
    return nodeError() << "expects 2-D A and B", failure();
  if (attrInt("transA", 0))
    a = transpose(a, {1, 0});
  if (attrInt("transB", 0)) {
    if (ElementsAttr weight = constantAttr(1))
      bMat = createConstant(transposeConstant2D(weight));
    else
      bMat = transpose(bMat, {1, 0});
  }
  Type elementType = getElementTypeOrSelf(a.getType());
  auto cType = c ? cast<RankedTensorType>(c.getType()) : RankedTensorType();
  int64_t n = cast<RankedTensorType>(bMat.getType()).getDimSize(1);
  bool biasIsVector = c && cType.getRank() == 1 && cType.getDimSize(0) == n &&
                      !ShapedType::isDynamic(n);
  if (alpha == 1.0f && (!c || (beta == 1.0f && biasIsVector)) &&
      matchPattern(bMat, m_Constant())) {
    FailureOr<Value> result =
        createInferred<iq::LinearOp>(a, bMat, biasIsVector ? c : Value());
    if (failed(result))
      return failure();
    setOutput(0, *result);
    return success();
  }
  FailureOr<Value> result = createInferred<iq::MatMulOp>(a, bMat);
  if (failed(result))
    return failure();
  Value y = *result;
  if (alpha != 1.0f)
    y = iq::MulOp::create(b, loc, y, scalarConstant(elementType, alpha));
  if (c) {
    if (beta != 1.0f)
      c = iq::MulOp::create(b, loc, c, scalarConstant(elementType, beta));
    FailureOr<Value> sum = createInferred<iq::AddOp>(y, c);
    if (failed(sum))
      return failure();
    y = *sum;
  }
  setOutput(0, y);
  return success();
}

LogicalResult GraphImporter::importMatMulInteger(const onnx::NodeProto &) {
  return setResult(createInferred<iq::MatMulIntegerOp>(input(0), input(1),
                                                       input(2), input(3)));
}

//===----------------------------------------------------------------------===//
// Normalization and reductions
//===----------------------------------------------------------------------===//

LogicalResult GraphImporter::importSoftmax(const onnx::NodeProto &) {
  Value x = input(0);
  int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
  int64_t defaultAxis = opset >= 13 ? -1 : 1;
  FailureOr<int64_t> axis = normalizeAxis(attrInt("axis", defaultAxis), rank);
  if (failed(axis))
    return failure();
  if (opset >= 13 || *axis == rank - 1) {
    setOutput(0, iq::SoftmaxOp::create(b, loc, x, *axis));
    return success();
  }
  // Before opset 13 Softmax normalizes over all dims from `axis` on.
  SmallVector<SymDim> dims = dimsOf(x);
  SymDim inner = SymDim::constant(1), outer = SymDim::constant(1);
  for (int64_t i = 0; i < rank; ++i)
    (i < *axis ? outer : inner) = (i < *axis ? outer : inner) * dims[i];
  FailureOr<Value> flat = reshapeTo(x, {outer, inner});
  if (failed(flat))
    return failure();
  Value sm = iq::SoftmaxOp::create(b, loc, *flat, 1);
  FailureOr<Value> back = reshapeTo(sm, dims);
  if (failed(back))
    return failure();
  setOutput(0, *back);
  return success();
}

LogicalResult GraphImporter::importLayerNorm(const onnx::NodeProto &n) {
  Value x = input(0);
  int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
  FailureOr<int64_t> axis = normalizeAxis(attrInt("axis", -1), rank);
  if (failed(axis))
    return failure();
  float epsilon = attrFloat("epsilon", 1e-5f);
  if (failed(setResult(createInferred<iq::LayerNormOp>(
          x, input(1), input(2), b.getI64IntegerAttr(*axis),
          b.getF32FloatAttr(epsilon), /*variance_shift=*/IntegerAttr()))))
    return failure();
  bool wantMean = n.output_size() > 1 && !n.output(1).empty();
  bool wantInvStd = n.output_size() > 2 && !n.output(2).empty();
  if (!wantMean && !wantInvStd)
    return success();
  // Optional outputs: Mean and InvStdDev over the normalized dims, kept as
  // size-1 dims (ONNX computes them in the stash type, float32).
  auto type = cast<RankedTensorType>(x.getType());
  if (!type.getElementType().isF32())
    return nodeError() << "Mean/InvStdDev outputs need a float32 input",
           failure();
  SmallVector<int64_t> axes;
  for (int64_t i = *axis; i < rank; ++i)
    axes.push_back(i);
  auto reduceMean = [&](Value v) {
    return createInferred<iq::ReduceMeanOp>(v, b.getDenseI64ArrayAttr(axes),
                                            b.getUnitAttr());
  };
  FailureOr<Value> mean = reduceMean(x);
  if (failed(mean))
    return failure();
  FailureOr<Value> centered = createInferred<iq::SubOp>(x, *mean);
  if (failed(centered))
    return failure();
  FailureOr<Value> sq = createInferred<iq::MulOp>(*centered, *centered);
  if (failed(sq))
    return failure();
  FailureOr<Value> var = reduceMean(*sq);
  if (failed(var))
    return failure();
  auto scalar = [&](float v) -> Value {
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(RankedTensorType::get({}, b.getF32Type()),
                                       b.getF32FloatAttr(v)));
  };
  FailureOr<Value> varEps = createInferred<iq::AddOp>(*var, scalar(epsilon));
  if (failed(varEps))
    return failure();
  Value stdDev = iq::SqrtOp::create(b, loc, *varEps);
  FailureOr<Value> invStd = createInferred<iq::DivOp>(scalar(1.0f), stdDev);
  if (failed(invStd))
    return failure();
  if (wantMean)
    setOutput(1, *mean);
  if (wantInvStd)
    setOutput(2, *invStd);
  return success();
}

LogicalResult GraphImporter::importBatchNorm(const onnx::NodeProto &n) {
  if (attrInt("training_mode", 0))
    return nodeError() << "training_mode=1 is not supported", failure();
  for (int i = 1; i < n.output_size(); ++i)
    if (!n.output(i).empty())
      return nodeError() << "running mean/var outputs are training-only",
             failure();
  return setResult(createInferred<iq::BatchNormOp>(
      input(0), input(1), input(2), input(3), input(4),
      b.getF32FloatAttr(attrFloat("epsilon", 1e-5f))));
}

template <typename OpTy>
LogicalResult GraphImporter::importReduce(const onnx::NodeProto &) {
  Value x = input(0);
  int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
  FailureOr<std::optional<SmallVector<int64_t>>> axesOr = axesArg(1);
  if (failed(axesOr))
    return failure();
  SmallVector<int64_t> axes;
  if (*axesOr && !(*axesOr)->empty()) {
    FailureOr<SmallVector<int64_t>> norm = normalizeAxes(**axesOr, rank);
    if (failed(norm))
      return failure();
    axes = *norm;
  } else if (attrInt("noop_with_empty_axes", 0)) {
    setOutput(0, x);
    return success();
  } else {
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  }
  return setResult(createInferred<OpTy>(x, b.getDenseI64ArrayAttr(axes),
                                        attrInt("keepdims", 1) ? b.getUnitAttr()
                                                               : UnitAttr()));
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

LogicalResult GraphImporter::importTranspose(const onnx::NodeProto &) {
  Value x = input(0);
  int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
  SmallVector<int64_t> perm;
  if (auto p = attrInts("perm")) {
    perm = *p;
  } else {
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
  }
  SmallVector<int64_t> sorted(perm);
  llvm::sort(sorted);
  for (int64_t i = 0; i < (int64_t)sorted.size(); ++i)
    if (sorted[i] != i || (int64_t)perm.size() != rank)
      return nodeError() << "perm is not a permutation of rank " << rank,
             failure();
  if (llvm::equal(perm, llvm::seq<int64_t>(0, rank))) {
    setOutput(0, x);
    return success();
  }
  setOutput(0, transpose(x, perm));
  return success();
}

LogicalResult GraphImporter::importReshape(const onnx::NodeProto &) {
  FailureOr<SmallVector<SymDim>> shape = knownShapeArg(1, "the target shape");
  if (failed(shape))
    return failure();
  const Known *data = known(0);
  bool allowZero = attrInt("allowzero", 0);
  Value x = data ? Value() : input(0);
  SmallVector<SymDim> inDims;
  if (data) {
    for (int64_t d : data->shape)
      inDims.push_back(SymDim::constant(d));
  } else {
    inDims = dimsOf(x);
  }
  SmallVector<SymDim> out;
  int inferIndex = -1;
  for (auto [i, d] : llvm::enumerate(*shape)) {
    if (d == SymDim::constant(0) && !allowZero) {
      if (i >= inDims.size())
        return nodeError() << "shape entry " << i
                           << " is 0 (copy) but the input has rank "
                           << inDims.size(),
               failure();
      out.push_back(inDims[i]);
    } else if (d == SymDim::constant(-1)) {
      if (inferIndex >= 0)
        return nodeError() << "the target shape has more than one -1",
               failure();
      inferIndex = i;
      out.push_back(SymDim::constant(1));
    } else if (d.isConstant() && d.getCoeff() < 0) {
      return nodeError() << "invalid target dimension " << d.getCoeff(),
             failure();
    } else {
      out.push_back(d);
    }
  }
  SymDim total = SymDim::constant(1), known_ = SymDim::constant(1);
  for (const SymDim &d : inDims)
    total = total * d;
  for (const SymDim &d : out)
    known_ = known_ * d;
  if (inferIndex >= 0) {
    out[inferIndex] = symDiv(total, known_);
  } else if (total.isConstant() && known_.isConstant() &&
             total.getCoeff() != known_.getCoeff()) {
    return nodeError() << "cannot reshape " << total.getCoeff()
                       << " elements into " << known_.getCoeff(),
           failure();
  }
  if (data) {
    if (out.size() > 1)
      return nodeError() << "reshaping shape tensors to rank > 1 is not "
                            "supported",
             failure();
    Known k = *data;
    k.shape = out.empty() ? SmallVector<int64_t>{}
                          : SmallVector<int64_t>{(int64_t)k.elems.size()};
    setKnown(0, std::move(k));
    return success();
  }
  if (inferIndex >= 0 && out[inferIndex].isConstant() && total.isConstant() &&
      total.getCoeff() % std::max<int64_t>(known_.getCoeff(), 1))
    return nodeError() << "cannot reshape " << total.getCoeff()
                       << " elements into a multiple of " << known_.getCoeff(),
           failure();
  FailureOr<Value> r = reshapeTo(x, out);
  if (failed(r))
    return failure();
  setOutput(0, *r);
  return success();
}

LogicalResult GraphImporter::importFlatten(const onnx::NodeProto &) {
  Value x = input(0);
  int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
  int64_t axis = attrInt("axis", 1);
  if (axis < -rank || axis > rank)
    return nodeError() << "axis " << axis << " is out of range", failure();
  if (axis < 0)
    axis += rank;
  SymDim outer = SymDim::constant(1), inner = SymDim::constant(1);
  SmallVector<SymDim> dims = dimsOf(x);
  for (int64_t i = 0; i < rank; ++i)
    (i < axis ? outer : inner) = (i < axis ? outer : inner) * dims[i];
  FailureOr<Value> r = reshapeTo(x, {outer, inner});
  if (failed(r))
    return failure();
  setOutput(0, *r);
  return success();
}

LogicalResult GraphImporter::importSqueeze(const onnx::NodeProto &) {
  FailureOr<std::optional<SmallVector<int64_t>>> axesOr = axesArg(1);
  if (failed(axesOr))
    return failure();
  if (const Known *k = known(0);
      k && k->shape.size() == 1 && k->elems.size() == 1) {
    Known out = *k;
    out.shape.clear();
    setKnown(0, std::move(out));
    return success();
  }
  Value x = input(0);
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> axes;
  if (*axesOr) {
    FailureOr<SmallVector<int64_t>> norm =
        normalizeAxes(**axesOr, type.getRank());
    if (failed(norm))
      return failure();
    axes = *norm;
  } else {
    for (int64_t i = 0; i < type.getRank(); ++i)
      if (type.getDimSize(i) == 1)
        axes.push_back(i);
  }
  SmallVector<SymDim> out;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    if (!llvm::is_contained(axes, i)) {
      out.push_back(dimOf(x, i));
      continue;
    }
    if (type.getDimSize(i) != 1)
      return nodeError() << "cannot squeeze dimension " << i << " of size "
                         << (type.isDynamicDim(i)
                                 ? std::string("?")
                                 : std::to_string(type.getDimSize(i))),
             failure();
  }
  FailureOr<Value> r = reshapeTo(x, out);
  if (failed(r))
    return failure();
  setOutput(0, *r);
  return success();
}

LogicalResult GraphImporter::importUnsqueeze(const onnx::NodeProto &) {
  FailureOr<std::optional<SmallVector<int64_t>>> axesOr = axesArg(1);
  if (failed(axesOr))
    return failure();
  if (!*axesOr)
    return nodeError() << "axes are required", failure();
  const Known *k = known(0);
  int64_t inRank = k ? (int64_t)k->shape.size()
                     : cast<RankedTensorType>(input(0).getType()).getRank();
  int64_t outRank = inRank + (int64_t)(*axesOr)->size();
  FailureOr<SmallVector<int64_t>> axes = normalizeAxes(**axesOr, outRank);
  if (failed(axes))
    return failure();
  if (k && outRank == 1) {
    Known out = *k;
    out.shape = {(int64_t)k->elems.size()};
    setKnown(0, std::move(out));
    return success();
  }
  Value x = input(0);
  SmallVector<SymDim> out;
  int64_t src = 0;
  for (int64_t i = 0; i < outRank; ++i)
    out.push_back(llvm::is_contained(*axes, i) ? SymDim::constant(1)
                                               : dimOf(x, src++));
  FailureOr<Value> r = reshapeTo(x, out);
  if (failed(r))
    return failure();
  setOutput(0, *r);
  return success();
}

LogicalResult GraphImporter::importGather(const onnx::NodeProto &) {
  const Known *data = known(0), *indices = known(1);
  if (data && indices && indices->allConstant() && data->shape.size() == 1) {
    Known out;
    out.elementType = data->elementType;
    out.shape = indices->shape;
    int64_t size = data->elems.size();
    for (const SymDim &i : indices->elems) {
      int64_t idx = i.getCoeff();
      if (idx < -size || idx >= size)
        return nodeError() << "index " << idx << " is out of range for size "
                           << size,
               failure();
      out.elems.push_back(data->elems[idx < 0 ? idx + size : idx]);
    }
    setKnown(0, std::move(out));
    return success();
  }
  Value x = input(0);
  FailureOr<int64_t> axis = normalizeAxis(
      attrInt("axis", 0), cast<RankedTensorType>(x.getType()).getRank());
  if (failed(axis))
    return failure();
  Value idx = input(1);
  // Check constant indices against static sizes now; run-time indices are
  // checked by the compiled model.
  int64_t size = cast<RankedTensorType>(x.getType()).getDimSize(*axis);
  if (indices && indices->allConstant() && !ShapedType::isDynamic(size))
    for (const SymDim &i : indices->elems)
      if (i.getCoeff() < -size || i.getCoeff() >= size)
        return nodeError() << "index " << i.getCoeff()
                           << " is out of range for dimension " << *axis
                           << " of size " << size,
               failure();
  return setResult(createInferred<iq::GatherOp>(x, idx, *axis));
}

LogicalResult GraphImporter::importConcat(const onnx::NodeProto &n) {
  SmallVector<const Known *> knowns;
  for (int i = 0; i < n.input_size(); ++i)
    knowns.push_back(known(i));
  if (llvm::all_of(knowns,
                   [](const Known *k) { return k && k->shape.size() == 1; })) {
    Known out;
    out.elementType = knowns.front()->elementType;
    for (const Known *k : knowns)
      out.elems.append(k->elems.begin(), k->elems.end());
    out.shape = {(int64_t)out.elems.size()};
    if ((int64_t)out.elems.size() <= kMaxKnownElements) {
      setKnown(0, std::move(out));
      return success();
    }
  }
  SmallVector<Value> inputs;
  for (int i = 0; i < n.input_size(); ++i)
    inputs.push_back(input(i));
  auto first = cast<RankedTensorType>(inputs.front().getType());
  FailureOr<int64_t> axis = normalizeAxis(attrInt("axis", 0), first.getRank());
  if (failed(axis))
    return failure();
  for (Value v : inputs) {
    auto t = cast<RankedTensorType>(v.getType());
    if (t.getRank() != first.getRank() ||
        t.getElementType() != first.getElementType())
      return nodeError() << "inputs must have equal rank and element type, "
                            "got "
                         << first << " and " << t,
             failure();
    for (int64_t d = 0; d < t.getRank(); ++d)
      if (d != *axis && !t.isDynamicDim(d) && !first.isDynamicDim(d) &&
          t.getDimSize(d) != first.getDimSize(d))
        return nodeError() << "input shapes " << shapeString(first.getShape())
                           << " and " << shapeString(t.getShape())
                           << " differ outside axis " << *axis,
               failure();
  }
  if (inputs.size() == 1) {
    setOutput(0, inputs.front());
    return success();
  }
  setOutput(0, tensor::ConcatOp::create(b, loc, *axis, inputs));
  return success();
}

Value GraphImporter::gatherElements(
    Value x, ArrayRef<SymDim> dims,
    function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange)>
        srcIndex) {
  Type elementType = cast<RankedTensorType>(x.getType()).getElementType();
  Value init = emptyTensor(dims, elementType);
  int64_t rank = dims.size();
  SmallVector<utils::IteratorType> par(rank, utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{}, init,
             {b.getMultiDimIdentityMap(rank)}, par,
             [&](OpBuilder &nb, Location nloc, ValueRange) {
               SmallVector<Value> idx;
               for (int64_t i = 0; i < rank; ++i)
                 idx.push_back(linalg::IndexOp::create(nb, nloc, i));
               Value v = tensor::ExtractOp::create(nb, nloc, x,
                                                   srcIndex(nb, nloc, idx));
               linalg::YieldOp::create(nb, nloc, v);
             })
      .getResult(0);
}

LogicalResult GraphImporter::importSlice(const onnx::NodeProto &) {
  SmallVector<SymDim> starts, ends;
  SmallVector<int64_t> axes, steps;
  if (attr("starts")) {
    // Slice-1 attributes (before opset 10); both bounds are required.
    if (!attr("ends"))
      return nodeError() << "has a 'starts' attribute but no 'ends'",
             failure();
    starts = llvm::map_to_vector(*attrInts("starts"), SymDim::constant);
    ends = llvm::map_to_vector(*attrInts("ends"), SymDim::constant);
    if (auto a = attrInts("axes"))
      axes = *a;
  } else {
    FailureOr<SmallVector<SymDim>> s = knownShapeArg(1, "starts");
    FailureOr<SmallVector<SymDim>> e = knownShapeArg(2, "ends");
    if (failed(s) || failed(e))
      return failure();
    starts = *s;
    ends = *e;
    if (hasInput(3)) {
      FailureOr<SmallVector<int64_t>> a = constantInts(3, "axes");
      if (failed(a))
        return failure();
      axes = *a;
    }
    if (hasInput(4)) {
      FailureOr<SmallVector<int64_t>> st = constantInts(4, "steps");
      if (failed(st))
        return failure();
      steps = *st;
    }
  }
  if (starts.size() != ends.size())
    return nodeError() << "starts and ends differ in length", failure();
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i)
      axes.push_back(i);
  if (steps.empty())
    steps.assign(starts.size(), 1);
  if (axes.size() != starts.size() || steps.size() != starts.size())
    return nodeError() << "starts, ends, axes and steps differ in length",
           failure();

  const Known *data = known(0);
  int64_t rank = data ? (int64_t)data->shape.size()
                      : cast<RankedTensorType>(input(0).getType()).getRank();
  FailureOr<SmallVector<int64_t>> normAxes =
      normalizeAxes(axes, rank, /*keepOrder=*/true);
  if (failed(normAxes))
    return failure();
  axes = *normAxes;

  SmallVector<SymDim> dims;
  Value x;
  if (data) {
    for (int64_t d : data->shape)
      dims.push_back(SymDim::constant(d));
  } else {
    x = input(0);
    dims = dimsOf(x);
  }
  SmallVector<SymDim> offsets(rank, SymDim::constant(0)), sizes(dims);
  SmallVector<int64_t> strides(rank, 1);
  bool anyNegative = false;
  for (size_t i = 0; i < axes.size(); ++i) {
    int64_t axis = axes[i], step = steps[i];
    if (step == 0)
      return nodeError() << "step 0 is invalid", failure();
    const SymDim &dim = dims[axis];
    if (step < 0) {
      // Reversed slices: ONNX clamps start to [0, dim-1] and end to
      // [-1, dim-1] after adding dim to negative values.
      if (!dim.isConstant() || !starts[i].isConstant() ||
          !ends[i].isConstant())
        return nodeError() << "a negative step needs constant bounds and a "
                              "static dimension",
               failure();
      int64_t d = dim.getCoeff();
      int64_t st = starts[i].getCoeff(), en = ends[i].getCoeff();
      st = std::clamp<int64_t>(st < 0 ? st + d : st, 0, d - 1);
      en = std::clamp<int64_t>(en < 0 ? en + d : en, -1, d - 1);
      int64_t len = std::max<int64_t>(0, (st - en + (-step) - 1) / (-step));
      offsets[axis] = SymDim::constant(len ? st : 0);
      sizes[axis] = SymDim::constant(len);
      strides[axis] = step;
      anyNegative = true;
      continue;
    }
    // ONNX clamps bounds to [0, dim] after adding dim to negative ones.
    auto clampIndex = [&](const SymDim &v) -> SymDim {
      if (v.isConstant() && dim.isConstant()) {
        int64_t c = v.getCoeff(), d = dim.getCoeff();
        if (c < 0)
          c += d;
        return SymDim::constant(std::clamp<int64_t>(c, 0, d));
      }
      if (v == dim || (v.isConstant() && v.getCoeff() >= (int64_t(1) << 62)))
        return dim;
      if (v == SymDim::constant(0))
        return v;
      if (v.isConstant() && v.getCoeff() < 0) {
        Value shifted =
            arith::AddIOp::create(b, loc, indexValue(dim), indexValue(v));
        Value zero = arith::ConstantIndexOp::create(b, loc, 0);
        return opaque(arith::MaxSIOp::create(b, loc, shifted, zero));
      }
      // A non-negative bound (symbolic bounds are sizes): clamp at run time.
      return opaque(
          arith::MinSIOp::create(b, loc, indexValue(v), indexValue(dim)));
    };
    SymDim start = clampIndex(starts[i]);
    SymDim end = clampIndex(ends[i]);
    SymDim length;
    if (start.isConstant() && end.isConstant()) {
      int64_t len = std::max<int64_t>(0, end.getCoeff() - start.getCoeff());
      length = SymDim::constant((len + step - 1) / step);
    } else {
      length = symAdd(end, start, /*subtract=*/true);
      if (step != 1)
        length = symDiv(symAdd(length, SymDim::constant(step - 1), false),
                        SymDim::constant(step));
    }
    // An empty slice may start at the end; anchor it at 0 so the slice is
    // in bounds.
    offsets[axis] = length.isConstant() && length.getCoeff() == 0
                        ? SymDim::constant(0)
                        : start;
    sizes[axis] = length;
    strides[axis] = step;
  }

  if (data) {
    Known out = *data;
    out.elems.clear();
    if (!offsets[0].isConstant() || !sizes[0].isConstant())
      return nodeError() << "slicing a shape tensor needs constant bounds",
             failure();
    for (int64_t i = 0; i < sizes[0].getCoeff(); ++i)
      out.elems.push_back(data->elems[offsets[0].getCoeff() + i * strides[0]]);
    out.shape = {(int64_t)out.elems.size()};
    setKnown(0, std::move(out));
    return success();
  }
  auto type = cast<RankedTensorType>(x.getType());
  auto resultType =
      RankedTensorType::get(staticShape(sizes), type.getElementType());
  if (anyNegative) {
    // src[i] = offset + idx * stride per dim (stride may be negative).
    SmallVector<Value> off;
    for (int64_t i = 0; i < rank; ++i)
      off.push_back(indexValue(offsets[i]));
    setOutput(0, gatherElements(x, sizes, [&](OpBuilder &nb, Location nloc,
                                              ValueRange idx) {
                SmallVector<Value> src;
                for (int64_t i = 0; i < rank; ++i) {
                  Value scaled = arith::MulIOp::create(
                      nb, nloc, idx[i],
                      arith::ConstantIndexOp::create(nb, nloc, strides[i]));
                  src.push_back(arith::AddIOp::create(nb, nloc, off[i], scaled));
                }
                return src;
              }));
    return success();
  }
  SmallVector<OpFoldResult> ofrOffsets, ofrSizes, ofrStrides;
  for (int64_t i = 0; i < rank; ++i) {
    ofrOffsets.push_back(foldResult(offsets[i]));
    ofrSizes.push_back(foldResult(sizes[i]));
    ofrStrides.push_back(b.getIndexAttr(strides[i]));
  }
  if (resultType.hasStaticShape() && resultType.getNumElements() == 0)
    setOutput(0, tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                         resultType.getElementType()));
  else
    setOutput(0, tensor::ExtractSliceOp::create(b, loc, resultType, x,
                                                ofrOffsets, ofrSizes,
                                                ofrStrides));
  return success();
}

LogicalResult GraphImporter::importSplit(const onnx::NodeProto &n) {
  Value x = input(0);
  auto type = cast<RankedTensorType>(x.getType());
  FailureOr<int64_t> axis = normalizeAxis(attrInt("axis", 0), type.getRank());
  if (failed(axis))
    return failure();
  int64_t numOutputs = n.output_size();
  SymDim dim = dimOf(x, *axis);
  SmallVector<SymDim> sizes;
  if (auto s = attrInts("split")) {
    sizes = llvm::map_to_vector(*s, SymDim::constant);
  } else if (hasInput(1)) {
    FailureOr<SmallVector<int64_t>> s = constantInts(1, "split");
    if (failed(s))
      return failure();
    sizes = llvm::map_to_vector(*s, SymDim::constant);
  } else {
    std::optional<SymDim> part = dim.exactDiv(SymDim::constant(numOutputs));
    if (!part)
      return nodeError() << "dimension " << *axis << " does not split evenly "
                         << "into " << numOutputs << " outputs",
             failure();
    sizes.assign(numOutputs, *part);
  }
  if ((int64_t)sizes.size() != numOutputs)
    return nodeError() << "split has " << sizes.size() << " sizes for "
                       << numOutputs << " outputs",
           failure();
  if (dim.isConstant() &&
      llvm::all_of(sizes, [](const SymDim &d) { return d.isConstant(); })) {
    int64_t total = 0;
    for (const SymDim &d : sizes)
      total += d.getCoeff();
    if (total != dim.getCoeff())
      return nodeError() << "split sizes sum to " << total << " but dimension "
                         << *axis << " has size " << dim.getCoeff(),
             failure();
  }
  SmallVector<SymDim> dims = dimsOf(x);
  SymDim offset = SymDim::constant(0);
  for (int64_t o = 0; o < numOutputs; ++o) {
    SmallVector<OpFoldResult> offsets, ofrSizes, strides;
    SmallVector<SymDim> outDims = dims;
    outDims[*axis] = sizes[o];
    for (int64_t i = 0; i < type.getRank(); ++i) {
      bool empty = sizes[o].isConstant() && sizes[o].getCoeff() == 0;
      offsets.push_back(i == *axis && !empty ? foldResult(offset)
                                             : b.getIndexAttr(0));
      ofrSizes.push_back(foldResult(outDims[i]));
      strides.push_back(b.getIndexAttr(1));
    }
    auto resultType =
        RankedTensorType::get(staticShape(outDims), type.getElementType());
    // An empty piece of an empty dim: extract_slice rejects offset 0 there.
    if (resultType.hasStaticShape() && resultType.getNumElements() == 0)
      setOutput(o, tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                           resultType.getElementType()));
    else
      setOutput(o, tensor::ExtractSliceOp::create(b, loc, resultType, x,
                                                  offsets, ofrSizes, strides));
    offset = symAdd(offset, sizes[o], false);
  }
  return success();
}

LogicalResult GraphImporter::importPad(const onnx::NodeProto &) {
  std::string mode = attrString("mode", "constant");
  if (mode != "constant" && mode != "edge" && mode != "reflect")
    return nodeError() << "pad mode '" << mode
                       << "' is not supported (constant, edge, reflect)",
           failure();
  Value x = input(0);
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  SmallVector<int64_t> pads;
  if (auto padsAttr = attrInts("pads")) {
    pads = *padsAttr;
  } else {
    FailureOr<SmallVector<int64_t>> padsInput = constantInts(1, "pads");
    if (failed(padsInput))
      return failure();
    pads = *padsInput;
  }
  SmallVector<int64_t> axes;
  if (hasInput(3)) {
    FailureOr<SmallVector<int64_t>> a = constantInts(3, "axes");
    if (failed(a))
      return failure();
    FailureOr<SmallVector<int64_t>> norm =
        normalizeAxes(*a, rank, /*keepOrder=*/true);
    if (failed(norm))
      return failure();
    axes = *norm;
  } else {
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  }
  if (pads.size() != 2 * axes.size())
    return nodeError() << "expects " << 2 * axes.size() << " pads, got "
                       << pads.size(),
           failure();
  SmallVector<int64_t> low(rank, 0), high(rank, 0);
  for (size_t i = 0; i < axes.size(); ++i) {
    low[axes[i]] = pads[i];
    high[axes[i]] = pads[i + axes.size()];
  }
  if (llvm::any_of(pads, [](int64_t p) { return p < 0; }))
    return nodeError() << "negative pads (cropping) are not supported",
           failure();
  if (mode != "constant") {
    // edge: clamp(i - low, 0, n - 1); reflect: mirror without repeating
    // the border (ONNX requires pads < n).
    SmallVector<SymDim> dims = dimsOf(x), outDims;
    for (int64_t i = 0; i < rank; ++i) {
      if (mode == "reflect" && dims[i].isConstant() &&
          (low[i] >= dims[i].getCoeff() || high[i] >= dims[i].getCoeff()))
        return nodeError() << "reflect pads of dim " << i
                           << " must be smaller than its size "
                           << dims[i].getCoeff(),
               failure();
      outDims.push_back(
          symAdd(dims[i], SymDim::constant(low[i] + high[i]), false));
    }
    SmallVector<Value> sizes;
    for (int64_t i = 0; i < rank; ++i)
      sizes.push_back(indexValue(dims[i]));
    bool edge = mode == "edge";
    setOutput(0, gatherElements(x, outDims, [&](OpBuilder &nb, Location nloc,
                                                ValueRange idx) {
                SmallVector<Value> src;
                Value zero = arith::ConstantIndexOp::create(nb, nloc, 0);
                Value one = arith::ConstantIndexOp::create(nb, nloc, 1);
                for (int64_t i = 0; i < rank; ++i) {
                  Value j = arith::SubIOp::create(
                      nb, nloc, idx[i],
                      arith::ConstantIndexOp::create(nb, nloc, low[i]));
                  Value last = arith::SubIOp::create(nb, nloc, sizes[i], one);
                  if (edge) {
                    j = arith::MaxSIOp::create(nb, nloc, j, zero);
                    j = arith::MinSIOp::create(nb, nloc, j, last);
                  } else {
                    // |j|, then 2 (n - 1) - j past the end.
                    Value neg = arith::SubIOp::create(nb, nloc, zero, j);
                    j = arith::MaxSIOp::create(nb, nloc, j, neg);
                    Value twice = arith::AddIOp::create(nb, nloc, last, last);
                    Value mirrored = arith::SubIOp::create(nb, nloc, twice, j);
                    j = arith::MinSIOp::create(nb, nloc, j, mirrored);
                  }
                  src.push_back(j);
                }
                return src;
              }));
    return success();
  }
  double value = 0;
  if (auto v = attr("value"))
    value = v->f();
  FailureOr<std::optional<double>> cv = constantScalar(2);
  if (failed(cv))
    return failure();
  if (*cv)
    value = **cv;
  Type elementType = type.getElementType();
  Value padValue = arith::ConstantOp::create(
      b, loc,
      isa<FloatType>(elementType)
          ? TypedAttr(b.getFloatAttr(elementType, value))
          : TypedAttr(b.getIntegerAttr(elementType, (int64_t)value)));
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i)
    shape.push_back(type.isDynamicDim(i)
                        ? ShapedType::kDynamic
                        : type.getDimSize(i) + low[i] + high[i]);
  SmallVector<OpFoldResult> lowOfr, highOfr;
  for (int64_t i = 0; i < rank; ++i) {
    lowOfr.push_back(b.getIndexAttr(low[i]));
    highOfr.push_back(b.getIndexAttr(high[i]));
  }
  setOutput(0, tensor::PadOp::create(b, loc, type.clone(shape), x, lowOfr,
                                     highOfr, padValue));
  return success();
}

LogicalResult GraphImporter::importTile(const onnx::NodeProto &) {
  Value x = input(0);
  auto type = cast<RankedTensorType>(x.getType());
  FailureOr<SmallVector<int64_t>> repeats = constantInts(1, "repeats");
  if (failed(repeats))
    return failure();
  if ((int64_t)repeats->size() != type.getRank())
    return nodeError() << "repeats has " << repeats->size()
                       << " entries for rank " << type.getRank(),
           failure();
  if (llvm::any_of(*repeats, [](int64_t r) { return r < 0; }))
    return nodeError() << "repeats must be non-negative", failure();
  if (llvm::all_of(*repeats, [](int64_t r) { return r == 1; })) {
    setOutput(0, x);
    return success();
  }
  // x[d0, d1] -> broadcast to [r0, d0, r1, d1] -> collapse to [r0*d0, r1*d1].
  SmallVector<SymDim> dims = dimsOf(x), wide, collapsed;
  SmallVector<int64_t> added;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    added.push_back(2 * i);
    wide.push_back(SymDim::constant((*repeats)[i]));
    wide.push_back(dims[i]);
    collapsed.push_back(SymDim::constant((*repeats)[i]) * dims[i]);
  }
  Value init = emptyTensor(wide, type.getElementType());
  Value broadcast =
      linalg::BroadcastOp::create(b, loc, x, init, added)->getResult(0);
  SmallVector<ReassociationIndices> groups;
  for (int64_t i = 0; i < type.getRank(); ++i)
    groups.push_back({2 * i, 2 * i + 1});
  setOutput(0, tensor::CollapseShapeOp::create(
                   b, loc,
                   RankedTensorType::get(staticShape(collapsed),
                                         type.getElementType()),
                   broadcast, groups));
  return success();
}

LogicalResult GraphImporter::importExpand(const onnx::NodeProto &) {
  FailureOr<SmallVector<SymDim>> shape = knownShapeArg(1, "the target shape");
  if (failed(shape))
    return failure();
  FailureOr<Value> r = broadcastTo(input(0), *shape);
  if (failed(r))
    return failure();
  setOutput(0, *r);
  return success();
}

//===----------------------------------------------------------------------===//
// Constants and shapes
//===----------------------------------------------------------------------===//

LogicalResult GraphImporter::importConstant(const onnx::NodeProto &n) {
  const onnx::AttributeProto *a = nullptr;
  for (const auto &candidate : n.attribute())
    a = &candidate;
  if (n.attribute_size() != 1)
    return nodeError() << "expects exactly one value attribute", failure();
  ElementsAttr value;
  StringRef kind = a->name();
  if (kind == "value") {
    onnx::TensorProto tensor = a->t();
    if (tensor.name().empty())
      tensor.set_name(n.output(0));
    FailureOr<ElementsAttr> decoded =
        decodeTensor(tensor, ctx, decodeOptions, [&] { return nodeError(); });
    if (failed(decoded))
      return failure();
    value = *decoded;
  } else if (kind == "value_float" || kind == "value_floats") {
    SmallVector<float> floats =
        kind == "value_float"
            ? SmallVector<float>{a->f()}
            : SmallVector<float>(a->floats().begin(), a->floats().end());
    SmallVector<int64_t> shape;
    if (kind == "value_floats")
      shape.push_back(floats.size());
    value = DenseElementsAttr::get(RankedTensorType::get(shape, b.getF32Type()),
                                   ArrayRef<float>(floats));
  } else if (kind == "value_int" || kind == "value_ints") {
    SmallVector<int64_t> ints =
        kind == "value_int"
            ? SmallVector<int64_t>{a->i()}
            : SmallVector<int64_t>(a->ints().begin(), a->ints().end());
    SmallVector<int64_t> shape;
    if (kind == "value_ints")
      shape.push_back(ints.size());
    value = DenseElementsAttr::get(RankedTensorType::get(shape, b.getI64Type()),
                                   ArrayRef<int64_t>(ints));
  } else {
    return nodeError() << "constant attribute '" << kind
                       << "' is not supported",
           failure();
  }
  setOutput(0, createConstant(value));
  recordKnownConstant(n.output(0), value);
  return success();
}

LogicalResult GraphImporter::importConstantOfShape(const onnx::NodeProto &n) {
  FailureOr<SmallVector<SymDim>> dims = knownShapeArg(0, "the shape");
  if (failed(dims))
    return failure();
  Attribute element = b.getF32FloatAttr(0.0f);
  Type elementType = b.getF32Type();
  if (const auto *v = attr("value")) {
    onnx::TensorProto tensor = v->t();
    FailureOr<ElementsAttr> decoded =
        decodeTensor(tensor, ctx, decodeOptions, [&] { return nodeError(); });
    if (failed(decoded))
      return failure();
    auto dense = dyn_cast<DenseElementsAttr>(*decoded);
    if (!dense || dense.getNumElements() != 1)
      return nodeError() << "value must hold exactly one element", failure();
    element = dense.getValues<Attribute>()[0];
    elementType = dense.getElementType();
  }
  auto allConstant =
      llvm::all_of(*dims, [](const SymDim &d) { return d.isConstant(); });
  if (allConstant) {
    auto type = RankedTensorType::get(staticShape(*dims), elementType);
    auto attrValue = DenseElementsAttr::get(type, element);
    setOutput(0, createConstant(attrValue));
    recordKnownConstant(n.output(0), attrValue);
    return success();
  }
  Value scalar = arith::ConstantOp::create(b, loc, cast<TypedAttr>(element));
  Value init = emptyTensor(*dims, elementType);
  setOutput(0, linalg::FillOp::create(b, loc, scalar, init)->getResult(0));
  return success();
}

LogicalResult GraphImporter::importShape(const onnx::NodeProto &) {
  const Known *k = known(0);
  SmallVector<SymDim> dims;
  if (k) {
    for (int64_t d : k->shape)
      dims.push_back(SymDim::constant(d));
  } else {
    dims = dimsOf(input(0));
  }
  int64_t rank = dims.size();
  int64_t start = attrInt("start", 0), end = attrInt("end", rank);
  start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
  end = std::clamp<int64_t>(end < 0 ? end + rank : end, 0, rank);
  Known out;
  out.elementType = b.getI64Type();
  for (int64_t i = start; i < end; ++i)
    out.elems.push_back(dims[i]);
  out.shape = {(int64_t)out.elems.size()};
  setKnown(0, std::move(out));
  return success();
}

LogicalResult GraphImporter::importRange(const onnx::NodeProto &) {
  const Known *start = known(0), *limit = known(1), *delta = known(2);
  if (start && limit && delta && start->elems.size() == 1 &&
      limit->elems.size() == 1 && delta->elems.size() == 1 &&
      start->allConstant() && delta->allConstant()) {
    int64_t s = start->elems[0].getCoeff(), d = delta->elems[0].getCoeff();
    if (d == 0)
      return nodeError() << "delta must not be 0", failure();
    Type elementType = start->elementType;
    if (limit->allConstant()) {
      int64_t l = limit->elems[0].getCoeff();
      int64_t count = std::max<int64_t>(0, (l - s + d - (d > 0 ? 1 : -1)) / d);
      Known out;
      out.elementType = elementType;
      out.shape = {count};
      for (int64_t i = 0; i < count; ++i)
        out.elems.push_back(SymDim::constant(s + i * d));
      if (count <= kMaxKnownElements) {
        setKnown(0, std::move(out));
      } else {
        setOutput(0, materializeKnown(out));
      }
      return success();
    }
    // Dynamic length (torch.arange(seq_len)): tensor.generate.
    if (d <= 0)
      return nodeError() << "a dynamic limit needs a positive delta", failure();
    SymDim count = symDiv(symAdd(symAdd(limit->elems[0], SymDim::constant(s),
                                        /*subtract=*/true),
                                 SymDim::constant(d - 1), false),
                          SymDim::constant(d));
    auto type = RankedTensorType::get({ShapedType::kDynamic}, elementType);
    auto gen =
        tensor::GenerateOp::create(b, loc, type, ValueRange{indexValue(count)});
    OpBuilder::InsertionGuard guard(b);
    Block *body = b.createBlock(&gen.getBody(), {}, {b.getIndexType()}, {loc});
    Value i =
        arith::IndexCastOp::create(b, loc, elementType, body->getArgument(0));
    Value scaled = arith::MulIOp::create(
        b, loc, i,
        arith::ConstantOp::create(b, loc, b.getIntegerAttr(elementType, d)));
    Value value = arith::AddIOp::create(
        b, loc, scaled,
        arith::ConstantOp::create(b, loc, b.getIntegerAttr(elementType, s)));
    tensor::YieldOp::create(b, loc, value);
    setOutput(0, gen.getResult());
    return success();
  }
  // Floating-point Range with constant operands.
  FailureOr<std::optional<double>> s = constantScalar(0), l = constantScalar(1),
                                   d = constantScalar(2);
  if (failed(s) || failed(l) || failed(d))
    return failure();
  if (**d == 0)
    return nodeError() << "delta must not be 0", failure();
  int64_t count = std::max<int64_t>(0, (int64_t)std::ceil((**l - **s) / **d));
  Type elementType = getElementTypeOrSelf(input(0).getType());
  SmallVector<Attribute> elems;
  for (int64_t i = 0; i < count; ++i)
    elems.push_back(b.getFloatAttr(elementType, **s + i * **d));
  setOutput(0, createConstant(DenseElementsAttr::get(
                   RankedTensorType::get({count}, elementType), elems)));
  return success();
}

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

LogicalResult GraphImporter::importConv(const onnx::NodeProto &) {
  Value x = input(0), w = input(1);
  auto xType = cast<RankedTensorType>(x.getType());
  auto wType = cast<RankedTensorType>(w.getType());
  int64_t spatial = xType.getRank() - 2;
  if (spatial < 1 || spatial > 2 || wType.getRank() != xType.getRank())
    return nodeError() << "supports 1-D and 2-D convolutions (input rank 3 "
                          "or 4 matching the weight), got input "
                       << shapeString(xType.getShape()) << " and weight "
                       << shapeString(wType.getShape()),
           failure();
  SmallVector<int64_t> strides =
      attrInts("strides").value_or(SmallVector<int64_t>(spatial, 1));
  SmallVector<int64_t> dilations =
      attrInts("dilations").value_or(SmallVector<int64_t>(spatial, 1));
  SmallVector<int64_t> pads =
      attrInts("pads").value_or(SmallVector<int64_t>(2 * spatial, 0));
  if (auto ks = attrInts("kernel_shape"))
    for (int64_t i = 0; i < spatial; ++i)
      if ((*ks)[i] != wType.getDimSize(2 + i))
        return nodeError() << "kernel_shape does not match the weight "
                           << shapeString(wType.getShape()),
               failure();
  if ((int64_t)strides.size() != spatial ||
      (int64_t)dilations.size() != spatial ||
      (int64_t)pads.size() != 2 * spatial)
    return nodeError() << "strides/dilations/pads do not match " << spatial
                       << " spatial dimensions",
           failure();
  std::string autoPad = attrString("auto_pad", "NOTSET");
  if (autoPad == "VALID") {
    pads.assign(2 * spatial, 0);
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t d = xType.getDimSize(2 + i), k = wType.getDimSize(2 + i);
      if (ShapedType::isDynamic(d) || ShapedType::isDynamic(k))
        return nodeError() << "auto_pad " << autoPad
                           << " needs static spatial sizes",
               failure();
      int64_t out = (d + strides[i] - 1) / strides[i];
      int64_t total = std::max<int64_t>(0, (out - 1) * strides[i] +
                                               (k - 1) * dilations[i] + 1 - d);
      int64_t small = total / 2;
      pads[i] = autoPad == "SAME_UPPER" ? small : total - small;
      pads[i + spatial] = total - pads[i];
    }
  } else if (autoPad != "NOTSET") {
    return nodeError() << "unknown auto_pad '" << autoPad << "'", failure();
  }
  return setResult(createInferred<iq::ConvOp>(
      x, w, input(2), b.getDenseI64ArrayAttr(strides),
      b.getDenseI64ArrayAttr(pads), b.getDenseI64ArrayAttr(dilations),
      b.getI64IntegerAttr(attrInt("group", 1))));
}

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

/// The `!quant.uniform` type described by constant scale / zero-point inputs
/// (per tensor for scalars, per axis for 1-D).
FailureOr<Type> GraphImporter::quantizedType(int scaleIndex, int zeroPointIndex,
                                             int64_t rank, Type expressed,
                                             Type defaultStorage) {
  DenseElementsAttr scaleAttr = denseConstant(scaleIndex);
  if (!scaleAttr || !isa<FloatType>(scaleAttr.getElementType()))
    return nodeError() << "the scale must be a constant float tensor",
           failure();
  SmallVector<double> scales;
  for (const APFloat &s : scaleAttr.getValues<APFloat>()) {
    double v = s.convertToDouble();
    if (!(v > 0) || !std::isfinite(v))
      return nodeError() << "scale " << v << " must be positive and finite",
             failure();
    scales.push_back(v);
  }
  SmallVector<int64_t> zeroPoints(scales.size(), 0);
  Type storage = defaultStorage;
  if (hasInput(zeroPointIndex)) {
    DenseElementsAttr zpAttr = denseConstant(zeroPointIndex);
    if (!zpAttr || zpAttr.getNumElements() != (int64_t)scales.size())
      return nodeError() << "the zero point must be a constant with one "
                            "value per scale",
             failure();
    storage = zpAttr.getElementType();
    auto storageInt = cast<IntegerType>(storage);
    int64_t i = 0;
    for (const APInt &z : zpAttr.getValues<APInt>())
      zeroPoints[i++] =
          storageInt.isUnsigned() ? z.getZExtValue() : z.getSExtValue();
  }
  auto storageInt = dyn_cast<IntegerType>(storage);
  if (!storageInt ||
      (storageInt.getWidth() != 8 && storageInt.getWidth() != 32))
    return nodeError() << "quantized storage type " << storage
                       << " is not supported (int8, uint8, int32)",
           failure();
  bool isSigned = !storageInt.isUnsigned();
  unsigned width = storageInt.getWidth();
  Type signless = IntegerType::get(ctx, width);
  int64_t qmin =
      quant::QuantizedType::getDefaultMinimumForInteger(isSigned, width);
  int64_t qmax =
      quant::QuantizedType::getDefaultMaximumForInteger(isSigned, width);
  unsigned flags = isSigned ? quant::QuantizationFlags::Signed : 0;
  auto emitErr = [&] { return nodeError(); };
  if (scaleAttr.getType().getRank() == 0 ||
      (scaleAttr.getNumElements() == 1 && !attr("axis"))) {
    Type t = quant::UniformQuantizedType::getChecked(emitErr, flags, signless,
                                                     expressed, scales[0],
                                                     zeroPoints[0], qmin, qmax);
    if (!t)
      return failure();
    return t;
  }
  FailureOr<int64_t> axis = normalizeAxis(attrInt("axis", 1), rank);
  if (failed(axis))
    return failure();
  Type t = quant::UniformQuantizedPerAxisType::getChecked(
      emitErr, flags, signless, expressed, scales, zeroPoints, *axis, qmin,
      qmax);
  if (!t)
    return failure();
  return t;
}

LogicalResult GraphImporter::importQuantizeLinear(const onnx::NodeProto &) {
  Value x = input(0);
  auto type = cast<RankedTensorType>(x.getType());
  FailureOr<Type> qtype =
      quantizedType(1, 2, type.getRank(), type.getElementType(),
                    IntegerType::get(ctx, 8, IntegerType::Unsigned));
  if (failed(qtype))
    return failure();
  auto quantized = quant::QuantizeCastOp::create(b, loc, type.clone(*qtype), x);
  // The ONNX value is the integer tensor; keep the quantized value reachable
  // through scast so DequantizeLinear(QuantizeLinear(x)) folds.
  Type storage = cast<quant::QuantizedType>(*qtype).getStorageType();
  Value stored =
      quant::StorageCastOp::create(b, loc, type.clone(storage), quantized);
  // ONNX's default output type is uint8.
  Type onnxType = IntegerType::get(ctx, 8, IntegerType::Unsigned);
  if (auto zp = constantAttr(2))
    onnxType = getElementTypeOrSelf(zp.getType());
  if (onnxType != storage)
    stored = tensor::BitcastOp::create(b, loc, type.clone(onnxType), stored);
  setOutput(0, stored);
  return success();
}

LogicalResult GraphImporter::importDequantizeLinear(const onnx::NodeProto &) {
  Value x = input(0);
  auto type = cast<RankedTensorType>(x.getType());
  Type expressed = b.getF32Type();
  if (auto scale = constantAttr(1))
    expressed = getElementTypeOrSelf(scale.getType());
  FailureOr<Type> qtype =
      quantizedType(1, 2, type.getRank(), expressed, type.getElementType());
  if (failed(qtype))
    return failure();
  Type storage = cast<quant::QuantizedType>(*qtype).getStorageType();
  if (storage.getIntOrFloatBitWidth() != type.getElementTypeBitWidth())
    return nodeError() << "input element type " << type.getElementType()
                       << " does not match the zero point's type",
           failure();
  if (type.getElementType() != storage)
    x = tensor::BitcastOp::create(b, loc, type.clone(storage), x);
  Value q = quant::StorageCastOp::create(b, loc, type.clone(*qtype), x);
  setOutput(0,
            quant::DequantizeCastOp::create(b, loc, type.clone(expressed), q));
  return success();
}

LogicalResult
GraphImporter::importDynamicQuantizeLinear(const onnx::NodeProto &) {
  Value x = input(0);
  if (!getElementTypeOrSelf(x.getType()).isF32())
    return nodeError() << "expects an f32 input", failure();
  auto op = iq::DynamicQuantizeOp::create(b, loc, x);
  for (int i = 0; i < 3; ++i)
    setOutput(i, op->getResult(i));
  return success();
}

//===----------------------------------------------------------------------===//
// Graph
//===----------------------------------------------------------------------===//

const llvm::StringMap<Handler> &GraphImporter::handlers() {
  static const llvm::StringMap<Handler> table = {
      {"Add", &GraphImporter::importBinary<iq::AddOp>},
      {"Sub", &GraphImporter::importBinary<iq::SubOp>},
      {"Mul", &GraphImporter::importBinary<iq::MulOp>},
      {"Div", &GraphImporter::importBinary<iq::DivOp>},
      {"Pow", &GraphImporter::importBinary<iq::PowOp>},
      {"Sqrt", &GraphImporter::importUnary<iq::SqrtOp>},
      {"Erf", &GraphImporter::importUnary<iq::ErfOp>},
      {"Tanh", &GraphImporter::importUnary<iq::TanhOp>},
      {"Sigmoid", &GraphImporter::importUnary<iq::SigmoidOp>},
      {"Relu", &GraphImporter::importUnary<iq::ReluOp>},
      {"Neg", &GraphImporter::importUnary<iq::NegOp>},
      {"Abs", &GraphImporter::importUnary<iq::AbsOp>},
      {"Exp", &GraphImporter::importUnary<iq::ExpOp>},
      {"Equal", &GraphImporter::importCompare<iq::CmpPredicate::eq>},
      {"Less", &GraphImporter::importCompare<iq::CmpPredicate::lt>},
      {"Greater", &GraphImporter::importCompare<iq::CmpPredicate::gt>},
      {"GreaterOrEqual", &GraphImporter::importCompare<iq::CmpPredicate::ge>},
      {"Not", &GraphImporter::importNot},
      {"Where", &GraphImporter::importWhere},
      {"Cast", &GraphImporter::importCast},
      {"Identity", &GraphImporter::importIdentity},
      {"Dropout", &GraphImporter::importDropout},
      {"MatMul", &GraphImporter::importMatMul},
      {"Gemm", &GraphImporter::importGemm},
      {"Softmax", &GraphImporter::importSoftmax},
      {"LayerNormalization", &GraphImporter::importLayerNorm},
      {"ReduceMean", &GraphImporter::importReduce<iq::ReduceMeanOp>},
      {"ReduceSum", &GraphImporter::importReduce<iq::ReduceSumOp>},
      {"Transpose", &GraphImporter::importTranspose},
      {"Reshape", &GraphImporter::importReshape},
      {"Flatten", &GraphImporter::importFlatten},
      {"Squeeze", &GraphImporter::importSqueeze},
      {"Unsqueeze", &GraphImporter::importUnsqueeze},
      {"Gather", &GraphImporter::importGather},
      {"Concat", &GraphImporter::importConcat},
      {"Slice", &GraphImporter::importSlice},
      {"Split", &GraphImporter::importSplit},
      {"Pad", &GraphImporter::importPad},
      {"Tile", &GraphImporter::importTile},
      {"Expand", &GraphImporter::importExpand},
      {"Constant", &GraphImporter::importConstant},
      {"ConstantOfShape", &GraphImporter::importConstantOfShape},
      {"Shape", &GraphImporter::importShape},
      {"Range", &GraphImporter::importRange},
      {"Conv", &GraphImporter::importConv},
      {"BatchNormalization", &GraphImporter::importBatchNorm},
      {"QuantizeLinear", &GraphImporter::importQuantizeLinear},
      {"DequantizeLinear", &GraphImporter::importDequantizeLinear},
      {"DynamicQuantizeLinear", &GraphImporter::importDynamicQuantizeLinear},
      {"MatMulInteger", &GraphImporter::importMatMulInteger},
  };
  return table;
}

static bool isDefaultDomain(StringRef domain) {
  return domain.empty() || domain == "ai.onnx";
}

LogicalResult GraphImporter::checkOpsets(const onnx::ModelProto &model) {
  bool found = false;
  for (const auto &imp : model.opset_import()) {
    if (!isDefaultDomain(imp.domain()))
      continue;
    found = true;
    opset = imp.version();
  }
  if (!found)
    return modelError() << "the model imports no default-domain (ai.onnx) "
                           "opset",
           failure();
  if (opset < kMinOpset || opset > kMaxOpset)
    return modelError() << "opset " << opset
                        << " of the default domain is not supported "
                           "(supported: "
                        << kMinOpset << " to " << kMaxOpset << ")",
           failure();
  return success();
}

LogicalResult GraphImporter::checkSupportedOps(const onnx::GraphProto &graph) {
  SmallVector<std::string> unsupported;
  for (auto [i, n] : llvm::enumerate(graph.node())) {
    std::string name = n.name().empty() ? "#" + std::to_string(i) : n.name();
    if (!isDefaultDomain(n.domain()))
      unsupported.push_back("node '" + name + "': " + n.domain() +
                            "::" + n.op_type() + " (domain '" + n.domain() +
                            "' is not supported)");
    else if (!handlers().count(n.op_type()))
      unsupported.push_back("node '" + name + "': " + n.op_type());
  }
  if (unsupported.empty())
    return success();
  auto diag = modelError() << "the model uses " << unsupported.size()
                           << " unsupported operator node(s):";
  for (const std::string &u : unsupported)
    diag << "\n  " << u;
  return failure();
}

FailureOr<RankedTensorType>
GraphImporter::valueInfoType(const onnx::ValueInfoProto &info,
                             SmallVectorImpl<StringRef> &dimNames) {
  if (!info.type().has_tensor_type())
    return modelError() << "graph value '" << info.name()
                        << "' is not a tensor (sequence/map/optional types "
                           "are not supported)",
           failure();
  const auto &tt = info.type().tensor_type();
  Type elementType = convertElementType(tt.elem_type(), ctx);
  if (!elementType)
    return modelError() << "graph value '" << info.name()
                        << "' has unsupported element type "
                        << onnxTypeName(tt.elem_type()),
           failure();
  if (!tt.has_shape())
    return modelError() << "graph value '" << info.name()
                        << "' has no shape (rank must be known)",
           failure();
  SmallVector<int64_t> shape;
  for (const auto &dim : tt.shape().dim()) {
    if (dim.has_dim_value()) {
      if (dim.dim_value() < 0)
        return modelError() << "graph value '" << info.name()
                            << "' has negative dimension " << dim.dim_value(),
               failure();
      shape.push_back(dim.dim_value());
      dimNames.push_back("");
    } else {
      shape.push_back(ShapedType::kDynamic);
      dimNames.push_back(dim.dim_param());
    }
  }
  return RankedTensorType::get(shape, elementType);
}

LogicalResult GraphImporter::importInitializer(onnx::TensorProto &tensor) {
  std::string name = tensor.name();
  FailureOr<ElementsAttr> attr =
      decodeTensor(tensor, ctx, decodeOptions, [&] { return modelError(); });
  if (failed(attr))
    return failure();
  values[name] = Entry{createConstant(*attr), std::nullopt};
  recordKnownConstant(name, *attr);
  return success();
}

LogicalResult GraphImporter::importNode(const onnx::NodeProto &n) {
  node = &n;
  loc = NameLoc::get(b.getStringAttr(nodeName), fileLoc());
  for (int i = 0; i < n.input_size(); ++i)
    if (!n.input(i).empty() && !values.count(n.input(i)))
      return nodeError() << "input '" << n.input(i)
                         << "' is not defined (no initializer, graph input "
                            "or earlier node output produces it)",
             failure();
  if (n.output_size() == 0)
    return nodeError() << "has no outputs", failure();
  Handler handler = handlers().lookup(n.op_type());
  if (failed((this->*handler)(n)))
    return failure();
  for (int i = 0; i < n.output_size(); ++i)
    if (!n.output(i).empty() && !values.count(n.output(i)))
      return nodeError() << "output " << i << " ('" << n.output(i)
                         << "') is not supported",
             failure();
  return success();
}

OwningOpRef<ModuleOp> GraphImporter::run(onnx::ModelProto &model) {
  decodeOptions.maxTensorBytes = options.maxTensorBytes;
  decodeOptions.inlineElementLimit = options.inlineElementLimit;
  decodeOptions.externalDataDir = options.externalDataDir;
  if (failed(checkOpsets(model)))
    return {};
  onnx::GraphProto &graph = *model.mutable_graph();
  if (failed(checkSupportedOps(graph)))
    return {};

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc());
  module->getOperation()->setAttr("iq.onnx.opset", b.getI64IntegerAttr(opset));
  if (!model.producer_name().empty())
    module->getOperation()->setAttr(
        "iq.onnx.producer",
        b.getStringAttr(model.producer_version().empty()
                            ? model.producer_name()
                            : model.producer_name() + " " +
                                  model.producer_version()));

  // Bound inputs become initializers.
  for (const auto &[name, path] : options.boundInputs) {
    if (path.empty() ||
        llvm::none_of(graph.input(), [&, &name = name](const auto &in) {
          return in.name() == name;
        })) {
      modelError() << "--bind-input '" << name << "=" << path
                   << "': the graph has no input named '" << name
                   << "' or no file was given";
      return {};
    }
    auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
    onnx::TensorProto tensor;
    if (!buffer || !tensor.ParseFromArray((*buffer)->getBufferStart(),
                                          (*buffer)->getBufferSize())) {
      modelError() << "--bind-input '" << name << "': cannot read an ONNX "
                   << "TensorProto from '" << path << "'";
      return {};
    }
    tensor.set_name(name);
    *graph.add_initializer() = std::move(tensor);
  }

  // Graph inputs that have initializers are constants (old-style defaults).
  llvm::StringSet<> initializerNames;
  for (const auto &t : graph.initializer())
    initializerNames.insert(t.name());
  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  SmallVector<SmallVector<StringRef>> argDimNames;
  for (const auto &in : graph.input()) {
    if (initializerNames.contains(in.name()))
      continue;
    SmallVector<StringRef> dimNames;
    FailureOr<RankedTensorType> type = valueInfoType(in, dimNames);
    if (failed(type))
      return {};
    argTypes.push_back(*type);
    argNames.push_back(in.name());
    argDimNames.push_back(dimNames);
  }
  if (graph.output_size() == 0) {
    modelError() << "the graph has no outputs";
    return {};
  }

  std::string funcName =
      options.functionName.empty()
          ? sanitizeIdentifier(graph.name().empty() ? "main" : graph.name(),
                               "m_")
          : options.functionName;
  b.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(b, fileLoc(), funcName,
                                   b.getFunctionType(argTypes, {}));
  Block *entry = func.addEntryBlock();
  b.setInsertionPointToEnd(entry);
  for (auto [i, arg] : llvm::enumerate(entry->getArguments())) {
    func.setArgAttr(i, "iq.name", b.getStringAttr(argNames[i]));
    SmallVector<Attribute> dimAttrs;
    bool anyNamed = false;
    for (auto [d, dimName] : llvm::enumerate(argDimNames[i])) {
      dimAttrs.push_back(b.getStringAttr(dimName));
      if (dimName.empty())
        continue;
      anyNamed = true;
      // Dimensions sharing a dim_param are one symbol.
      auto [it, inserted] = dimParams.try_emplace(dimName, SymDim());
      if (inserted)
        it->second = opaque(tensor::DimOp::create(b, fileLoc(), arg, d));
      dimCache[{arg, (int64_t)d}] = it->second;
    }
    if (anyNamed)
      func.setArgAttr(i, "iq.dims", b.getArrayAttr(dimAttrs));
    values[argNames[i]] = Entry{arg, std::nullopt};
  }

  for (auto &t : *graph.mutable_initializer())
    if (failed(importInitializer(t)))
      return {};
  for (auto [i, n] : llvm::enumerate(graph.node())) {
    nodeName =
        n.name().empty() ? n.op_type() + "#" + std::to_string(i) : n.name();
    if (failed(importNode(n)))
      return {};
  }

  SmallVector<Value> results;
  SmallVector<Type> resultTypes;
  loc = fileLoc();
  for (const auto &out : graph.output()) {
    auto it = values.find(out.name());
    if (it == values.end()) {
      modelError() << "graph output '" << out.name() << "' is never produced";
      return {};
    }
    Value v = materialize(it->second);
    auto computed = cast<RankedTensorType>(v.getType());
    SmallVector<StringRef> dimNames;
    if (out.type().has_tensor_type()) {
      Type declared =
          convertElementType(out.type().tensor_type().elem_type(), ctx);
      if (declared && declared != computed.getElementType()) {
        modelError() << "graph output '" << out.name() << "' is declared "
                     << onnxTypeName(out.type().tensor_type().elem_type())
                     << " but computes " << computed.getElementType();
        return {};
      }
      if (out.type().tensor_type().has_shape()) {
        const auto &dims = out.type().tensor_type().shape().dim();
        bool mismatch = dims.size() != computed.getRank();
        for (int d = 0; !mismatch && d < dims.size(); ++d)
          mismatch = dims[d].has_dim_value() && !computed.isDynamicDim(d) &&
                     dims[d].dim_value() != computed.getDimSize(d);
        if (mismatch) {
          SmallVector<int64_t> declaredShape;
          for (const auto &d : dims)
            declaredShape.push_back(d.has_dim_value() ? d.dim_value()
                                                      : ShapedType::kDynamic);
          modelError() << "graph output '" << out.name()
                       << "' is declared with shape "
                       << shapeString(declaredShape) << " but computes "
                       << shapeString(computed.getShape());
          return {};
        }
      }
    }
    results.push_back(v);
    resultTypes.push_back(v.getType());
  }
  func::ReturnOp::create(b, fileLoc(), results);
  func.setFunctionType(b.getFunctionType(argTypes, resultTypes));
  for (auto [i, out] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, "iq.name", b.getStringAttr(out.name()));

  if (failed(verify(*module)))
    return {};
  return module;
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

OwningOpRef<ModuleOp> iqc::importONNXModel(StringRef bytes,
                                           StringRef bufferName,
                                           MLIRContext *context,
                                           const ONNXImportOptions &options) {
  context->loadDialect<iq::IQDialect, func::FuncDialect, arith::ArithDialect,
                       tensor::TensorDialect, linalg::LinalgDialect,
                       quant::QuantDialect>();
  onnx::ModelProto model;
  std::string error;
  Location fileLoc = FileLineColLoc::get(context, bufferName, 0, 0);
  if (bytes.empty()) {
    emitError(fileLoc) << "the model file is empty";
    return {};
  }
  if (failed(parseModel(bytes, detectModelFormat(bytes), model, error))) {
    emitError(fileLoc) << error;
    return {};
  }
  ONNXImportOptions opts = options;
  if (opts.externalDataDir.empty())
    opts.externalDataDir = llvm::sys::path::parent_path(bufferName).str();
  GraphImporter importer(context, bufferName, opts);
  return importer.run(model);
}

OwningOpRef<ModuleOp> iqc::importONNXFile(StringRef path, MLIRContext *context,
                                          const ONNXImportOptions &options) {
  auto buffer =
      llvm::MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!buffer) {
    emitError(FileLineColLoc::get(context, path, 0, 0))
        << "cannot open '" << path << "': " << buffer.getError().message();
    return {};
  }
  return importONNXModel((*buffer)->getBuffer(), path, context, options);
}

void iqc::registerImportDialects(DialectRegistry &registry) {
  registry.insert<iq::IQDialect, func::FuncDialect, arith::ArithDialect,
                  tensor::TensorDialect, linalg::LinalgDialect,
                  quant::QuantDialect>();
}

std::vector<std::string> iqc::supportedONNXOps() {
  std::vector<std::string> ops;
  for (const auto &entry : GraphImporter::handlers())
    ops.push_back(entry.getKey().str());
  llvm::sort(ops);
  return ops;
}
