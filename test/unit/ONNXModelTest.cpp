//===- ONNXModelTest.cpp - protobuf reading and tensor decoding -----------===//
//
// Expected values are the bytes/values the tests put into the protobufs.
//
//===----------------------------------------------------------------------===//

#include "iqc/Import/ONNXModel.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace iqc;

namespace {
struct DecodeTest : ::testing::Test {
  DecodeTest() {
    handler = std::make_unique<ScopedDiagnosticHandler>(&context,
                                                        [this](Diagnostic &d) {
                                                          lastError = d.str();
                                                          return success();
                                                        });
  }
  FailureOr<ElementsAttr> decode(onnx::TensorProto &t,
                                 TensorDecodeOptions options = {}) {
    return decodeTensor(t, &context, options, [this] {
      return emitError(UnknownLoc::get(&context));
    });
  }
  MLIRContext context;
  std::unique_ptr<ScopedDiagnosticHandler> handler;
  std::string lastError;
};

onnx::TensorProto floatTensor(std::vector<int64_t> dims,
                              std::vector<float> values) {
  onnx::TensorProto t;
  t.set_name("w");
  t.set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : dims)
    t.add_dims(d);
  for (float v : values)
    t.add_float_data(v);
  return t;
}
} // namespace

TEST(ModelFormat, DetectsTextAndBinary) {
  EXPECT_EQ(detectModelFormat("ir_version: 8\ngraph { }"), ModelFormat::Text);
  EXPECT_EQ(detectModelFormat("# comment\nir_version: 8"), ModelFormat::Text);
  EXPECT_EQ(detectModelFormat(llvm::StringRef("\x08\x08\x12\x03", 4)),
            ModelFormat::Binary);
}

TEST(ModelFormat, ParsesBinaryRoundTripAndRejectsTruncation) {
  onnx::ModelProto model;
  model.set_ir_version(8);
  model.mutable_graph()->set_name("g");
  model.mutable_graph()->add_node()->set_op_type("Relu");
  std::string bytes = model.SerializeAsString();
  onnx::ModelProto parsed;
  std::string error;
  ASSERT_TRUE(succeeded(parseModel(bytes, ModelFormat::Binary, parsed, error)));
  EXPECT_EQ(parsed.graph().node(0).op_type(), "Relu");
  onnx::ModelProto truncated;
  EXPECT_TRUE(failed(parseModel(llvm::StringRef(bytes).drop_back(3),
                                ModelFormat::Binary, truncated, error)));
  EXPECT_NE(error.find("truncated or corrupt"), std::string::npos) << error;
}

TEST(ModelFormat, TextErrorsHaveLineAndColumn) {
  onnx::ModelProto model;
  std::string error;
  EXPECT_TRUE(failed(parseModel("ir_version: 8\ngraph { bogus: 1 }",
                                ModelFormat::Text, model, error)));
  EXPECT_NE(error.find("line 2"), std::string::npos) << error;
  EXPECT_NE(error.find("bogus"), std::string::npos) << error;
}

TEST(ElementTypes, MapsOnnxTypes) {
  MLIRContext ctx;
  EXPECT_TRUE(convertElementType(onnx::TensorProto::FLOAT, &ctx).isF32());
  EXPECT_TRUE(
      convertElementType(onnx::TensorProto::INT64, &ctx).isSignlessInteger(64));
  EXPECT_TRUE(
      convertElementType(onnx::TensorProto::UINT8, &ctx).isUnsignedInteger(8));
  EXPECT_TRUE(convertElementType(onnx::TensorProto::BOOL, &ctx).isInteger(1));
  EXPECT_FALSE(convertElementType(onnx::TensorProto::STRING, &ctx));
  EXPECT_EQ(onnxTypeName(onnx::TensorProto::INT8), "INT8");
}

TEST_F(DecodeTest, TypedFieldsInline) {
  onnx::TensorProto t = floatTensor({2, 2}, {1.0f, -2.0f, 3.5f, 0.25f});
  auto attr = decode(t);
  ASSERT_TRUE(succeeded(attr));
  auto dense = dyn_cast<DenseElementsAttr>(*attr);
  ASSERT_TRUE(dense);
  std::vector<float> values(dense.getValues<float>().begin(),
                            dense.getValues<float>().end());
  EXPECT_EQ(values, (std::vector<float>{1.0f, -2.0f, 3.5f, 0.25f}));
}

TEST_F(DecodeTest, SmallIntegersComeFromInt32Data) {
  onnx::TensorProto t;
  t.set_name("zp");
  t.set_data_type(onnx::TensorProto::INT8);
  t.add_dims(3);
  for (int v : {-128, 0, 127})
    t.add_int32_data(v);
  auto attr = decode(t);
  ASSERT_TRUE(succeeded(attr));
  auto values = cast<DenseElementsAttr>(*attr).getValues<int8_t>();
  EXPECT_EQ(values[0], -128);
  EXPECT_EQ(values[2], 127);
}

TEST_F(DecodeTest, RawDataBecomesResourceAboveLimit) {
  onnx::TensorProto t;
  t.set_name("big");
  t.set_data_type(onnx::TensorProto::FLOAT);
  t.add_dims(100);
  std::vector<float> v(100);
  for (int i = 0; i < 100; ++i)
    v[i] = i * 0.5f;
  t.set_raw_data(std::string(reinterpret_cast<char *>(v.data()), 400));
  auto attr = decode(t);
  ASSERT_TRUE(succeeded(attr));
  auto resource = dyn_cast<DenseResourceElementsAttr>(*attr);
  ASSERT_TRUE(resource);
  auto floats = cast<DenseF32ResourceElementsAttr>(resource).tryGetAsArrayRef();
  ASSERT_TRUE(floats.has_value());
  EXPECT_EQ((*floats)[99], 49.5f);
  EXPECT_FALSE(t.has_raw_data()) << "raw bytes should be moved, not copied";
}

TEST_F(DecodeTest, WrongValueCountIsAnError) {
  onnx::TensorProto t = floatTensor({2, 3}, {1, 2, 3});
  EXPECT_TRUE(failed(decode(t)));
  EXPECT_NE(lastError.find("'w'"), std::string::npos) << lastError;
  EXPECT_NE(lastError.find("has 3 values, expected 6"), std::string::npos)
      << lastError;
}

TEST_F(DecodeTest, RawDataSizeMismatchIsAnError) {
  onnx::TensorProto t;
  t.set_name("w");
  t.set_data_type(onnx::TensorProto::FLOAT);
  t.add_dims(4);
  t.set_raw_data(std::string(10, '\0'));
  EXPECT_TRUE(failed(decode(t)));
  EXPECT_NE(lastError.find("has 10 bytes of data, expected 16"),
            std::string::npos)
      << lastError;
}

TEST_F(DecodeTest, SizeLimitAndNegativeDims) {
  onnx::TensorProto huge;
  huge.set_name("huge");
  huge.set_data_type(onnx::TensorProto::FLOAT);
  huge.add_dims(1 << 20);
  huge.add_dims(1 << 20);
  EXPECT_TRUE(failed(decode(huge)));
  EXPECT_NE(lastError.find("over the limit"), std::string::npos) << lastError;

  onnx::TensorProto negative = floatTensor({-1}, {});
  EXPECT_TRUE(failed(decode(negative)));
  EXPECT_NE(lastError.find("negative dimension"), std::string::npos);
}

TEST_F(DecodeTest, ExternalDataIsMappedAndChecked) {
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("iqc-ext", dir));
  llvm::SmallString<128> path(dir);
  llvm::sys::path::append(path, "w.bin");
  std::vector<float> v(80);
  for (int i = 0; i < 80; ++i)
    v[i] = float(i);
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    ASSERT_FALSE(ec);
    os << "PAD!"; // 4-byte offset before the tensor
    os.write(reinterpret_cast<const char *>(v.data()), v.size() * 4);
  }
  auto makeTensor = [](std::string location, std::string offset) {
    onnx::TensorProto t;
    t.set_name("ext");
    t.set_data_type(onnx::TensorProto::FLOAT);
    t.add_dims(80);
    t.set_data_location(onnx::TensorProto::EXTERNAL);
    auto *loc = t.add_external_data();
    loc->set_key("location");
    loc->set_value(location);
    auto *off = t.add_external_data();
    off->set_key("offset");
    off->set_value(offset);
    return t;
  };
  TensorDecodeOptions options;
  options.externalDataDir = dir.str().str();
  onnx::TensorProto ok = makeTensor("w.bin", "4");
  auto attr = decode(ok, options);
  ASSERT_TRUE(succeeded(attr));
  auto floats = cast<DenseF32ResourceElementsAttr>(*attr).tryGetAsArrayRef();
  ASSERT_TRUE(floats.has_value());
  EXPECT_EQ((*floats)[79], 79.0f);

  onnx::TensorProto shortFile = makeTensor("w.bin", "8");
  EXPECT_TRUE(failed(decode(shortFile, options)));
  EXPECT_NE(lastError.find("shorter than"), std::string::npos) << lastError;

  onnx::TensorProto escape = makeTensor("../w.bin", "0");
  EXPECT_TRUE(failed(decode(escape, options)));
  EXPECT_NE(lastError.find("relative path inside"), std::string::npos);
  llvm::sys::fs::remove_directories(dir);
}
