//===- IQDialect.cpp - The iq dialect -------------------------------------===//
//
// Registers the ops and attributes of the `iq` dialect.
//
//===----------------------------------------------------------------------===//

#include "iqc/Dialect/IQ/IR/IQDialect.h"
#include "iqc/Dialect/IQ/IR/IQOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace iqc::iq;

#include "iqc/Dialect/IQ/IR/IQEnums.cpp.inc"
#include "iqc/Dialect/IQ/IR/IQOpsDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "iqc/Dialect/IQ/IR/IQAttrs.cpp.inc"

void IQDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "iqc/Dialect/IQ/IR/IQOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "iqc/Dialect/IQ/IR/IQAttrs.cpp.inc"
      >();
}
