//===- Diagnostics.h - How iqc's tools print diagnostics --------*- C++ -*-===//
//
// One format for every tool: "<file>: error: node 'name': message", with the
// ONNX node taken from the NameLoc the importer attaches.
//
//===----------------------------------------------------------------------===//

#ifndef IQC_SUPPORT_DIAGNOSTICS_H
#define IQC_SUPPORT_DIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <memory>

namespace iqc {

/// Installs the printer on `context` for the lifetime of the result.
std::unique_ptr<mlir::ScopedDiagnosticHandler>
installDiagnosticPrinter(mlir::MLIRContext &context);

} // namespace iqc

#endif // IQC_SUPPORT_DIAGNOSTICS_H
