//===- Compiler.cpp - The iqc compilation driver --------------------------===//
//
// Holds the InitAll* includes (slow to compile) so that only this file pays
// for them.
//
//===----------------------------------------------------------------------===//

#include "iqc/Target/Compiler.h"

#include "iqc/Dialect/IQ/IR/IQDialect.h"
#include "iqc/Target/Quantize.h"

#include "mlir/Bytecode/BytecodeReader.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/Support/Path.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;

void iqc::registerCompilerDialects(DialectRegistry &registry) {
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  registry.insert<iq::IQDialect>();
}

void iqc::registerCompilerCLOptions() {
  registerImportCLOptions();
  registerQuantizeCLOptions();
  registerPassManagerCLOptions();
  registerDefaultTimingManagerCLOptions();
  registerMLIRContextCLOptions();
  registerAsmPrinterCLOptions();
}

void iqc::hideUnrelatedOptions(llvm::cl::OptionCategory &tool,
                               ArrayRef<StringRef> keep) {
  auto &options = llvm::cl::getRegisteredOptions();
  auto show = [&](StringRef name) {
    if (llvm::cl::Option *o = options.lookup(name))
      o->addCategory(tool);
  };
  for (StringRef name : keep)
    show(name);
  for (StringRef name :
       {"mlir-timing", "mlir-print-ir-after-all", "mlir-print-ir-before-all",
        "mlir-print-ir-after-failure", "mlir-disable-threading",
        "mlir-elide-elementsattrs-if-larger"})
    show(name);
  llvm::cl::HideUnrelatedOptions(
      {&tool, &getImportOptionCategory(), &getQuantizeOptionCategory()});
}

void iqc::configureForTarget(CPUPipelineOptions &pipeline,
                             const llvm::TargetMachine &tm) {
  const llvm::MCSubtargetInfo *sti = tm.getMCSubtargetInfo();
  bool avx512 = sti->checkFeatures("+avx512f");
  pipeline.vectorWidth = avx512 ? 32 : 16;
  pipeline.kernelRows = avx512 ? 8 : 6;
  pipeline.vnni = sti->checkFeatures("+avx512vnni,+avx512bw");
}

OwningOpRef<ModuleOp> iqc::loadModel(StringRef path, MLIRContext &context,
                                     const ONNXImportOptions &importOptions) {
  StringRef ext = llvm::sys::path::extension(path);
  if (ext == ".mlir" || ext == ".mlirbc") {
    ParserConfig config(&context);
    return parseSourceFile<ModuleOp>(path, config);
  }
  return importONNXFile(path, &context, importOptions);
}

std::string iqc::defaultModelName(StringRef path) {
  return symbolPrefix(llvm::sys::path::stem(path));
}

FailureOr<iqc::ModelSignature>
iqc::lowerModel(ModuleOp module, StringRef prefix,
                const CPUPipelineOptions &pipeline, StopAfter stop) {
  FailureOr<ModelSignature> sig = prepareModelEntry(module, prefix);
  if (failed(sig))
    return failure();
  auto pm = PassManager::on<ModuleOp>(module.getContext());
  // --mlir-timing, --mlir-print-ir-after-all, ... when the tool registered
  // them (registerPassManagerCLOptions).
  if (failed(applyPassManagerCLOptions(pm)))
    return failure();
  DefaultTimingManager timing; // --mlir-timing
  applyDefaultTimingManagerCLOptions(timing);
  TimingScope rootTiming = timing.getRootScope();
  pm.enableTiming(rootTiming);
  if (stop == StopAfter::Linalg)
    buildCPULowerToLinalgPipeline(pm, pipeline);
  else
    buildCPUPipeline(pm, pipeline);
  if (failed(pm.run(module)))
    return failure();
  return sig;
}
