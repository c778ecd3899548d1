//===- iqc-translate.cpp - iqc's translation driver -----------------------===//
//
// Imports ONNX models into the iq dialect:
//   iqc-translate --import-onnx model.onnx -o model.mlir
// Text (.onnxtxt) and binary models are auto-detected; external data is read
// from the model's directory. `--emit-bytecode` writes MLIR bytecode, which
// stores the weight blobs raw (fast for large models).
//
//===----------------------------------------------------------------------===//

#include "iqc/Import/ONNXImporter.h"
#include "iqc/Support/Diagnostics.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;

static llvm::cl::opt<std::string> inputFilename(llvm::cl::Positional,
                                                llvm::cl::desc("<model.onnx>"),
                                                llvm::cl::init("-"));
static llvm::cl::opt<std::string>
    outputFilename("o", llvm::cl::desc("Output file (default: stdout)"),
                   llvm::cl::value_desc("filename"), llvm::cl::init("-"));
static llvm::cl::opt<bool> importOnnx(
    "import-onnx",
    llvm::cl::desc("Import an ONNX model (binary .onnx or protobuf text "
                   ".onnxtxt, auto-detected) into the iq dialect (default)"),
    llvm::cl::init(true));
static llvm::cl::opt<bool>
    emitBytecode("emit-bytecode",
                 llvm::cl::desc("Write MLIR bytecode instead of text"),
                 llvm::cl::init(false));

static llvm::cl::opt<bool> printSupportedOps(
    "print-supported-ops",
    llvm::cl::desc("Print the supported ONNX operator types, one per line, "
                   "and exit"),
    llvm::cl::init(false));

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  iqc::registerImportCLOptions();
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  llvm::cl::ParseCommandLineOptions(
      argc, argv,
      "iqc-translate: import ONNX models into the iq dialect\n\n"
      "  iqc-translate --import-onnx model.onnx -o model.mlir\n\n"
      "Errors (corrupt or truncated files, unsupported operators or opsets, "
      "missing tensors, inconsistent shapes) are reported with the node or "
      "tensor name and exit code 1. Large weights become dense_resource "
      "blobs; --mlir-elide-resource-strings-if-larger=N omits them from "
      "text output, --emit-bytecode stores them raw.\n");

  if (printSupportedOps) {
    for (const std::string &op : iqc::supportedONNXOps())
      llvm::outs() << op << "\n";
    return 0;
  }

  DialectRegistry registry;
  iqc::registerImportDialects(registry);
  MLIRContext context(registry);
  // "<model>: error: node 'name': message" instead of raw locations.
  auto diagnostics = iqc::installDiagnosticPrinter(context);
  OwningOpRef<ModuleOp> module = iqc::importONNXFile(
      inputFilename, &context, iqc::getImportOptionsFromCL());
  if (!module)
    return 1;

  std::string error;
  auto output = openOutputFile(outputFilename, &error);
  if (!output) {
    llvm::errs() << "iqc-translate: " << error << "\n";
    return 1;
  }
  if (emitBytecode) {
    if (failed(writeBytecodeToFile(*module, output->os())))
      return 1;
  } else {
    module->print(output->os(), OpPrintingFlags());
    output->os() << "\n";
  }
  output->keep();
  return 0;
}
