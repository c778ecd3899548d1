//===- TensorIOTest.cpp - .npy/.pb tensor files and comparisons
//------------===//
//
// The .npy bytes are written out by hand from the NumPy format spec
// (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html);
// comparisons follow numpy.allclose.
//
//===----------------------------------------------------------------------===//

#include "iqc/Tools/TensorIO.h"
#include "iqc/Import/ONNXModel.h"
#include "iqc/Runtime/iqc_runtime.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstring>
#include <gtest/gtest.h>
#include <unistd.h>

using namespace iqc;

namespace {
std::string tempPath(const char *suffix) {
  llvm::SmallString<128> path;
  llvm::sys::fs::createTemporaryFile("iqc-tensorio", suffix, path);
  return std::string(path);
}

void writeBytes(const std::string &path, const std::string &bytes) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  os << bytes;
}

HostTensor floats(std::vector<int64_t> shape, std::vector<float> v) {
  HostTensor t;
  t.dtype = IQC_FLOAT32;
  t.shape = std::move(shape);
  t.data.resize(v.size() * 4);
  memcpy(t.data.data(), v.data(), t.data.size());
  return t;
}
} // namespace

TEST(TensorIO, ReadsHandWrittenNpy) {
  // Version 1.0, '<i8', shape (2,), values 7 and -1.
  std::string header =
      "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }";
  header.append(128 - 10 - header.size() - 1, ' ');
  header += '\n';
  std::string bytes = std::string("\x93NUMPY\x01\x00", 8);
  bytes += (char)header.size();
  bytes += '\0';
  bytes += header;
  int64_t values[2] = {7, -1};
  bytes.append((const char *)values, sizeof values);
  std::string path = tempPath("npy");
  writeBytes(path, bytes);
  auto t = readNpy(path);
  ASSERT_TRUE((bool)t) << llvm::toString(t.takeError());
  EXPECT_EQ(t->dtype, IQC_INT64);
  EXPECT_EQ(t->shape, (std::vector<int64_t>{2}));
  EXPECT_EQ(elementAsDouble(*t, 0), 7);
  EXPECT_EQ(elementAsDouble(*t, 1), -1);
  llvm::sys::fs::remove(path);
}

TEST(TensorIO, NpyRoundTripKeepsDtypeShapeAndBytes) {
  for (int32_t dtype : {IQC_FLOAT32, IQC_INT64, IQC_INT32, IQC_UINT8, IQC_INT8,
                        IQC_BOOL, IQC_FLOAT64}) {
    for (std::vector<int64_t> shape :
         {std::vector<int64_t>{}, std::vector<int64_t>{3},
          std::vector<int64_t>{2, 0, 4}, std::vector<int64_t>{1, 2, 3}}) {
      HostTensor t;
      t.dtype = dtype;
      t.shape = shape;
      t.data.resize(t.numElements() * iqc_dtype_size(dtype));
      for (size_t i = 0; i < t.data.size(); ++i)
        t.data[i] = dtype == IQC_BOOL ? i % 2 : (uint8_t)(i * 37 + 1);
      std::string path = tempPath("npy");
      ASSERT_FALSE((bool)writeNpy(path, t));
      auto back = readNpy(path);
      ASSERT_TRUE((bool)back) << llvm::toString(back.takeError());
      EXPECT_EQ(back->dtype, dtype);
      EXPECT_EQ(back->shape, shape);
      EXPECT_EQ(back->data, t.data);
      llvm::sys::fs::remove(path);
    }
  }
}

TEST(TensorIO, RejectsBadNpy) {
  std::string path = tempPath("npy");
  writeBytes(path, "not numpy at all");
  EXPECT_FALSE((bool)readNpy(path));
  // Data shorter than the shape says.
  HostTensor t = floats({4}, {1, 2, 3, 4});
  ASSERT_FALSE((bool)writeNpy(path, t));
  uint64_t size;
  llvm::sys::fs::file_size(path, size);
  ASSERT_EQ(truncate(path.c_str(), size - 4), 0);
  auto r = readNpy(path);
  ASSERT_FALSE((bool)r);
  EXPECT_NE(llvm::toString(r.takeError()).find("expected 16"),
            std::string::npos);
  llvm::sys::fs::remove(path);
}

TEST(TensorIO, ReadsTensorProtoRawAndTypedData) {
  onnx::TensorProto p;
  p.set_name("x");
  p.set_data_type(onnx::TensorProto::FLOAT);
  p.add_dims(2);
  p.add_float_data(1.5f);
  p.add_float_data(-2.0f);
  std::string path = tempPath("pb");
  writeBytes(path, p.SerializeAsString());
  auto t = readTensorProto(path);
  ASSERT_TRUE((bool)t) << llvm::toString(t.takeError());
  EXPECT_EQ(t->name, "x");
  EXPECT_EQ(elementAsDouble(*t, 0), 1.5);
  EXPECT_EQ(elementAsDouble(*t, 1), -2.0);
  // raw_data with the wrong size is an error naming the tensor.
  p.clear_float_data();
  p.set_raw_data(std::string(5, '\0'));
  writeBytes(path, p.SerializeAsString());
  auto bad = readTensorProto(path);
  ASSERT_FALSE((bool)bad);
  EXPECT_NE(llvm::toString(bad.takeError()).find("tensor 'x'"),
            std::string::npos);
  llvm::sys::fs::remove(path);
}

TEST(TensorIO, CompareIsNumpyAllclose) {
  HostTensor e = floats({3}, {1.0f, 100.0f, 0.0f});
  // |a - e| <= atol + rtol * |e| with atol 1e-5, rtol 1e-4: 100 allows 0.01.
  EXPECT_TRUE(
      compareTensors(floats({3}, {1.0f, 100.009f, 5e-6f}), e, 1e-5, 1e-4).ok);
  auto r = compareTensors(floats({3}, {1.0f, 100.02f, 0.0f}), e, 1e-5, 1e-4);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.mismatches, 1);
  EXPECT_EQ(r.firstMismatch, 1);
  // NaN equals NaN; a NaN against a number does not.
  HostTensor n = floats({1}, {NAN});
  EXPECT_TRUE(compareTensors(n, n, 0, 0).ok);
  EXPECT_FALSE(compareTensors(n, floats({1}, {0.0f}), 1, 1).ok);
  // Shape and dtype must match.
  EXPECT_FALSE(compareTensors(floats({1, 3}, {1, 100, 0}), e, 1, 1).ok);
}
