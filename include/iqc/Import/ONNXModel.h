//===- ONNXModel.h - Reading ONNX protobufs ---------------------*- C++ -*-===//
//
// The pieces of the importer that deal with the ONNX protobuf itself:
// detecting text vs binary, parsing with clear errors, mapping element types
// and decoding TensorProto payloads (inline, raw, external) into attributes.
// Separate from graph conversion so they can be unit-tested.
//
//===----------------------------------------------------------------------===//

#ifndef IQC_IMPORT_ONNXMODEL_H
#define IQC_IMPORT_ONNXMODEL_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringRef.h"

#include <onnx/onnx_pb.h>

#include <string>

namespace iqc {

enum class ModelFormat { Binary, Text };

/// Protobuf text if the leading bytes are printable text, else binary.
ModelFormat detectModelFormat(llvm::StringRef bytes);

/// Parses `bytes` in `format` into `model`; on failure returns a message
/// (with line:column for text).
llvm::LogicalResult parseModel(llvm::StringRef bytes, ModelFormat format,
                               onnx::ModelProto &model, std::string &error);

/// ONNX TensorProto.DataType to an MLIR element type; null if unsupported.
mlir::Type convertElementType(int32_t onnxType, mlir::MLIRContext *context);

/// `name` with every character that is not a letter or digit replaced by
/// `_`, and `prefix` prepended when it would not start with a letter; used
/// for function symbols and resource keys.
std::string sanitizeIdentifier(llvm::StringRef name, llvm::StringRef prefix);

/// Human-readable name of an ONNX data type ("FLOAT", "INT64", ...).
llvm::StringRef onnxTypeName(int32_t onnxType);

/// The elements of a tensor stored inline (raw_data or a typed field) as
/// little-endian bytes, `elementBytes` each. Fails (with `error` set) when
/// the payload does not hold `numElements` elements.
llvm::LogicalResult tensorPayloadBytes(const onnx::TensorProto &tensor,
                                       uint64_t numElements,
                                       uint64_t elementBytes, std::string &out,
                                       std::string &error);

struct TensorDecodeOptions {
  uint64_t maxTensorBytes = 4ull << 30;
  int64_t inlineElementLimit = 64;
  /// Directory external data locations are relative to.
  std::string externalDataDir;
};

/// Decodes `tensor` into an elements attribute: `DenseElementsAttr` when it
/// has at most `inlineElementLimit` elements, else a `dense_resource` blob.
/// Takes ownership of `raw_data` (the tensor is left without it) so large
/// weights are not copied. Errors name the tensor.
mlir::FailureOr<mlir::ElementsAttr>
decodeTensor(onnx::TensorProto &tensor, mlir::MLIRContext *context,
             const TensorDecodeOptions &options,
             llvm::function_ref<mlir::InFlightDiagnostic()> emitError);

} // namespace iqc

#endif // IQC_IMPORT_ONNXMODEL_H
