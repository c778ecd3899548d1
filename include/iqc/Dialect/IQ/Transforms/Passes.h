//===- Passes.h - Passes of the iq dialect ----------------------*- C++ -*-===//
//
// Declares the iq passes and the `iq-raise` pipeline.
//
//===----------------------------------------------------------------------===//

#ifndef IQC_DIALECT_IQ_TRANSFORMS_PASSES_H
#define IQC_DIALECT_IQ_TRANSFORMS_PASSES_H

#include "iqc/Dialect/IQ/IR/IQOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

namespace iqc::iq {

#define GEN_PASS_DECL
#include "iqc/Dialect/IQ/Transforms/Passes.h.inc"

/// Adds every raising pass, with canonicalization between them, in the order
/// the quantizer expects (linear before gelu so bias adds are absorbed first).
void buildRaisePipeline(mlir::OpPassManager &pm);

/// Registers the passes and the `iq-raise` pipeline with the global registry.
void registerPasses();

#define GEN_PASS_REGISTRATION
#include "iqc/Dialect/IQ/Transforms/Passes.h.inc"

} // namespace iqc::iq

#endif // IQC_DIALECT_IQ_TRANSFORMS_PASSES_H
