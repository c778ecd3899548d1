//===- Quantize.h - Integer-only compilation driver -------------*- C++ -*-===//
//
// What iqc-compile and iqc-run do with --quantize=int8: raise the float
// model, obtain activation ranges (calibration on sample inputs, or a
// ranges file), and run the integer pipeline (iq-quantize,
// iq-lower-quantized, iq-verify-integer-only). The command-line options
// live here so both tools spell them the same.
//
//===----------------------------------------------------------------------===//

#ifndef IQC_TARGET_QUANTIZE_H
#define IQC_TARGET_QUANTIZE_H

#include "iqc/Target/Calibrate.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/CommandLine.h"

#include <string>
#include <vector>

namespace iqc {

struct QuantizeOptions {
  /// "" or "none": keep float; "int8": integer-only.
  std::string mode;
  std::string rangesFile;
  std::vector<std::string> calibrationData;
  CalibrationOptions calibration;
  /// Where to save the ranges used (calibrated or read).
  std::string writeRanges;
  int64_t shiftMargin = 1;
  /// The integer softmax's last division: "nearest" or "floor".
  std::string softmaxRounding = "nearest";

  bool enabled() const { return !mode.empty() && mode != "none"; }
};

llvm::cl::OptionCategory &getQuantizeOptionCategory();
void registerQuantizeCLOptions();
QuantizeOptions getQuantizeOptionsFromCL();

/// Raises `module` and, when `options` ask for it, rewrites it into
/// integer-only iq ops. Errors are reported as diagnostics or on stderr.
mlir::LogicalResult quantizeModel(mlir::ModuleOp module,
                                  const QuantizeOptions &options);

} // namespace iqc

#endif // IQC_TARGET_QUANTIZE_H
