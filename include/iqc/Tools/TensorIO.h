//===- TensorIO.h - Host tensors and their file formats ---------*- C++ -*-===//
//
// Tensors in host memory for iqc-run and tests, read from and written to
// numpy `.npy` files and ONNX TensorProto `.pb` files (the format of the
// ONNX backend test data), and compared numpy-allclose style.
//
//===----------------------------------------------------------------------===//

#ifndef IQC_TOOLS_TENSORIO_H
#define IQC_TOOLS_TENSORIO_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <vector>

namespace iqc {

struct HostTensor {
  int32_t dtype = 0; // iqc_dtype / ONNX TensorProto.DataType
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;
  std::string name; // from a .pb file, if any

  int64_t numElements() const;
};

llvm::Expected<HostTensor> readNpy(llvm::StringRef path);
llvm::Error writeNpy(llvm::StringRef path, const HostTensor &tensor);
llvm::Expected<HostTensor> readTensorProto(llvm::StringRef path);
/// By extension: .npy or .pb.
llvm::Expected<HostTensor> readTensorFile(llvm::StringRef path);

/// Element `i` as a double (for comparisons and printing).
double elementAsDouble(const HostTensor &t, int64_t i);

/// `<dir>/<kind>_<i>.pb` or `.npy` for i = 0, 1, ... while they exist (the
/// ONNX backend test-data layout, also written by iqc.export).
std::vector<std::string> testDataFiles(llvm::StringRef dir,
                                       llvm::StringRef kind);

struct CompareResult {
  bool ok = true;
  int64_t mismatches = 0;
  int64_t firstMismatch = -1;
  double maxAbsError = 0, maxRelError = 0;
  std::string message; // set for shape/dtype mismatches
};

/// numpy.allclose: |actual - expected| <= atol + rtol * |expected|, NaNs
/// equal; integer and bool tensors must match exactly.
CompareResult compareTensors(const HostTensor &actual,
                             const HostTensor &expected, double atol,
                             double rtol);

/// "float32 [2, 3]".
std::string describeTensor(const HostTensor &t);

} // namespace iqc

#endif // IQC_TOOLS_TENSORIO_H
