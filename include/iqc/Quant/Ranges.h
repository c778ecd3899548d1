//===- Ranges.h - Calibrated activation ranges ------------------*- C++ -*-===//
//
// The activation statistics iq-quantize needs, keyed by quantization point
// (the name of the op that produces a value, see quantPointNames): min/max
// of the value over the calibration data and, for LayerNorm inputs, the
// largest per-row sum of squared deviations from the row mean, from which
// the i-LayerNorm variance shift is chosen. Read and written as JSON so a
// calibration can be saved, inspected, edited and passed to iqc-compile
// --ranges; see docs/Quantization.md for the format.
//
//===----------------------------------------------------------------------===//

#ifndef IQC_QUANT_RANGES_H
#define IQC_QUANT_RANGES_H

#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <optional>
#include <string>

namespace iqc::quant {

struct ActivationRange {
  double min = 0, max = 0;
  /// max over rows of sum_c (x_c - mean)^2 (real units), for values that
  /// feed a LayerNorm.
  std::optional<double> rowSumSquares;

  double absMax() const { return std::max(std::abs(min), std::abs(max)); }
};

struct RangeTable {
  /// "minmax", "percentile:99.99", "qdq", or whatever wrote the file.
  std::string method = "minmax";
  int64_t samples = 0;
  llvm::MapVector<std::string, ActivationRange,
                  std::map<std::string, unsigned>>
      points;

  const ActivationRange *lookup(llvm::StringRef name) const {
    auto it = points.find(name.str());
    return it == points.end() ? nullptr : &it->second;
  }
};

/// Parses the JSON form; errors name the offending point.
llvm::Expected<RangeTable> parseRangeTable(llvm::StringRef json);
llvm::Expected<RangeTable> readRangeTable(llvm::StringRef path);
void writeRangeTable(llvm::raw_ostream &os, const RangeTable &table);

/// The i-LayerNorm shift: the smallest s >= 0 with
/// rowSumSquares / S^2 / 4^s < 2^32 (the integer variance of y >> s stays
/// below 2^32 on the calibration data), plus `margin`; at most 31.
int64_t layerNormShift(double rowSumSquares, double inputScale,
                       int64_t margin = 1);

} // namespace iqc::quant

#endif // IQC_QUANT_RANGES_H
