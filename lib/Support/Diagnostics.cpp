//===- Diagnostics.cpp - How iqc's tools print diagnostics ----------------===//

#include "iqc/Support/Diagnostics.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

static StringRef severityName(DiagnosticSeverity severity) {
  switch (severity) {
  case DiagnosticSeverity::Error:
    return "error";
  case DiagnosticSeverity::Warning:
    return "warning";
  case DiagnosticSeverity::Note:
    return "note";
  case DiagnosticSeverity::Remark:
    return "remark";
  }
  return "error";
}

std::unique_ptr<ScopedDiagnosticHandler>
iqc::installDiagnosticPrinter(MLIRContext &context) {
  return std::make_unique<ScopedDiagnosticHandler>(
      &context, [](Diagnostic &diag) {
        Location loc = diag.getLocation();
        StringRef node;
        if (auto nameLoc = dyn_cast<NameLoc>(loc)) {
          node = nameLoc.getName().getValue();
          loc = nameLoc.getChildLoc();
        }
        if (auto file = dyn_cast<FileLineColLoc>(loc)) {
          llvm::errs() << file.getFilename().getValue();
          if (file.getLine())
            llvm::errs() << ":" << file.getLine() << ":" << file.getColumn();
          llvm::errs() << ": ";
        }
        llvm::errs() << severityName(diag.getSeverity()) << ": ";
        std::string message = diag.str();
        // Importer messages already name the node; verifier messages do not.
        if (!node.empty() && !StringRef(message).starts_with("node '"))
          llvm::errs() << "node '" << node << "': ";
        llvm::errs() << message << "\n";
        return success();
      });
}
