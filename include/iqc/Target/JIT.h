//===- JIT.h - Compile and run models in process ----------------*- C++ -*-===//
//
// The in-memory counterpart of iqc-compile: a module goes through the same
// CPU pipeline and ABI glue and is run by MLIR's ExecutionEngine. iqc-run
// uses it for .onnx/.mlir models, calibration to run the instrumented float
// model on sample inputs.
//
//===----------------------------------------------------------------------===//

#ifndef IQC_TARGET_JIT_H
#define IQC_TARGET_JIT_H

#include "iqc/Runtime/iqc_runtime.h"
#include "iqc/Target/Pipelines.h"
#include "iqc/Tools/TensorIO.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace mlir {
class ExecutionEngine;
}

namespace iqc {

class JITModel {
public:
  /// Lowers `module` (consumed) with `pipeline` (tuned for the target in
  /// place) and JIT-compiles it for
  /// `cpu` ("native" for the host); the model's symbols use `prefix`.
  static llvm::Expected<std::unique_ptr<JITModel>>
  compile(mlir::ModuleOp module, llvm::StringRef prefix, llvm::StringRef cpu,
          CPUPipelineOptions &pipeline);
  ~JITModel();

  const iqc_model *model() const { return model_; }

private:
  JITModel() = default;
  std::unique_ptr<mlir::ExecutionEngine> engine;
  const iqc_model *model_ = nullptr;
};

/// An iqc_tensor view of a host tensor (no copy).
iqc_tensor tensorView(HostTensor &t);

/// Runs `model` on `inputs`; the error carries the model's status and
/// message. Outputs are copied into host tensors named after the model's
/// outputs.
llvm::Expected<std::vector<HostTensor>>
runModel(const iqc_model *model, std::vector<HostTensor> &inputs);

} // namespace iqc

#endif // IQC_TARGET_JIT_H
