//===- IQOps.h - Operations of the iq dialect -------------------*- C++ -*-===//
//
// Declares the ops of the `iq` dialect and the shape helpers they share with
// the importer and the passes (broadcasting, reductions, tensor types).
//
//===----------------------------------------------------------------------===//

#ifndef IQC_DIALECT_IQ_IR_IQOPS_H
#define IQC_DIALECT_IQ_IR_IQOPS_H

#include "iqc/Dialect/IQ/IR/IQDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace iqc::iq {

/// Numpy/ONNX multidirectional broadcast of two shapes. Returns failure when
/// two static dimensions differ and neither is 1. A dynamic dimension against
/// a static one greater than 1 takes the static size; against 1 it stays
/// dynamic.
mlir::FailureOr<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs);

/// "[2, ?, 4]": a shape for diagnostics, `?` for dynamic dims.
std::string shapeString(llvm::ArrayRef<int64_t> shape);

/// The type of `v`, which must be a ranked tensor (as every iq value is).
inline mlir::RankedTensorType tensorType(mlir::Value v) {
  return mlir::cast<mlir::RankedTensorType>(v.getType());
}

/// Whether `t` (or its element type) is a quantized type.
inline bool isQuantized(mlir::Type t) {
  return mlir::isa<mlir::quant::QuantizedType>(mlir::getElementTypeOrSelf(t));
}

} // namespace iqc::iq

#define GET_OP_CLASSES
#include "iqc/Dialect/IQ/IR/IQOps.h.inc"

#endif // IQC_DIALECT_IQ_IR_IQOPS_H
