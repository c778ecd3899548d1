//===- Passes.h - iqc conversion passes -------------------------*- C++ -*-===//
//
// Declares the conversions from the iq dialect to upstream dialects.
//
//===----------------------------------------------------------------------===//

#ifndef IQC_CONVERSION_PASSES_H
#define IQC_CONVERSION_PASSES_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
}

namespace iqc {

#define GEN_PASS_DECL
#include "iqc/Conversion/Passes.h.inc"

/// The discardable attribute ("quantize" or "dequantize") on the linalg op
/// that converts between float and integers at the model's boundary.
inline constexpr llvm::StringLiteral kBoundaryAttrName = "iq.boundary";

/// Adds the patterns that lower iq ops to linalg/tensor/arith/math.
void populateIQToLinalgPatterns(mlir::RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "iqc/Conversion/Passes.h.inc"

} // namespace iqc

#endif // IQC_CONVERSION_PASSES_H
