//===- Codegen.h - x86-64 object emission and linking -----------*- C++ -*-===//
//
// Turns the LLVM dialect into an optimized x86-64 object in process (LLVM
// TargetMachine) and links shared libraries with the lld library, so
// compiling a model needs no external llc, clang or linker.
//
//===----------------------------------------------------------------------===//

#ifndef IQC_TARGET_CPU_CODEGEN_H
#define IQC_TARGET_CPU_CODEGEN_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
} // namespace llvm
namespace mlir {
class ModuleOp;
}

namespace iqc {

struct CPUTargetOptions {
  /// CPU name; "native" means the host CPU. The default is a portable
  /// x86-64 with AVX2 (x86-64-v3).
  std::string cpu = "x86-64-v3";
  std::string features;
  unsigned optLevel = 3;
};

/// The host CPU name as LLVM knows it.
std::string hostCPUName();

/// Creates the x86-64 ELF TargetMachine for `options` (PIC, for shared
/// libraries).
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createCPUTargetMachine(const CPUTargetOptions &options);

/// Translates a module in the LLVM dialect to LLVM IR for `tm`.
llvm::Expected<std::unique_ptr<llvm::Module>>
translateToLLVMIR(mlir::ModuleOp module, llvm::LLVMContext &context,
                  llvm::TargetMachine &tm);

/// Runs LLVM's optimization pipeline at `optLevel`.
llvm::Error optimizeLLVMModule(llvm::Module &module, llvm::TargetMachine &tm,
                               unsigned optLevel);

/// Emits an ELF object.
llvm::Error emitObjectFile(llvm::Module &module, llvm::TargetMachine &tm,
                           llvm::raw_pwrite_stream &os);

/// Links `objects` and the runtime archive into a shared library that
/// depends on libc and libm only.
llvm::Error linkSharedLibrary(llvm::ArrayRef<std::string> objects,
                              llvm::StringRef runtimeArchive,
                              llvm::StringRef output);

/// Path of the runtime archive (libiqc_runtime.a) next to the running
/// tool: <bindir>/../lib/libiqc_runtime.a.
std::string defaultRuntimeArchive(const char *argv0);

} // namespace iqc

#endif // IQC_TARGET_CPU_CODEGEN_H
