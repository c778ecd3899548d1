//===- ONNXModel.cpp - Reading ONNX protobufs -----------------------------===//
//
// Format detection, protobuf parsing with readable errors, element type
// mapping and TensorProto decoding (typed fields, raw_data, external data)
// with size checks. Large payloads become dense_resource blobs that own the
// protobuf's raw bytes or a memory-mapped external file: no copies.
//
//===----------------------------------------------------------------------===//

#include "iqc/Import/ONNXModel.h"
#include "iqc/Dialect/IQ/IR/IQOps.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <climits>
#include <cstring>

using namespace mlir;
using namespace iqc;
using iqc::iq::shapeString;

ModelFormat iqc::detectModelFormat(StringRef bytes) {
  StringRef head = bytes.take_front(4096);
  if (head.empty())
    return ModelFormat::Binary;
  for (unsigned char c : head) {
    // Text models are printable ASCII or UTF-8; binary models start with a
    // field tag such as 0x08 (ir_version).
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t')
      return ModelFormat::Binary;
  }
  return ModelFormat::Text;
}

namespace {
struct TextErrorCollector : google::protobuf::io::ErrorCollector {
  std::string message;
  void AddError(int line, int column, const std::string &msg) override {
    if (message.empty())
      message =
          llvm::formatv("line {0}, column {1}: {2}", line + 1, column + 1, msg)
              .str();
  }
  void AddWarning(int, int, const std::string &) override {}
};
} // namespace

LogicalResult iqc::parseModel(StringRef bytes, ModelFormat format,
                              onnx::ModelProto &model, std::string &error) {
  if (format == ModelFormat::Text) {
    google::protobuf::TextFormat::Parser parser;
    TextErrorCollector collector;
    parser.RecordErrorsTo(&collector);
    google::protobuf::io::ArrayInputStream stream(
        bytes.data(), static_cast<int>(bytes.size()));
    if (bytes.size() > INT_MAX || !parser.Parse(&stream, &model)) {
      error = "invalid ONNX protobuf text: " + (collector.message.empty()
                                                    ? std::string("parse error")
                                                    : collector.message);
      return failure();
    }
    return success();
  }
  if (bytes.size() > INT_MAX) {
    error = "binary model is larger than 2 GiB; store the weights as ONNX "
            "external data";
    return failure();
  }
  google::protobuf::io::CodedInputStream stream(
      reinterpret_cast<const uint8_t *>(bytes.data()),
      static_cast<int>(bytes.size()));
  stream.SetTotalBytesLimit(INT_MAX);
  if (!model.ParseFromCodedStream(&stream) || !stream.ConsumedEntireMessage()) {
    error = "not a valid ONNX model: the binary protobuf is truncated or "
            "corrupt";
    return failure();
  }
  if (!model.has_graph()) {
    error = "not a valid ONNX model: it has no graph";
    return failure();
  }
  return success();
}

Type iqc::convertElementType(int32_t onnxType, MLIRContext *ctx) {
  using T = onnx::TensorProto;
  switch (onnxType) {
  case T::FLOAT:
    return Float32Type::get(ctx);
  case T::DOUBLE:
    return Float64Type::get(ctx);
  case T::FLOAT16:
    return Float16Type::get(ctx);
  case T::BFLOAT16:
    return BFloat16Type::get(ctx);
  case T::BOOL:
    return IntegerType::get(ctx, 1);
  case T::INT8:
    return IntegerType::get(ctx, 8);
  case T::INT16:
    return IntegerType::get(ctx, 16);
  case T::INT32:
    return IntegerType::get(ctx, 32);
  case T::INT64:
    return IntegerType::get(ctx, 64);
  case T::UINT8:
    return IntegerType::get(ctx, 8, IntegerType::Unsigned);
  case T::UINT16:
    return IntegerType::get(ctx, 16, IntegerType::Unsigned);
  case T::UINT32:
    return IntegerType::get(ctx, 32, IntegerType::Unsigned);
  case T::UINT64:
    return IntegerType::get(ctx, 64, IntegerType::Unsigned);
  default:
    return {};
  }
}

StringRef iqc::onnxTypeName(int32_t onnxType) {
  if (onnx::TensorProto_DataType_IsValid(onnxType)) {
    const std::string &name = onnx::TensorProto_DataType_Name(
        static_cast<onnx::TensorProto_DataType>(onnxType));
    return name;
  }
  return "INVALID";
}

/// Bytes one element occupies in raw_data.
static uint64_t storageBytes(Type type) {
  if (type.isInteger(1))
    return 1;
  return type.getIntOrFloatBitWidth() / 8;
}

std::string iqc::sanitizeIdentifier(StringRef name, StringRef prefix) {
  std::string out;
  for (char c : name)
    out.push_back(llvm::isAlnum(c) ? c : '_');
  if (out.empty() || llvm::isDigit(out[0]))
    out.insert(0, prefix.str());
  return out;
}

/// Copies typed repeated fields into little-endian raw bytes.
template <typename Src, typename Dst>
static void appendAs(const Src &values, std::string &out) {
  out.reserve(out.size() + values.size() * sizeof(Dst));
  for (auto v : values) {
    Dst d = static_cast<Dst>(v);
    out.append(reinterpret_cast<const char *>(&d), sizeof(Dst));
  }
}

/// Fills `out` from the typed field matching `type`; returns the number of
/// elements found there.
static int64_t typedFieldToBytes(const onnx::TensorProto &t, std::string &out) {
  using T = onnx::TensorProto;
  switch (t.data_type()) {
  case T::FLOAT:
    appendAs<decltype(t.float_data()), float>(t.float_data(), out);
    return t.float_data_size();
  case T::DOUBLE:
    appendAs<decltype(t.double_data()), double>(t.double_data(), out);
    return t.double_data_size();
  case T::INT64:
    appendAs<decltype(t.int64_data()), int64_t>(t.int64_data(), out);
    return t.int64_data_size();
  case T::UINT32:
    appendAs<decltype(t.uint64_data()), uint32_t>(t.uint64_data(), out);
    return t.uint64_data_size();
  case T::UINT64:
    appendAs<decltype(t.uint64_data()), uint64_t>(t.uint64_data(), out);
    return t.uint64_data_size();
  case T::INT32:
    appendAs<decltype(t.int32_data()), int32_t>(t.int32_data(), out);
    return t.int32_data_size();
  case T::INT16:
  case T::UINT16:
  case T::FLOAT16:
  case T::BFLOAT16:
    appendAs<decltype(t.int32_data()), uint16_t>(t.int32_data(), out);
    return t.int32_data_size();
  case T::INT8:
  case T::UINT8:
  case T::BOOL:
    appendAs<decltype(t.int32_data()), uint8_t>(t.int32_data(), out);
    return t.int32_data_size();
  default:
    return 0;
  }
}

LogicalResult iqc::tensorPayloadBytes(const onnx::TensorProto &t,
                                     uint64_t numElements,
                                     uint64_t elementBytes, std::string &out,
                                     std::string &error) {
  out.clear();
  if (t.data_location() == onnx::TensorProto::EXTERNAL) {
    error = "tensor '" + t.name() + "' stores its data externally";
    return failure();
  }
  if (t.has_raw_data()) {
    out = t.raw_data();
    if (out.size() != numElements * elementBytes) {
      error = "tensor '" + t.name() + "' has " + std::to_string(out.size()) +
              " bytes of raw data, expected " +
              std::to_string(numElements * elementBytes);
      return failure();
    }
    return success();
  }
  int64_t count = typedFieldToBytes(t, out);
  if (static_cast<uint64_t>(count) != numElements) {
    error = "tensor '" + t.name() + "' has " + std::to_string(count) +
            " values, expected " + std::to_string(numElements);
    return failure();
  }
  return success();
}

FailureOr<ElementsAttr>
iqc::decodeTensor(onnx::TensorProto &t, MLIRContext *ctx,
                  const TensorDecodeOptions &options,
                  function_ref<InFlightDiagnostic()> emitError) {
  StringRef name = t.name();
  Type elementType = convertElementType(t.data_type(), ctx);
  if (!elementType)
    return emitError() << "tensor '" << name << "' has unsupported data type "
                       << onnxTypeName(t.data_type()),
           failure();
  SmallVector<int64_t> dims(t.dims().begin(), t.dims().end());
  uint64_t numElements = 1;
  for (int64_t d : dims) {
    if (d < 0)
      return emitError() << "tensor '" << name << "' has negative dimension "
                         << d << " in shape " << shapeString(dims),
             failure();
    if (__builtin_mul_overflow(numElements, static_cast<uint64_t>(d),
                               &numElements))
      return emitError() << "tensor '" << name << "' shape "
                         << shapeString(dims) << " overflows 64 bits",
             failure();
  }
  uint64_t elementBytes = storageBytes(elementType);
  uint64_t numBytes;
  if (__builtin_mul_overflow(numElements, elementBytes, &numBytes) ||
      numBytes > options.maxTensorBytes)
    return emitError() << "tensor '" << name << "' of shape "
                       << shapeString(dims) << " needs " << numElements
                       << " elements of " << elementBytes
                       << " bytes, over the limit of " << options.maxTensorBytes
                       << " bytes per tensor",
           failure();
  auto type = RankedTensorType::get(dims, elementType);

  // Locate the payload: external file, raw_data or a typed field.
  std::unique_ptr<llvm::MemoryBuffer> external;
  std::unique_ptr<std::string> owned;
  StringRef payload;
  if (t.data_location() == onnx::TensorProto::EXTERNAL) {
    std::string location;
    uint64_t offset = 0, length = numBytes;
    bool hasLength = false;
    for (const auto &entry : t.external_data()) {
      if (entry.key() == "location")
        location = entry.value();
      else if (entry.key() == "offset" || entry.key() == "length") {
        uint64_t v;
        if (!llvm::to_integer(entry.value(), v, 10))
          return emitError() << "tensor '" << name << "' has invalid external "
                             << entry.key() << " '" << entry.value() << "'",
                 failure();
        (entry.key() == "offset" ? offset : length) = v;
        hasLength |= entry.key() == "length";
      }
    }
    if (location.empty())
      return emitError() << "tensor '" << name
                         << "' has external data without a location",
             failure();
    if (llvm::sys::path::is_absolute(location) ||
        llvm::is_contained(llvm::make_range(llvm::sys::path::begin(location),
                                            llvm::sys::path::end(location)),
                           ".."))
      return emitError() << "tensor '" << name << "': external data location '"
                         << location
                         << "' must be a relative path inside the model's "
                            "directory",
             failure();
    if (hasLength && length != numBytes)
      return emitError() << "tensor '" << name << "': external data length "
                         << length << " does not match " << numBytes
                         << " bytes of shape " << shapeString(dims),
             failure();
    SmallString<256> path(options.externalDataDir);
    llvm::sys::path::append(path, location);
    uint64_t fileSize = 0;
    if (llvm::sys::fs::file_size(path, fileSize) ||
        offset + numBytes > fileSize)
      return emitError() << "tensor '" << name << "': external data file '"
                         << path << "' is missing or shorter than offset "
                         << offset << " + " << numBytes << " bytes",
             failure();
    auto buffer = llvm::MemoryBuffer::getFileSlice(path, numBytes, offset);
    if (!buffer)
      return emitError() << "tensor '" << name << "': cannot read '" << path
                         << "': " << buffer.getError().message(),
             failure();
    external = std::move(*buffer);
    payload = external->getBuffer();
  } else if (t.has_raw_data()) {
    owned.reset(t.release_raw_data());
    payload = *owned;
  } else {
    owned = std::make_unique<std::string>();
    int64_t count = typedFieldToBytes(t, *owned);
    if (static_cast<uint64_t>(count) != numElements)
      return emitError() << "tensor '" << name << "' of shape "
                         << shapeString(dims) << " has " << count
                         << " values, expected " << numElements,
             failure();
    payload = *owned;
  }
  if (payload.size() != numBytes)
    return emitError() << "tensor '" << name << "' has " << payload.size()
                       << " bytes of data, expected " << numBytes
                       << " for shape " << shapeString(dims) << " of type "
                       << onnxTypeName(t.data_type()),
           failure();

  if (static_cast<int64_t>(numElements) <= options.inlineElementLimit ||
      elementType.isInteger(1)) {
    if (elementType.isInteger(1)) {
      SmallVector<bool> bits;
      for (char c : payload)
        bits.push_back(c != 0);
      return ElementsAttr(DenseElementsAttr::get(type, bits));
    }
    return ElementsAttr(DenseElementsAttr::getFromRawBuffer(
        type, ArrayRef<char>(payload.data(), payload.size())));
  }

  // Zero-copy blob that owns the protobuf string or the mapped file. Copy
  // only when the bytes are not aligned for the element type.
  size_t alignment = std::max<size_t>(elementBytes, 1);
  ArrayRef<char> data(payload.data(), payload.size());
  AsmResourceBlob blob;
  if (reinterpret_cast<uintptr_t>(payload.data()) % alignment != 0) {
    blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(data, alignment);
  } else if (external) {
    blob = AsmResourceBlob(
        data, alignment,
        [buffer = std::shared_ptr<llvm::MemoryBuffer>(std::move(external))](
            void *, size_t, size_t) mutable { buffer.reset(); },
        /*dataIsMutable=*/false);
  } else {
    blob = AsmResourceBlob(
        data, alignment,
        [str = std::shared_ptr<std::string>(std::move(owned))](
            void *, size_t, size_t) mutable { str.reset(); },
        /*dataIsMutable=*/true);
  }
  return ElementsAttr(DenseResourceElementsAttr::get(
      type, sanitizeIdentifier(name, "t_"), std::move(blob)));
}
