//===- QuantPoints.h - Names of quantization points -------------*- C++ -*-===//
//
// Calibration and iq-quantize must agree on which value a range belongs to.
// Both name the float values of a raised model the same way: every float
// tensor result of an iq op by its location (the ONNX node name, e.g.
// "/layers.0/attention/query/Add"), and every float function argument by
// its `iq.name`. Repeated names get "#2", "#3", ... in program order;
// results after the first of one op get ":1", ":2", ...
//
//===----------------------------------------------------------------------===//

#ifndef IQC_DIALECT_IQ_TRANSFORMS_QUANTPOINTS_H
#define IQC_DIALECT_IQ_TRANSFORMS_QUANTPOINTS_H

#include "iqc/Dialect/IQ/IR/IQOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/MapVector.h"

#include <optional>
#include <string>
#include <vector>

namespace iqc::quant {
struct RangeTable;
} // namespace iqc::quant

namespace iqc::iq {

/// Whether `t` is a ranked tensor of floats.
bool isFloatTensor(mlir::Type t);

/// The quantization points of `func`, in program order.
llvm::MapVector<mlir::Value, std::string> quantPointNames(mlir::func::FuncOp func);

/// The values of an f32 constant tensor (dense or dense_resource), in
/// row-major order, or nullopt if `v` is not one.
std::optional<std::vector<double>> constantFloatValues(mlir::Value v);

/// The value of an f32 constant tensor whose elements are all equal, or
/// nullopt.
std::optional<double> constantFloatSplat(mlir::Value v);

/// BERT's additive attention mask `(1 - cast(m)) * c` with c <= -1e4 and m
/// an integer tensor of the bias's shape: returns the cast (whose input is
/// m), or null when `bias` is not one.
CastOp additiveMaskSource(mlir::Value bias);

/// The name a location gives an op: the first NameLoc inside it (fused or
/// call-site locations included), or "" when there is none.
std::string locationName(mlir::Location loc);

/// Removes the QDQ pairs and dequantized constants of `func` (see
/// iq-strip-qdq) and adds the ranges the pairs encode to `ranges`, keyed by
/// the quantization-point names of the stripped graph. Returns the number
/// of pairs removed.
unsigned stripQDQ(mlir::func::FuncOp func, quant::RangeTable &ranges);

} // namespace iqc::iq

#endif // IQC_DIALECT_IQ_TRANSFORMS_QUANTPOINTS_H
