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

} // namespace iqc

#endif // IQC_TARGET_CALIBRATE_H
