//===- ModelABI.h - The C ABI glue of compiled models -----------*- C++ -*-===//
//
// A compiled model is one function on memrefs plus metadata. This file
// extracts the model's signature from the imported function, prepares the
// function for the C interface, and emits the glue (metadata tables and the
// `<prefix>_model` / `<prefix>_run` entry points of iqc_runtime.h) into the
// translated LLVM module, and the matching C header.
//
//===----------------------------------------------------------------------===//

#ifndef IQC_TARGET_MODELABI_H
#define IQC_TARGET_MODELABI_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <vector>

namespace llvm {
class Module;
}

namespace iqc {

struct TensorSignature {
  std::string name;
  int32_t dtype = 0;         // iqc_dtype
  std::vector<int64_t> dims; // -1 = dynamic
  std::vector<std::string> dimNames;
  bool hasRange = false;
  int64_t minValue = 0, maxValue = 0;
};

struct ModelSignature {
  std::string prefix;   // C identifier, symbol prefix
  std::string function; // the compiled function's symbol
  std::vector<TensorSignature> inputs, outputs;
};

/// The iqc_dtype code of an element type, or 0 if the ABI has none.
int32_t dtypeCode(mlir::Type elementType);

/// The model's entry: the module's one public function with a body.
mlir::FailureOr<mlir::func::FuncOp> findModelEntry(mlir::ModuleOp module);

/// Finds the model function (the single public func.func), records its
/// signature, renames it to `<prefix>_forward` and requests the C interface.
/// Fails with a diagnostic naming the offending argument/result if a type
/// cannot cross the ABI.
mlir::FailureOr<ModelSignature> prepareModelEntry(mlir::ModuleOp module,
                                                  llvm::StringRef prefix);

/// Adds the metadata tables, `<prefix>_model()`, `<prefix>_run(...)`, and
/// (when `exportDefault`) `iqc_default_model()` to a translated module; hides
/// every other external symbol the compiler generated.
void emitModelGlue(llvm::Module &module, const ModelSignature &signature,
                   bool exportDefault);

/// Writes the C header declaring the entry points of a compiled model.
void emitCHeader(llvm::raw_ostream &os, const ModelSignature &signature);

/// `name` as a C identifier usable as a symbol prefix.
std::string symbolPrefix(llvm::StringRef name);

} // namespace iqc

#endif // IQC_TARGET_MODELABI_H
