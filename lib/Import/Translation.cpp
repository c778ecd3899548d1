//===- Translation.cpp - `--import-onnx` for iqc-translate ----------------===//
//
// Registers the ONNX importer as an mlir-translate "to MLIR" translation with
// its command-line options.
//
//===----------------------------------------------------------------------===//

#include "iqc/Import/ONNXImporter.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;

static llvm::cl::OptionCategory importCategory("ONNX import options");

static llvm::cl::opt<uint64_t> maxTensorBytes(
    "max-tensor-bytes",
    llvm::cl::desc(
        "Reject tensors larger than this many bytes (default 4 GiB)"),
    llvm::cl::init(4ull << 30), llvm::cl::cat(importCategory));

static llvm::cl::opt<int64_t> inlineElementLimit(
    "inline-element-limit",
    llvm::cl::desc("Tensors with more elements become dense_resource blobs "
                   "instead of inline dense<> attributes (default 64)"),
    llvm::cl::init(64), llvm::cl::cat(importCategory));

static llvm::cl::opt<std::string> externalDataDir(
    "external-data-dir",
    llvm::cl::desc("Directory external tensor data is read from (default: "
                   "the model's directory)"),
    llvm::cl::init(""), llvm::cl::cat(importCategory));

static llvm::cl::opt<std::string> functionName(
    "func-name",
    llvm::cl::desc("Name of the imported function (default: the graph name)"),
    llvm::cl::init(""), llvm::cl::cat(importCategory));

static llvm::cl::list<std::string> bindInputs(
    "bind-input",
    llvm::cl::desc("Make a graph input a constant: name=tensor.pb (an ONNX "
                   "TensorProto file); for inputs that must be known at "
                   "compile time, such as shapes, axes or scales"),
    llvm::cl::value_desc("name=file.pb"), llvm::cl::cat(importCategory));

llvm::cl::OptionCategory &iqc::getImportOptionCategory() {
  return importCategory;
}

void iqc::registerImportCLOptions() {
  // The options are static globals; referencing them registers them.
  (void)maxTensorBytes;
  (void)inlineElementLimit;
  (void)externalDataDir;
  (void)functionName;
  (void)bindInputs;
}

iqc::ONNXImportOptions iqc::getImportOptionsFromCL() {
  ONNXImportOptions options;
  options.maxTensorBytes = maxTensorBytes;
  options.inlineElementLimit = inlineElementLimit;
  options.externalDataDir = externalDataDir;
  options.functionName = functionName;
  for (const std::string &b : bindInputs) {
    auto [name, path] = llvm::StringRef(b).split('=');
    options.boundInputs.emplace_back(name.str(), path.str());
  }
  return options;
}

void iqc::registerONNXImportTranslation() {
  TranslateToMLIRRegistration registration(
      "import-onnx",
      "Import an ONNX model (binary .onnx or protobuf text .onnxtxt, "
      "auto-detected) into the iq dialect",
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        OwningOpRef<ModuleOp> module =
            importONNXModel(buffer->getBuffer(), buffer->getBufferIdentifier(),
                            context, getImportOptionsFromCL());
        return OwningOpRef<Operation *>(module.release());
      },
      [](DialectRegistry &registry) { registerImportDialects(registry); });
}
