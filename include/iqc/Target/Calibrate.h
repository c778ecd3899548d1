//===- Calibrate.h - Activation ranges from sample inputs -------*- C++ -*-===//
//
// Calibration runs the raised float model on sample inputs and records the
// range of every quantization point (see Dialect/IQ/Transforms/QuantPoints.h)
// for iq-quantize: a copy of the model returns each point as an extra
// output and is JIT-compiled through the fp32 CPU pipeline.
//
//===----------------------------------------------------------------------===//

#ifndef IQC_TARGET_CALIBRATE_H
#define IQC_TARGET_CALIBRATE_H

#include "iqc/Quant/Ranges.h"
#include "iqc/Tools/TensorIO.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace iqc {

struct CalibrationOptions {
  /// "minmax": the observed min and max. "percentile": the `percentile`-th
  /// and (100 - percentile)-th percentiles (from a fixed-size random sample
  /// of each point's values), which clips rare outliers.
  std::string method = "minmax";
  double percentile = 99.99;
  std::string cpu = "native";
};

/// One model run's inputs, in the model's input order, and where they came
/// from (for messages).
struct CalibrationSample {
  std::vector<HostTensor> inputs;
  std::string source;
};

/// Reads calibration samples: each path is a directory of input_<i>.npy or
/// input_<i>.pb files (one sample, which may hold a whole batch), or a
/// directory of such directories (one sample each, in name order).
llvm::Expected<std::vector<CalibrationSample>>
readCalibrationSamples(llvm::ArrayRef<std::string> paths);

/// Ranges of the quantization points of the raised float model `raised`
/// (left unchanged) over `samples`.
llvm::Expected<quant::RangeTable>
calibrate(mlir::ModuleOp raised, llvm::ArrayRef<CalibrationSample> samples,
          const CalibrationOptions &options);

/// What a token-pruning calibration aims at: the fraction of token-layers
/// kept (tokens after each layer, summed over layers and examples, over
/// the unpadded lengths times the number of layers), or the fraction of the
/// encoder layers' multiply-adds left (against the unpruned model on the
/// unpadded tokens, so that dropping padding does not count).
struct PruneTarget {
  enum Kind { KeepRatio, FlopsRatio } kind = FlopsRatio;
  double value = 0.5;
};

struct PruneCalibration {
  double finalThreshold = 0;
  double keepRatio = 1, flopsRatio = 1;
  std::vector<double> keptPerLayer; // mean tokens per example after each layer
};

/// Picks the final threshold theta (schedule theta l / N) whose pruning
/// meets `target` on `samples`, by bisection over runs of the model
/// (`module`: raised, float or after iq-lower-quantized; left unchanged)
/// compiled once with run-time thresholds.
llvm::Expected<PruneCalibration>
calibratePruning(mlir::ModuleOp module, llvm::ArrayRef<CalibrationSample> samples,
                 const PruneTarget &target, const std::string &cpu = "native");

} // namespace iqc

#endif // IQC_TARGET_CALIBRATE_H
