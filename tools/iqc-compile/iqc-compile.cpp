//===- iqc-compile.cpp - Ahead-of-time compiler for ONNX models -----------===//
//
//   iqc-compile model.onnx -o model.so        shared library (+ C ABI)
//   iqc-compile model.onnx -o model.o         relocatable object
//   iqc-compile model.onnx --emit=header -o model.h
//
// The output kind follows --emit, else the output file's extension.
//
//===----------------------------------------------------------------------===//

#include "iqc/Target/Compiler.h"
#include "iqc/Target/Quantize.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/CodeGen/CommandFlags.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory category("iqc-compile options");

static cl::opt<std::string>
    inputFilename(cl::Positional,
                  cl::desc("<model.onnx | model.onnxtxt | model.mlir>"),
                  cl::Required, cl::cat(category));
static cl::opt<std::string> outputFilename(
    "o",
    cl::desc("Output file; its extension picks the kind when --emit is "
             "not given (.so, .o, .h, .mlir, .ll)"),
    cl::value_desc("file"), cl::Required, cl::cat(category));

enum class Emit { Unset, SharedLib, Object, Header, IQ, MLIR, Linalg, LLVMIR };
static cl::opt<Emit> emitKind(
    "emit", cl::desc("What to write:"), cl::init(Emit::Unset),
    cl::values(
        clEnumValN(Emit::SharedLib, "so",
                   "shared library exporting the C ABI (default for .so)"),
        clEnumValN(Emit::Object, "obj",
                   "relocatable object; link it with libiqc_runtime.a"),
        clEnumValN(Emit::Header, "header",
                   "C header declaring the entry points"),
        clEnumValN(Emit::IQ, "iq",
                   "MLIR after import, quantization and token pruning, "
                   "before the CPU lowering (the integer-only graph with "
                   "--quantize=int8)"),
        clEnumValN(Emit::Linalg, "linalg",
                   "MLIR after lowering to linalg on tensors"),
        clEnumValN(Emit::MLIR, "mlir", "MLIR in the LLVM dialect"),
        clEnumValN(Emit::LLVMIR, "llvm",
                   "optimized LLVM IR with the "
                   "ABI glue")),
    cl::cat(category));
static cl::opt<std::string> modelName(
    "name",
    cl::desc("Symbol prefix of the entry points (default: the input file's "
             "stem, e.g. bert_tiny for bert-tiny.onnx)"),
    cl::cat(category));
static cl::opt<std::string>
    headerFilename("header", cl::desc("Also write the C header to this file"),
                   cl::value_desc("file"), cl::cat(category));
static cl::opt<unsigned> optLevel("O", cl::desc("LLVM optimization level 0-3"),
                                  cl::init(3), cl::Prefix, cl::cat(category));
static cl::opt<std::string> runtimeLib(
    "runtime-lib",
    cl::desc("libiqc_runtime.a to link into shared libraries (default: "
             "<bindir>/../lib/libiqc_runtime.a)"),
    cl::cat(category));
static cl::opt<bool> noRaise("no-raise", cl::desc("Skip the iq-raise pipeline"),
                             cl::cat(category));
static cl::opt<bool>
    noVectorize("no-vectorize",
                cl::desc("Plain loops instead of the matmul micro-kernel"),
                cl::cat(category));

static int fail(const llvm::Twine &msg) {
  llvm::errs() << "iqc-compile: error: " << msg << "\n";
  return 1;
}

/// Writes `path` with `print`; 0, or 1 after an error message.
static int writeOutput(StringRef path,
                       llvm::function_ref<void(llvm::raw_ostream &)> print) {
  std::string error;
  auto out = openOutputFile(path, &error);
  if (!out)
    return fail(error);
  print(out->os());
  out->keep();
  return 0;
}

static Emit kindFromExtension(StringRef path) {
  StringRef ext = llvm::sys::path::extension(path);
  if (ext == ".o" || ext == ".obj")
    return Emit::Object;
  if (ext == ".h")
    return Emit::Header;
  if (ext == ".mlir")
    return Emit::MLIR;
  if (ext == ".ll")
    return Emit::LLVMIR;
  return Emit::SharedLib;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  iqc::registerCompilerCLOptions();
  // --mcpu/--mattr are LLVM's codegen flags (the in-process lld registers
  // them too, so iqc must not define its own).
  static llvm::codegen::RegisterCodeGenFlags codegenFlags;
  iqc::hideUnrelatedOptions(category, {"mcpu", "mattr"});
  cl::ParseCommandLineOptions(
      argc, argv,
      "iqc-compile: compile an ONNX model ahead of time to x86-64 code\n\n"
      "  iqc-compile model.onnx -o model.so [--header model.h]\n"
      "  iqc-compile model.onnx -o model.o --name mymodel\n\n"
      "The library exports <name>_model() and <name>_run() with the C ABI of\n"
      "iqc/Runtime/iqc_runtime.h (see docs/CAPI.md) and depends only on libc\n"
      "and libm. Batch and sequence dims named in the ONNX model stay "
      "dynamic.\n"
      "--mcpu=native tunes for this machine; the default x86-64-v3 (AVX2, "
      "FMA)\n"
      "runs on any x86-64 CPU since 2015. --mattr=+avx512f,... adds "
      "features.\n\n"
      "Integer-only: --quantize=int8 with --calibrate <dir> (sample inputs) or\n"
      "--ranges <file.json>; the code between the input quantization and the\n"
      "output dequantization is then proven free of floating point.\n");

  Emit kind = emitKind == Emit::Unset ? kindFromExtension(outputFilename)
                                      : emitKind.getValue();
  std::string prefix = modelName.empty() ? iqc::defaultModelName(inputFilename)
                                         : iqc::symbolPrefix(modelName);

  iqc::CPUTargetOptions targetOptions;
  // Default: a portable AVX2+FMA x86-64; --mcpu=native tunes for this host.
  std::string cpu = llvm::codegen::getMCPU();
  targetOptions.cpu = cpu.empty() ? "x86-64-v3" : cpu;
  targetOptions.features = llvm::join(llvm::codegen::getMAttrs(), ",");
  targetOptions.optLevel = optLevel;
  auto tm = iqc::createCPUTargetMachine(targetOptions);
  if (!tm)
    return fail(llvm::toString(tm.takeError()));

  DialectRegistry registry;
  iqc::registerCompilerDialects(registry);
  MLIRContext context(registry);
  auto diagnostics = iqc::installDiagnosticPrinter(context);
  OwningOpRef<ModuleOp> module =
      iqc::loadModel(inputFilename, context, iqc::getImportOptionsFromCL());
  if (!module)
    return 1;

  iqc::QuantizeOptions quantize = iqc::getQuantizeOptionsFromCL();
  if (quantize.raisesModel() && noRaise)
    return fail("--quantize and token pruning need the raised model (drop "
                "--no-raise)");
  if (failed(iqc::quantizeModel(*module, quantize)))
    return 1;

  iqc::CPUPipelineOptions pipeline;
  pipeline.raise = !noRaise && !quantize.raisesModel();
  pipeline.vectorize = !noVectorize;
  iqc::configureForTarget(pipeline, **tm);

  if (kind == Emit::IQ)
    return writeOutput(outputFilename,
                       [&](llvm::raw_ostream &os) { module->print(os); });

  if (kind == Emit::Header) {
    auto sig = iqc::prepareModelEntry(*module, prefix);
    if (failed(sig))
      return 1;
    return writeOutput(outputFilename, [&](llvm::raw_ostream &os) {
      iqc::emitCHeader(os, *sig);
    });
  }

  auto sig =
      iqc::lowerModel(*module, prefix, pipeline,
                      kind == Emit::Linalg ? iqc::StopAfter::Linalg
                                           : iqc::StopAfter::LLVMDialect);
  if (failed(sig))
    return 1;
  if (!headerFilename.empty())
    if (int rc = writeOutput(headerFilename, [&](llvm::raw_ostream &os) {
          iqc::emitCHeader(os, *sig);
        }))
      return rc;
  if (kind == Emit::Linalg || kind == Emit::MLIR)
    return writeOutput(outputFilename,
                       [&](llvm::raw_ostream &os) { module->print(os); });

  llvm::LLVMContext llvmContext;
  auto llvmModule = iqc::translateToLLVMIR(*module, llvmContext, **tm);
  if (!llvmModule)
    return fail(llvm::toString(llvmModule.takeError()));
  module = nullptr; // free the MLIR copy of the weights early
  iqc::emitModelGlue(**llvmModule, *sig, kind == Emit::SharedLib);
  if (auto err = iqc::optimizeLLVMModule(**llvmModule, **tm, optLevel))
    return fail(llvm::toString(std::move(err)));

  if (kind == Emit::LLVMIR)
    return writeOutput(outputFilename, [&](llvm::raw_ostream &os) {
      (*llvmModule)->print(os, nullptr);
    });

  std::string objectPath = outputFilename;
  llvm::SmallString<128> tmpObject;
  if (kind == Emit::SharedLib) {
    if (auto ec = llvm::sys::fs::createTemporaryFile("iqc", "o", tmpObject))
      return fail("cannot create a temporary file: " + ec.message());
    objectPath = std::string(tmpObject);
  }
  {
    std::error_code ec;
    llvm::ToolOutputFile out(objectPath, ec, llvm::sys::fs::OF_None);
    if (ec)
      return fail("cannot write '" + objectPath + "': " + ec.message());
    if (auto err = iqc::emitObjectFile(**llvmModule, **tm, out.os()))
      return fail(llvm::toString(std::move(err)));
    out.keep();
  }
  if (kind == Emit::SharedLib) {
    std::string rt = runtimeLib.empty() ? iqc::defaultRuntimeArchive(argv[0])
                                        : std::string(runtimeLib);
    llvm::Error err = iqc::linkSharedLibrary({objectPath}, rt, outputFilename);
    llvm::sys::fs::remove(objectPath);
    if (err)
      return fail(llvm::toString(std::move(err)));
  }
  return 0;
}
