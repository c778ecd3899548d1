//===- IQDialect.h - The iq dialect -----------------------------*- C++ -*-===//
//
// Declares the `iq` dialect and its attributes.
//
//===----------------------------------------------------------------------===//

#ifndef IQC_DIALECT_IQ_IR_IQDIALECT_H
#define IQC_DIALECT_IQ_IR_IQDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dialect.h"

#include "iqc/Dialect/IQ/IR/IQEnums.h.inc"
#include "iqc/Dialect/IQ/IR/IQOpsDialect.h.inc"

#define GET_ATTRDEF_CLASSES
#include "iqc/Dialect/IQ/IR/IQAttrs.h.inc"

#endif // IQC_DIALECT_IQ_IR_IQDIALECT_H
