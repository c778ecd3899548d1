//===- ModelABI.cpp - The C ABI glue of compiled models -------------------===//
//
// The compiled function takes and returns MLIR memref descriptors through
// its `_mlir_ciface_` wrapper. The glue emitted here gives it the stable C
// ABI of iqc_runtime.h: static metadata (names, dtypes, dims, token-id
// ranges), an `invoke` trampoline that unpacks an argument array, and the
// `<prefix>_model` / `<prefix>_run` entry points.
//
//===----------------------------------------------------------------------===//

#include "iqc/Target/ModelABI.h"

#include "iqc/Dialect/IQ/IR/IQOps.h"
#include "iqc/Import/ONNXModel.h"
#include "iqc/Runtime/iqc_runtime.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"

using namespace mlir;

std::string iqc::symbolPrefix(StringRef name) {
  return sanitizeIdentifier(name, "m_");
}

int32_t iqc::dtypeCode(Type t) {
  if (t.isF32())
    return IQC_FLOAT32;
  if (t.isF64())
    return IQC_FLOAT64;
  if (t.isF16())
    return IQC_FLOAT16;
  if (t.isBF16())
    return IQC_BFLOAT16;
  auto i = dyn_cast<IntegerType>(t);
  if (!i)
    return 0;
  bool u = i.isUnsigned();
  switch (i.getWidth()) {
  case 1:
    return IQC_BOOL;
  case 8:
    return u ? IQC_UINT8 : IQC_INT8;
  case 16:
    return u ? IQC_UINT16 : IQC_INT16;
  case 32:
    return u ? IQC_UINT32 : IQC_INT32;
  case 64:
    return u ? IQC_UINT64 : IQC_INT64;
  default:
    return 0;
  }
}

/// The index range accepted by the gathers that `arg` feeds directly (or
/// through iq.cast): [-V, V-1] for a table of V rows.
static std::optional<std::pair<int64_t, int64_t>> gatherRange(Value arg) {
  std::optional<std::pair<int64_t, int64_t>> range;
  SmallVector<Value> work{arg};
  while (!work.empty()) {
    Value v = work.pop_back_val();
    for (Operation *user : v.getUsers()) {
      if (auto cast = dyn_cast<iqc::iq::CastOp>(user)) {
        if (isa<IntegerType>(getElementTypeOrSelf(cast.getType())))
          work.push_back(cast.getResult());
        continue;
      }
      auto gather = dyn_cast<iqc::iq::GatherOp>(user);
      if (!gather || gather.getIndices() != v)
        continue;
      auto dt = cast<RankedTensorType>(gather.getData().getType());
      int64_t rows = dt.getDimSize(gather.getAxis());
      if (ShapedType::isDynamic(rows))
        continue;
      std::pair<int64_t, int64_t> r{-rows, rows - 1};
      range = range ? std::make_pair(std::max(range->first, r.first),
                                     std::min(range->second, r.second))
                    : r;
    }
  }
  return range;
}

static FailureOr<iqc::TensorSignature>
tensorSignature(func::FuncOp func, Type type, DictionaryAttr attrs,
                StringRef kind, unsigned index) {
  iqc::TensorSignature sig;
  if (auto name = attrs ? attrs.getAs<StringAttr>("iq.name") : StringAttr())
    sig.name = name.str();
  else
    sig.name = (kind + llvm::Twine(index)).str();
  auto tt = dyn_cast<RankedTensorType>(type);
  if (!tt)
    return func.emitError() << kind << " '" << sig.name
                            << "' is not a ranked tensor: " << type,
           failure();
  sig.dtype = iqc::dtypeCode(tt.getElementType());
  if (!sig.dtype)
    return func.emitError()
               << kind << " '" << sig.name << "' has element type "
               << tt.getElementType() << ", which the C ABI does not support",
           failure();
  if (tt.getRank() > IQC_MAX_RANK)
    return func.emitError()
               << kind << " '" << sig.name << "' has rank " << tt.getRank()
               << "; the C ABI allows at most " << IQC_MAX_RANK,
           failure();
  ArrayAttr dimNames = attrs ? attrs.getAs<ArrayAttr>("iq.dims") : ArrayAttr();
  for (int64_t d = 0; d < tt.getRank(); ++d) {
    sig.dims.push_back(tt.isDynamicDim(d) ? -1 : tt.getDimSize(d));
    std::string dn;
    if (dimNames && d < (int64_t)dimNames.size())
      if (auto s = dyn_cast<StringAttr>(dimNames[d]))
        dn = s.str();
    sig.dimNames.push_back(tt.isDynamicDim(d) ? dn : "");
  }
  return sig;
}

FailureOr<func::FuncOp> iqc::findModelEntry(ModuleOp module) {
  func::FuncOp entry;
  for (auto f : module.getOps<func::FuncOp>()) {
    if (f.isPrivate() || f.isDeclaration())
      continue;
    if (entry)
      return module.emitError()
                 << "expected one public function as the model entry, found '"
                 << entry.getSymName() << "' and '" << f.getSymName() << "'",
             failure();
    entry = f;
  }
  if (!entry)
    return module.emitError() << "no public function to compile", failure();
  return entry;
}

FailureOr<iqc::ModelSignature> iqc::prepareModelEntry(ModuleOp module,
                                                      StringRef prefix) {
  FailureOr<func::FuncOp> found = findModelEntry(module);
  if (failed(found))
    return failure();
  func::FuncOp entry = *found;
  ModelSignature sig;
  sig.prefix = prefix.str();
  sig.function = (prefix + "_forward").str();
  FunctionType ft = entry.getFunctionType();
  for (unsigned i = 0; i < ft.getNumInputs(); ++i) {
    auto ts = tensorSignature(entry, ft.getInput(i), entry.getArgAttrDict(i),
                              "input", i);
    if (failed(ts))
      return failure();
    if (isa<IntegerType>(getElementTypeOrSelf(ft.getInput(i))))
      if (auto r = gatherRange(entry.getArgument(i))) {
        ts->hasRange = true;
        ts->minValue = r->first;
        ts->maxValue = r->second;
      }
    sig.inputs.push_back(std::move(*ts));
  }
  for (unsigned i = 0; i < ft.getNumResults(); ++i) {
    auto ts = tensorSignature(entry, ft.getResult(i),
                              entry.getResultAttrDict(i), "output", i);
    if (failed(ts))
      return failure();
    sig.outputs.push_back(std::move(*ts));
  }
  if (ft.getNumResults() == 0)
    return entry.emitError() << "the model has no outputs", failure();
  if (failed(SymbolTable::replaceAllSymbolUses(
          entry, StringAttr::get(module.getContext(), sig.function), module)))
    return failure();
  entry.setSymName(sig.function);
  // The names now live in the signature; LLVM has no use for them.
  for (unsigned i = 0; i < entry.getNumArguments(); ++i)
    entry.setArgAttrs(i, DictionaryAttr::get(module.getContext()));
  for (unsigned i = 0; i < entry.getNumResults(); ++i)
    entry.setResultAttrs(i, DictionaryAttr::get(module.getContext()));
  entry->setAttr("llvm.emit_c_interface", UnitAttr::get(module.getContext()));
  return sig;
}

//===----------------------------------------------------------------------===//
// LLVM IR glue
//===----------------------------------------------------------------------===//

namespace {
struct GlueBuilder {
  llvm::Module &m;
  llvm::LLVMContext &ctx;
  const iqc::ModelSignature &sig;
  llvm::Type *ptr, *i32, *i64;
  llvm::StructType *infoTy, *modelTy;

  GlueBuilder(llvm::Module &m, const iqc::ModelSignature &sig)
      : m(m), ctx(m.getContext()), sig(sig) {
    ptr = llvm::PointerType::getUnqual(ctx);
    i32 = llvm::Type::getInt32Ty(ctx);
    i64 = llvm::Type::getInt64Ty(ctx);
    infoTy = llvm::StructType::create(
        ctx, {ptr, i32, i32, ptr, ptr, i64, i64, i32, i32}, "iqc_tensor_info");
    modelTy = llvm::StructType::create(
        ctx, {i32, i32, i32, i32, ptr, ptr, ptr, ptr}, "iqc_model");
  }

  llvm::Constant *string(StringRef s, const llvm::Twine &name) {
    auto *init = llvm::ConstantDataArray::getString(ctx, s);
    auto *g =
        new llvm::GlobalVariable(m, init->getType(), true,
                                 llvm::GlobalValue::PrivateLinkage, init, name);
    g->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
    return g;
  }

  llvm::Constant *privateArray(llvm::ArrayType *type,
                               ArrayRef<llvm::Constant *> elems,
                               const llvm::Twine &name) {
    auto *init = llvm::ConstantArray::get(type, elems);
    return new llvm::GlobalVariable(
        m, type, true, llvm::GlobalValue::PrivateLinkage, init, name);
  }

  llvm::Constant *infoTable(ArrayRef<iqc::TensorSignature> tensors,
                            StringRef kind) {
    SmallVector<llvm::Constant *> infos;
    for (auto [i, t] : llvm::enumerate(tensors)) {
      std::string base = (sig.prefix + "." + kind + llvm::Twine(i)).str();
      SmallVector<llvm::Constant *> dims, names;
      bool anyName = false;
      for (auto [d, dn] : llvm::zip(t.dims, t.dimNames)) {
        dims.push_back(llvm::ConstantInt::get(i64, d));
        if (dn.empty()) {
          names.push_back(llvm::ConstantPointerNull::get(
              llvm::cast<llvm::PointerType>(ptr)));
        } else {
          names.push_back(string(dn, base + ".dimname"));
          anyName = true;
        }
      }
      llvm::Constant *dimsG =
          dims.empty() ? (llvm::Constant *)llvm::ConstantPointerNull::get(
                             llvm::cast<llvm::PointerType>(ptr))
                       : (llvm::Constant *)new llvm::GlobalVariable(
                             m, llvm::ArrayType::get(i64, dims.size()), true,
                             llvm::GlobalValue::PrivateLinkage,
                             llvm::ConstantArray::get(
                                 llvm::ArrayType::get(i64, dims.size()), dims),
                             base + ".dims");
      llvm::Constant *namesG =
          anyName ? privateArray(llvm::ArrayType::get(ptr, names.size()), names,
                                 base + ".dimnames")
                  : llvm::ConstantPointerNull::get(
                        llvm::cast<llvm::PointerType>(ptr));
      infos.push_back(llvm::ConstantStruct::get(
          infoTy,
          {string(t.name, base + ".name"), llvm::ConstantInt::get(i32, t.dtype),
           llvm::ConstantInt::get(i32, t.dims.size()), dimsG, namesG,
           llvm::ConstantInt::get(i64, t.minValue),
           llvm::ConstantInt::get(i64, t.maxValue),
           llvm::ConstantInt::get(i32, t.hasRange ? 1 : 0),
           llvm::ConstantInt::get(i32, 0)}));
    }
    if (infos.empty())
      return llvm::ConstantPointerNull::get(llvm::cast<llvm::PointerType>(ptr));
    return privateArray(llvm::ArrayType::get(infoTy, infos.size()), infos,
                        sig.prefix + "." + kind);
  }

  llvm::Function *define(llvm::FunctionType *type, const llvm::Twine &name,
                         bool exported) {
    auto *f =
        llvm::Function::Create(type,
                               exported ? llvm::GlobalValue::ExternalLinkage
                                        : llvm::GlobalValue::InternalLinkage,
                               name, m);
    f->setDoesNotThrow();
    return f;
  }

  void build(bool exportDefault) {
    // Everything the compiler generated stays inside the library.
    for (llvm::Function &f : m.functions())
      if (!f.isDeclaration() && !f.hasLocalLinkage())
        f.setVisibility(llvm::GlobalValue::HiddenVisibility);
    for (llvm::GlobalVariable &g : m.globals())
      if (!g.isDeclaration() && !g.hasLocalLinkage())
        g.setVisibility(llvm::GlobalValue::HiddenVisibility);

    // invoke(results, args): _mlir_ciface_<fn>(results, args[0], ...).
    llvm::Function *ciface = m.getFunction("_mlir_ciface_" + sig.function);
    assert(ciface && "model function without a C interface");
    llvm::Function *invoke = define(
        llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr, ptr}, false),
        sig.prefix + "_invoke", false);
    {
      llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", invoke));
      SmallVector<llvm::Value *> args{invoke->getArg(0)};
      for (size_t i = 0; i < sig.inputs.size(); ++i) {
        llvm::Value *slot =
            b.CreateConstInBoundsGEP1_64(ptr, invoke->getArg(1), i);
        args.push_back(b.CreateLoad(ptr, slot));
      }
      b.CreateCall(ciface->getFunctionType(), ciface, args);
      b.CreateRetVoid();
    }

    auto *model = new llvm::GlobalVariable(
        m, modelTy, true, llvm::GlobalValue::InternalLinkage,
        llvm::ConstantStruct::get(
            modelTy, {llvm::ConstantInt::get(i32, IQC_ABI_VERSION),
                      llvm::ConstantInt::get(i32, sig.inputs.size()),
                      llvm::ConstantInt::get(i32, sig.outputs.size()),
                      llvm::ConstantInt::get(i32, 0),
                      string(sig.prefix, sig.prefix + ".name"),
                      infoTable(sig.inputs, "inputs"),
                      infoTable(sig.outputs, "outputs"), invoke}),
        sig.prefix + ".model");

    auto *getterTy = llvm::FunctionType::get(ptr, {}, false);
    auto emitGetter = [&](const llvm::Twine &name) {
      llvm::Function *f = define(getterTy, name, true);
      llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", f));
      b.CreateRet(model);
    };
    emitGetter(sig.prefix + "_model");
    if (exportDefault)
      emitGetter("iqc_default_model");

    // <p>_run(inputs, n, outputs, n, error) -> iqc_model_run(model, ...).
    llvm::Type *sizeT = i64;
    auto *runTy =
        llvm::FunctionType::get(i32, {ptr, sizeT, ptr, sizeT, ptr}, false);
    llvm::FunctionCallee runtime = m.getOrInsertFunction(
        "iqc_model_run", llvm::FunctionType::get(
                             i32, {ptr, ptr, sizeT, ptr, sizeT, ptr}, false));
    llvm::Function *run = define(runTy, sig.prefix + "_run", true);
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", run));
    llvm::Value *r =
        b.CreateCall(runtime, {model, run->getArg(0), run->getArg(1),
                               run->getArg(2), run->getArg(3), run->getArg(4)});
    b.CreateRet(r);
  }
};
} // namespace

void iqc::emitModelGlue(llvm::Module &module, const ModelSignature &signature,
                        bool exportDefault) {
  GlueBuilder(module, signature).build(exportDefault);
}

//===----------------------------------------------------------------------===//
// C header
//===----------------------------------------------------------------------===//

static void describe(llvm::raw_ostream &os, const iqc::TensorSignature &t) {
  os << t.name << ": " << iqc_dtype_name(t.dtype) << " [";
  for (size_t d = 0; d < t.dims.size(); ++d) {
    if (d)
      os << ", ";
    if (t.dims[d] >= 0)
      os << t.dims[d];
    else if (!t.dimNames[d].empty())
      os << t.dimNames[d];
    else
      os << "?";
  }
  os << "]";
  if (t.hasRange)
    os << ", values in [" << t.minValue << ", " << t.maxValue << "]";
}

void iqc::emitCHeader(llvm::raw_ostream &os, const ModelSignature &sig) {
  std::string guard = "IQC_MODEL_" + llvm::StringRef(sig.prefix).upper() + "_H";
  std::string upper = llvm::StringRef(sig.prefix).upper();
  os << "/* Generated by iqc-compile: entry points of the compiled model '"
     << sig.prefix << "'.\n * See iqc/Runtime/iqc_runtime.h for the types.\n"
     << " *\n * Inputs (in order):\n";
  for (auto [i, t] : llvm::enumerate(sig.inputs)) {
    os << " *   " << i << ". ";
    describe(os, t);
    os << "\n";
  }
  os << " * Outputs (in order):\n";
  for (auto [i, t] : llvm::enumerate(sig.outputs)) {
    os << " *   " << i << ". ";
    describe(os, t);
    os << "\n";
  }
  os << " */\n#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include \"iqc/Runtime/iqc_runtime.h\"\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
     << "#define " << upper << "_NUM_INPUTS " << sig.inputs.size() << "\n"
     << "#define " << upper << "_NUM_OUTPUTS " << sig.outputs.size() << "\n\n"
     << "/* Metadata (names, dtypes, dims) and the entry point. */\n"
     << "const iqc_model *" << sig.prefix << "_model(void);\n\n"
     << "/* Runs the model; see iqc_model_run(). Thread-safe. */\n"
     << "iqc_status " << sig.prefix
     << "_run(const iqc_tensor *inputs, size_t num_inputs,\n"
     << "    iqc_tensor *outputs, size_t num_outputs, iqc_error *error);\n\n"
     << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
}
