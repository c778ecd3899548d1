//===- JIT.cpp - Compile and run models in process ------------------------===//

#include "iqc/Target/JIT.h"

#include "iqc/Target/Compiler.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"
#include "llvm/IR/Module.h"
#include "llvm/Target/TargetMachine.h"

#include <cstring>

using namespace mlir;

// From libiqc_runtime (hidden there; linked statically into the tools).
extern "C" void memrefCopy(int64_t, void *, void *);

static llvm::Error makeError(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}

iqc::JITModel::~JITModel() = default;

llvm::Expected<std::unique_ptr<iqc::JITModel>>
iqc::JITModel::compile(ModuleOp module, llvm::StringRef prefix,
                       llvm::StringRef cpu, CPUPipelineOptions &pipeline) {
  CPUTargetOptions targetOptions;
  targetOptions.cpu = cpu.str();
  auto tm = createCPUTargetMachine(targetOptions);
  if (!tm)
    return tm.takeError();
  configureForTarget(pipeline, **tm);
  auto sig = lowerModel(module, prefix, pipeline);
  if (failed(sig))
    return makeError("compiling the model failed");

  llvm::TargetMachine *tmPtr = tm->get();
  auto builder = [&](Operation *op,
                     llvm::LLVMContext &ctx) -> std::unique_ptr<llvm::Module> {
    auto m = translateToLLVMIR(cast<ModuleOp>(op), ctx, *tmPtr);
    if (!m) {
      llvm::errs() << "iqc: " << llvm::toString(m.takeError()) << "\n";
      return nullptr;
    }
    emitModelGlue(**m, *sig, /*exportDefault=*/false);
    return std::move(*m);
  };
  auto transformer = makeOptimizingTransformer(3, 0, tmPtr);
  ExecutionEngineOptions options;
  options.llvmModuleBuilder = builder;
  options.transformer = transformer;
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  auto engine = ExecutionEngine::create(module, options, std::move(*tm));
  if (!engine)
    return engine.takeError();
  std::unique_ptr<JITModel> jit(new JITModel());
  jit->engine = std::move(*engine);
  // The glue calls into the runtime linked into this process.
  jit->engine->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap map;
    map[interner("iqc_model_run")] = {
        llvm::orc::ExecutorAddr::fromPtr(&iqc_model_run),
        llvm::JITSymbolFlags::Exported};
    map[interner("memrefCopy")] = {
        llvm::orc::ExecutorAddr::fromPtr(&memrefCopy),
        llvm::JITSymbolFlags::Exported};
    return map;
  });
  auto getter = jit->engine->lookup((prefix + "_model").str());
  if (!getter)
    return getter.takeError();
  jit->model_ = reinterpret_cast<const iqc_model *(*)(void)>(*getter)();
  return jit;
}

iqc_tensor iqc::tensorView(HostTensor &t) {
  iqc_tensor v{};
  v.data = t.data.data();
  v.rank = t.shape.size();
  v.dtype = t.dtype;
  for (size_t i = 0; i < t.shape.size() && i < IQC_MAX_RANK; ++i)
    v.shape[i] = t.shape[i];
  return v;
}

llvm::Expected<std::vector<iqc::HostTensor>>
iqc::runModel(const iqc_model *m, std::vector<HostTensor> &inputs) {
  std::vector<iqc_tensor> in;
  for (HostTensor &t : inputs)
    in.push_back(tensorView(t));
  std::vector<iqc_tensor> out(m->num_outputs);
  iqc_error error;
  iqc_status st =
      iqc_model_run(m, in.data(), in.size(), out.data(), out.size(), &error);
  if (st != IQC_OK)
    return makeError(llvm::Twine(iqc_status_string(st)) + ": " +
                     error.message);
  std::vector<HostTensor> results;
  for (uint32_t i = 0; i < m->num_outputs; ++i) {
    HostTensor h;
    h.dtype = out[i].dtype;
    h.name = m->outputs[i].name;
    h.shape.assign(out[i].shape, out[i].shape + out[i].rank);
    size_t bytes = h.numElements() * iqc_dtype_size(out[i].dtype);
    h.data.resize(bytes);
    if (bytes)
      std::memcpy(h.data.data(), out[i].data, bytes);
    iqc_tensor_free(&out[i]);
    results.push_back(std::move(h));
  }
  return results;
}
