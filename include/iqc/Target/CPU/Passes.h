//===- Passes.h - CPU code generation passes --------------------*- C++ -*-===//

#ifndef IQC_TARGET_CPU_PASSES_H
#define IQC_TARGET_CPU_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

namespace iqc {

#define GEN_PASS_DECL
#include "iqc/Target/CPU/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "iqc/Target/CPU/Passes.h.inc"

/// On a function outlined by iqc-cpu-outline-loops: the positions of the
/// lowered arguments (aligned pointers) that iqc-cpu-mark-noalias marks
/// `llvm.noalias`.
inline constexpr llvm::StringLiteral kNoAliasSlotsAttrName = "iqc.noalias_slots";

inline void registerCPUPasses() { registerCPUPassesPasses(); }

} // namespace iqc

#endif // IQC_TARGET_CPU_PASSES_H
