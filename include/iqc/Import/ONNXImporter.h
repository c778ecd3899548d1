//===- ONNXImporter.h - ONNX to iq importer ---------------------*- C++ -*-===//
//
// Public entry points of the ONNX importer: parse a binary (`.onnx`) or
// protobuf-text (`.onnxtxt`) model, with optional external data files, and
// build a module holding one `func.func` of `iq`/`tensor`/`linalg` ops.
//
//===----------------------------------------------------------------------===//

#ifndef IQC_IMPORT_ONNXIMPORTER_H
#define IQC_IMPORT_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"

#include <cstdint>
#include <string>
#include <vector>

namespace iqc {

/// Default-domain opsets the importer understands.
constexpr int64_t kMinOpset = 11;
constexpr int64_t kMaxOpset = 17;

struct ONNXImportOptions {
  /// Tensors whose byte size exceeds this are rejected (corrupt dims or
  /// hostile files). 4 GiB by default.
  uint64_t maxTensorBytes = 4ull << 30;
  /// Tensors with more elements than this become `dense_resource` blobs
  /// instead of inline `dense<...>` attributes.
  int64_t inlineElementLimit = 64;
  /// Directory that external-data `location`s are relative to; defaults to
  /// the model file's directory.
  std::string externalDataDir;
  /// Name of the generated function; defaults to the sanitized graph name.
  std::string functionName;
  /// Graph inputs turned into constants: (input name, path of an ONNX
  /// TensorProto .pb file holding its value). Shape, axes and scale inputs
  /// must be compile-time constants; binding them fixes their values.
  std::vector<std::pair<std::string, std::string>> boundInputs;
};

/// Imports a model held in memory. `bufferName` names the model in
/// diagnostics. Errors are reported through the context's diagnostic engine;
/// returns null on failure.
mlir::OwningOpRef<mlir::ModuleOp>
importONNXModel(llvm::StringRef bytes, llvm::StringRef bufferName,
                mlir::MLIRContext *context,
                const ONNXImportOptions &options = {});

/// Reads and imports a model file.
mlir::OwningOpRef<mlir::ModuleOp>
importONNXFile(llvm::StringRef path, mlir::MLIRContext *context,
               const ONNXImportOptions &options = {});

/// The default-domain operator types the importer handles, sorted.
std::vector<std::string> supportedONNXOps();

/// Registers the dialects an imported module uses.
void registerImportDialects(mlir::DialectRegistry &registry);

/// Registers `--import-onnx` with mlir-translate style drivers.
void registerONNXImportTranslation();

/// Registers the importer's command-line options (--max-tensor-bytes,
/// --inline-element-limit, --external-data-dir, --func-name, --bind-input) and reads them.
void registerImportCLOptions();
/// The category of those options (for --help).
llvm::cl::OptionCategory &getImportOptionCategory();
ONNXImportOptions getImportOptionsFromCL();

} // namespace iqc

#endif // IQC_IMPORT_ONNXIMPORTER_H
