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

#include <optional>
#include <string>
#include <vector>

namespace iqc {

/// Learned token pruning (iq-prune-tokens).
struct PruneOptions {
  std::vector<double> thresholds; // per layer
  double finalThreshold = 0;      // or the schedule theta l / N
  bool reportKept = false;        // the kept_tokens output
  /// Calibrate finalThreshold for this target (when set) on these samples
  /// (default: the quantization's calibration data).
  std::optional<PruneTarget> target;
  std::vector<std::string> calibrationData;
  /// Set when the command line asked for both kinds of target.
  bool conflictingTargets = false;

  bool enabled() const {
    return !thresholds.empty() || finalThreshold != 0 || reportKept ||
           target || !calibrationData.empty() || conflictingTargets;
  }
};

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

  PruneOptions prune;

  bool enabled() const { return !mode.empty() && mode != "none"; }
  /// quantizeModel raises the model itself (the tools then skip iq-raise).
  bool raisesModel() const { return enabled() || prune.enabled(); }
};

llvm::cl::OptionCategory &getQuantizeOptionCategory();
void registerQuantizeCLOptions();
QuantizeOptions getQuantizeOptionsFromCL();

/// Raises `module` and, when `options` ask for it, rewrites it into
/// integer-only iq ops and prunes tokens (iq-prune-tokens, on the integer
/// graph, or on the float graph when not quantizing). Errors are reported
/// as diagnostics or on stderr.
mlir::LogicalResult quantizeModel(mlir::ModuleOp module,
                                  const QuantizeOptions &options);

} // namespace iqc

#endif // IQC_TARGET_QUANTIZE_H
