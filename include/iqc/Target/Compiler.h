//===- Compiler.h - The iqc compilation driver ------------------*- C++ -*-===//
//
// What iqc-compile and iqc-run share: load a model (ONNX or .mlir), lower it
// through the registered CPU pipeline, and produce LLVM IR with the C ABI
// glue. Tools only parse options and write files.
//
//===----------------------------------------------------------------------===//

#ifndef IQC_TARGET_COMPILER_H
#define IQC_TARGET_COMPILER_H

#include "iqc/Import/ONNXImporter.h"
#include "iqc/Support/Diagnostics.h"
#include "iqc/Target/CPU/Codegen.h"
#include "iqc/Target/ModelABI.h"
#include "iqc/Target/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

#include <memory>

namespace mlir {
class ScopedDiagnosticHandler;
}

namespace iqc {

/// Registers every dialect and interface the compiler pipeline uses.
void registerCompilerDialects(mlir::DialectRegistry &registry);

/// Registers the command-line options every compiling tool shares: import
/// options, pass-manager options (--mlir-print-ir-after-all, ...),
/// --mlir-timing, context and printer options.
void registerCompilerCLOptions();

/// Limits --help to `tool`'s options, the import options, the named
/// options in `keep` (e.g. LLVM's "mcpu") and the most useful MLIR ones
/// (--mlir-timing, --mlir-print-ir-after-all, ...); the hundreds of
/// backend options libLLVM registers stay usable but unlisted.
void hideUnrelatedOptions(llvm::cl::OptionCategory &tool,
                          llvm::ArrayRef<llvm::StringRef> keep = {});

/// Imports `.onnx`/`.onnxtxt` (by content) or parses `.mlir`/`.mlirbc`.
mlir::OwningOpRef<mlir::ModuleOp>
loadModel(llvm::StringRef path, mlir::MLIRContext &context,
          const ONNXImportOptions &importOptions);

/// The default symbol prefix for a model file: its sanitized stem.
std::string defaultModelName(llvm::StringRef path);

/// Sets the target-dependent pipeline options (the matmul kernel's block)
/// from the subtarget's features: 8 x 32 f32 on AVX-512 (16 accumulators in
/// 32 zmm registers), 6 x 16 on AVX2 (12 in 16 ymm). On a [128, 768] x
/// [768, 3072] matmul 8 x 32 runs 1.8x faster than 6 x 32.
void configureForTarget(CPUPipelineOptions &pipeline,
                        const llvm::TargetMachine &tm);

enum class StopAfter { Linalg, LLVMDialect };

/// Prepares the entry function and runs the CPU pipeline up to `stop`.
mlir::FailureOr<ModelSignature>
lowerModel(mlir::ModuleOp module, llvm::StringRef prefix,
           const CPUPipelineOptions &pipeline,
           StopAfter stop = StopAfter::LLVMDialect);

} // namespace iqc

#endif // IQC_TARGET_COMPILER_H
