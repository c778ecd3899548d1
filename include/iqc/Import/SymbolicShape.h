//===- SymbolicShape.h - Symbolic dimension algebra -------------*- C++ -*-===//
//
// Shape subgraphs (Shape -> Gather -> Unsqueeze -> Concat -> Reshape, and the
// integer arithmetic torch adds) are evaluated at import time. A dimension is
// either a constant or `coeff * product(atoms)` where atoms are `index` SSA
// values (tensor.dim results or opaque arithmetic). Products and exact
// quotients stay structural, so reshapes can be recognized as
// expand/collapse even when batch and sequence length are dynamic.
//
//===----------------------------------------------------------------------===//

#ifndef IQC_IMPORT_SYMBOLICSHAPE_H
#define IQC_IMPORT_SYMBOLICSHAPE_H

#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace iqc {

class SymDim {
public:
  SymDim() = default;
  static SymDim constant(int64_t c) {
    SymDim d;
    d.coeff = c;
    return d;
  }
  static SymDim atom(mlir::Value v) {
    SymDim d;
    d.atoms.push_back(v);
    return d;
  }

  bool isConstant() const { return atoms.empty(); }
  int64_t getCoeff() const { return coeff; }
  llvm::ArrayRef<mlir::Value> getAtoms() const { return atoms; }
  /// The constant value, if this dimension is one.
  std::optional<int64_t> getConstant() const {
    if (isConstant())
      return coeff;
    return std::nullopt;
  }

  bool operator==(const SymDim &other) const {
    return coeff == other.coeff && atoms == other.atoms;
  }
  bool operator!=(const SymDim &other) const { return !(*this == other); }

  SymDim operator*(const SymDim &other) const {
    SymDim r;
    r.coeff = coeff * other.coeff;
    if (r.coeff == 0)
      return r;
    r.atoms = atoms;
    r.atoms.append(other.atoms.begin(), other.atoms.end());
    llvm::sort(r.atoms, [](mlir::Value a, mlir::Value b) {
      return a.getAsOpaquePointer() < b.getAsOpaquePointer();
    });
    return r;
  }

  /// `this / other` when it is exact structurally (other's atoms are a
  /// sub-multiset and the coefficient divides); nullopt otherwise.
  std::optional<SymDim> exactDiv(const SymDim &other) const {
    if (other.coeff == 0 || coeff % other.coeff != 0)
      return std::nullopt;
    SymDim r;
    r.coeff = coeff / other.coeff;
    r.atoms = atoms;
    for (mlir::Value a : other.atoms) {
      auto *it = llvm::find(r.atoms, a);
      if (it == r.atoms.end())
        return std::nullopt;
      r.atoms.erase(it);
    }
    return r;
  }

private:
  int64_t coeff = 1;
  llvm::SmallVector<mlir::Value, 2> atoms;
};

} // namespace iqc

#endif // IQC_IMPORT_SYMBOLICSHAPE_H
