//===- Codegen.cpp - x86-64 object emission and linking -------------------===//
//
// In-process backend: LLVM dialect -> LLVM IR -> O3 -> ELF object through a
// TargetMachine, and shared libraries linked by the lld ELF driver used as a
// library. Nothing outside the iqc binary is executed.
//
//===----------------------------------------------------------------------===//

#include "iqc/Target/CPU/Codegen.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "lld/Common/Driver.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <mutex>

LLD_HAS_DRIVER(elf)

using namespace llvm;

static void initializeX86() {
  static std::once_flag once;
  std::call_once(once, [] {
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86Target();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86AsmPrinter();
    LLVMInitializeX86AsmParser();
  });
}

std::string iqc::hostCPUName() { return sys::getHostCPUName().str(); }

Expected<std::unique_ptr<TargetMachine>>
iqc::createCPUTargetMachine(const CPUTargetOptions &options) {
  initializeX86();
  Triple triple("x86_64-unknown-linux-gnu");
  std::string error;
  const Target *target = TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return createStringError(inconvertibleErrorCode(), error);
  std::string cpu = options.cpu;
  std::string features = options.features;
  if (cpu == "native") {
    cpu = hostCPUName();
    std::string hostFeatures;
    for (const auto &f : sys::getHostCPUFeatures())
      hostFeatures += (hostFeatures.empty() ? "" : ",") +
                      std::string(f.second ? "+" : "-") + f.first().str();
    features = features.empty() ? hostFeatures : hostFeatures + "," + features;
  }
  std::unique_ptr<MCSubtargetInfo> probe(
      target->createMCSubtargetInfo(triple, cpu, ""));
  if (!probe || !probe->isCPUStringValid(cpu))
    return createStringError(inconvertibleErrorCode(),
                             "unknown CPU '" + cpu +
                                 "' (try 'native', 'x86-64-v3', "
                                 "'skylake-avx512', 'znver4')");
  TargetOptions to;
  CodeGenOptLevel level = options.optLevel >= 3   ? CodeGenOptLevel::Aggressive
                          : options.optLevel == 2 ? CodeGenOptLevel::Default
                          : options.optLevel == 1 ? CodeGenOptLevel::Less
                                                  : CodeGenOptLevel::None;
  std::unique_ptr<TargetMachine> tm(target->createTargetMachine(
      triple, cpu, features, to, Reloc::PIC_, std::nullopt, level));
  if (!tm)
    return createStringError(inconvertibleErrorCode(),
                             "cannot create a target machine for " + cpu);
  return tm;
}

Expected<std::unique_ptr<Module>> iqc::translateToLLVMIR(mlir::ModuleOp module,
                                                         LLVMContext &context,
                                                         TargetMachine &tm) {
  mlir::registerBuiltinDialectTranslation(*module.getContext());
  mlir::registerLLVMDialectTranslation(*module.getContext());
  std::unique_ptr<Module> llvmModule =
      mlir::translateModuleToLLVMIR(module, context);
  if (!llvmModule)
    return createStringError(inconvertibleErrorCode(),
                             "translation to LLVM IR failed");
  llvmModule->setDataLayout(tm.createDataLayout());
  llvmModule->setTargetTriple(tm.getTargetTriple());
  // Give every function the target's CPU and features so the optimizer's
  // cost model and the vectorizer see them.
  for (Function &f : llvmModule->functions()) {
    if (f.isDeclaration())
      continue;
    f.addFnAttr("target-cpu", tm.getTargetCPU());
    if (!tm.getTargetFeatureString().empty())
      f.addFnAttr("target-features", tm.getTargetFeatureString());
  }
  return llvmModule;
}

Error iqc::optimizeLLVMModule(Module &module, TargetMachine &tm,
                              unsigned optLevel) {
  auto transformer = mlir::makeOptimizingTransformer(optLevel, 0, &tm);
  return transformer(&module);
}

Error iqc::emitObjectFile(Module &module, TargetMachine &tm,
                          raw_pwrite_stream &os) {
  legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, os, nullptr, CodeGenFileType::ObjectFile))
    return createStringError(inconvertibleErrorCode(),
                             "the target cannot emit object files");
  pm.run(module);
  return Error::success();
}

std::string iqc::defaultRuntimeArchive(const char *argv0) {
  std::string exe = sys::fs::getMainExecutable(argv0, (void *)&hostCPUName);
  SmallString<256> path(sys::path::parent_path(sys::path::parent_path(exe)));
  sys::path::append(path, "lib", "libiqc_runtime.a");
  return std::string(path);
}

Error iqc::linkSharedLibrary(ArrayRef<std::string> objects,
                             StringRef runtimeArchive, StringRef output) {
  if (!sys::fs::exists(runtimeArchive))
    return createStringError(inconvertibleErrorCode(),
                             "runtime library '" + runtimeArchive +
                                 "' not found (pass --runtime-lib)");
  // The multiarch library directory holds libc.so/libm.so (linker scripts
  // naming libc.so.6 and libm.so.6).
  std::vector<std::string> args{"ld.lld",
                                "-shared",
                                "--hash-style=gnu",
                                "--eh-frame-hdr",
                                "-z",
                                "relro",
                                "-z",
                                "now",
                                "-z",
                                "noexecstack",
                                "--as-needed",
                                "-o",
                                output.str()};
  for (const std::string &o : objects)
    args.push_back(o);
  args.push_back(runtimeArchive.str());
  for (const char *dir : {"/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu",
                          "/usr/lib64", "/usr/lib"})
    if (sys::fs::exists(dir))
      args.push_back(std::string("-L") + dir);
  args.push_back("-lm");
  args.push_back("-lc");
  std::vector<const char *> argv;
  for (const std::string &a : args)
    argv.push_back(a.c_str());
  std::string out, err;
  raw_string_ostream outOS(out), errOS(err);
  // lld keeps global state per invocation; serialize links in one process.
  static std::mutex linkMutex;
  std::lock_guard<std::mutex> lock(linkMutex);
  lld::Result r =
      lld::lldMain(argv, outOS, errOS, {{lld::Gnu, &lld::elf::link}});
  if (r.retCode != 0)
    return createStringError(inconvertibleErrorCode(),
                             "linking '" + output + "' failed:\n" + err);
  return Error::success();
}
