//===- iqc-opt.cpp - iqc's optimizer driver -------------------------------===//
//
// mlir-opt with the iq dialect, the iq passes and pipelines, and the upstream
// dialects and passes the iqc pipeline uses.
//
//===----------------------------------------------------------------------===//

#include "iqc/Dialect/IQ/IR/IQDialect.h"
#include "iqc/Dialect/IQ/Transforms/Passes.h"
#include "iqc/Target/Pipelines.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  iqc::registerPipelines();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<iqc::iq::IQDialect>();

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv,
      "iqc optimizer driver: runs iq passes (iq-raise-*, the iq-raise "
      "pipeline), convert-iq-to-linalg, the CPU pipelines (iqc-cpu, "
      "iqc-cpu-lower-to-linalg, iqc-cpu-bufferize, iqc-cpu-lower-to-llvm) "
      "and upstream MLIR passes on .mlir files\n",
      registry));
}
