//===- TensorIO.cpp - Host tensors and their file formats -----------------===//

#include "iqc/Tools/TensorIO.h"

#include "iqc/Import/ONNXModel.h"
#include "iqc/Runtime/iqc_runtime.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstring>

using namespace llvm;
using namespace iqc;

int64_t HostTensor::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

static Error error(const Twine &msg) {
  return createStringError(inconvertibleErrorCode(), msg);
}

/// numpy dtype descr (e.g. "<f4") <-> iqc dtype.
static int32_t dtypeFromDescr(StringRef d) {
  if (d.size() < 3 || (d[0] != '<' && d[0] != '|' && d[0] != '='))
    return 0;
  StringRef k = d.drop_front();
  if (k == "f4")
    return IQC_FLOAT32;
  if (k == "f8")
    return IQC_FLOAT64;
  if (k == "f2")
    return IQC_FLOAT16;
  if (k == "i1")
    return IQC_INT8;
  if (k == "u1")
    return IQC_UINT8;
  if (k == "i2")
    return IQC_INT16;
  if (k == "u2")
    return IQC_UINT16;
  if (k == "i4")
    return IQC_INT32;
  if (k == "u4")
    return IQC_UINT32;
  if (k == "i8")
    return IQC_INT64;
  if (k == "u8")
    return IQC_UINT64;
  if (k == "b1")
    return IQC_BOOL;
  return 0;
}

static const char *descrFromDtype(int32_t dtype) {
  switch (dtype) {
  case IQC_FLOAT32:
    return "<f4";
  case IQC_FLOAT64:
    return "<f8";
  case IQC_FLOAT16:
    return "<f2";
  case IQC_INT8:
    return "|i1";
  case IQC_UINT8:
    return "|u1";
  case IQC_INT16:
    return "<i2";
  case IQC_UINT16:
    return "<u2";
  case IQC_INT32:
    return "<i4";
  case IQC_UINT32:
    return "<u4";
  case IQC_INT64:
    return "<i8";
  case IQC_UINT64:
    return "<u8";
  case IQC_BOOL:
    return "|b1";
  default:
    return nullptr;
  }
}

/// The value of `key` in a numpy header dict: "'descr': '<f4', ..." .
static std::optional<StringRef> headerValue(StringRef header, StringRef key) {
  std::string quoted = ("'" + key + "'").str();
  size_t pos = header.find(quoted);
  if (pos == StringRef::npos)
    return std::nullopt;
  StringRef rest = header.drop_front(pos + quoted.size()).ltrim();
  if (!rest.consume_front(":"))
    return std::nullopt;
  rest = rest.ltrim();
  if (rest.starts_with("'")) {
    size_t end = rest.find('\'', 1);
    return rest.slice(1, end);
  }
  if (rest.starts_with("(")) {
    size_t end = rest.find(')');
    return rest.slice(1, end);
  }
  size_t end = rest.find_first_of(",}");
  return rest.slice(0, end).trim();
}

Expected<HostTensor> iqc::readNpy(StringRef path) {
  auto buf = MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!buf)
    return error("cannot read '" + path + "': " + buf.getError().message());
  StringRef bytes = (*buf)->getBuffer();
  if (!bytes.starts_with("\x93NUMPY") || bytes.size() < 10)
    return error("'" + path + "' is not a .npy file");
  uint8_t major = bytes[6];
  size_t headerLen, offset;
  if (major == 1) {
    headerLen = (uint8_t)bytes[8] | ((uint8_t)bytes[9] << 8);
    offset = 10;
  } else {
    if (bytes.size() < 12)
      return error("'" + path + "': truncated .npy header");
    headerLen = (uint8_t)bytes[8] | ((uint8_t)bytes[9] << 8) |
                ((uint8_t)bytes[10] << 16) | ((size_t)(uint8_t)bytes[11] << 24);
    offset = 12;
  }
  if (offset + headerLen > bytes.size())
    return error("'" + path + "': truncated .npy header");
  StringRef header = bytes.substr(offset, headerLen);
  HostTensor t;
  auto descr = headerValue(header, "descr");
  auto order = headerValue(header, "fortran_order");
  auto shape = headerValue(header, "shape");
  if (!descr || !order || !shape)
    return error("'" + path + "': malformed .npy header: " + header);
  t.dtype = dtypeFromDescr(*descr);
  if (!t.dtype)
    return error("'" + path + "': unsupported numpy dtype '" + *descr + "'");
  if (*order != "False")
    return error("'" + path + "': Fortran-order arrays are not supported");
  SmallVector<StringRef> dims;
  shape->split(dims, ',', -1, /*KeepEmpty=*/false);
  for (StringRef d : dims) {
    d = d.trim();
    if (d.empty())
      continue;
    int64_t v;
    if (!to_integer(d, v, 10) || v < 0)
      return error("'" + path + "': bad dimension '" + d + "'");
    t.shape.push_back(v);
  }
  uint64_t need = (uint64_t)t.numElements() * iqc_dtype_size(t.dtype);
  StringRef payload = bytes.drop_front(offset + headerLen);
  if (payload.size() != need)
    return error("'" + path + "': has " + Twine(payload.size()) +
                 " data bytes, expected " + Twine(need));
  t.data.assign(payload.begin(), payload.end());
  return t;
}

Error iqc::writeNpy(StringRef path, const HostTensor &t) {
  const char *descr = descrFromDtype(t.dtype);
  if (!descr)
    return error("cannot write dtype " + Twine(iqc_dtype_name(t.dtype)) +
                 " to .npy");
  std::string header = "{'descr': '" + std::string(descr) +
                       "', 'fortran_order': False, 'shape': (";
  for (int64_t d : t.shape)
    header += std::to_string(d) + ", ";
  if (t.shape.size() > 1)
    header.resize(header.size() - 1), header.back() = ')';
  else if (t.shape.size() == 1)
    header.pop_back(), header += ")";
  else
    header += ")";
  header += ", }";
  // Pad so the data starts at a multiple of 64 bytes; end with '\n'.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::error_code ec;
  raw_fd_ostream os(path, ec, sys::fs::OF_None);
  if (ec)
    return error("cannot write '" + path + "': " + ec.message());
  os << "\x93NUMPY" << (char)1 << (char)0 << (char)(header.size() & 0xff)
     << (char)(header.size() >> 8) << header;
  os.write((const char *)t.data.data(), t.data.size());
  return Error::success();
}

Expected<HostTensor> iqc::readTensorProto(StringRef path) {
  auto buf = MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!buf)
    return error("cannot read '" + path + "': " + buf.getError().message());
  onnx::TensorProto proto;
  StringRef bytes = (*buf)->getBuffer();
  if (!proto.ParseFromArray(bytes.data(), bytes.size()))
    return error("'" + path + "' is not an ONNX TensorProto");
  HostTensor t;
  t.dtype = proto.data_type();
  t.name = proto.name();
  if (!iqc_dtype_size(t.dtype))
    return error("'" + path + "': tensor '" + proto.name() +
                 "' has unsupported data type " +
                 onnxTypeName(proto.data_type()));
  for (int64_t d : proto.dims()) {
    if (d < 0)
      return error("'" + path + "': negative dimension");
    t.shape.push_back(d);
  }
  std::string payload, err;
  if (failed(tensorPayloadBytes(proto, t.numElements(), iqc_dtype_size(t.dtype),
                                payload, err)))
    return error("'" + path + "': " + err);
  t.data.assign(payload.begin(), payload.end());
  return t;
}

Expected<HostTensor> iqc::readTensorFile(StringRef path) {
  if (sys::path::extension(path) == ".npy")
    return readNpy(path);
  return readTensorProto(path);
}

/// Element i of a little-endian array of T, as a double.
template <typename T> static double load(const uint8_t *p, int64_t i) {
  T v;
  memcpy(&v, p + sizeof(T) * i, sizeof(T));
  return (double)v;
}

double iqc::elementAsDouble(const HostTensor &t, int64_t i) {
  const uint8_t *p = t.data.data();
  switch (t.dtype) {
  case IQC_FLOAT32: return load<float>(p, i);
  case IQC_FLOAT64: return load<double>(p, i);
  case IQC_INT8: return load<int8_t>(p, i);
  case IQC_UINT8:
  case IQC_BOOL: return load<uint8_t>(p, i);
  case IQC_INT16: return load<int16_t>(p, i);
  case IQC_UINT16: return load<uint16_t>(p, i);
  case IQC_INT32: return load<int32_t>(p, i);
  case IQC_UINT32: return load<uint32_t>(p, i);
  case IQC_INT64: return load<int64_t>(p, i);
  case IQC_UINT64: return load<uint64_t>(p, i);
  case IQC_FLOAT16: {
    uint16_t h;
    memcpy(&h, p + 2 * i, 2);
    int exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
    double sign = (h & 0x8000) ? -1 : 1;
    if (exp == 0)
      return sign * std::ldexp(mant, -24);
    if (exp == 31)
      return mant ? NAN : sign * INFINITY;
    return sign * std::ldexp(mant + 1024, exp - 25);
  }
  default:
    return NAN;
  }
}

std::string iqc::describeTensor(const HostTensor &t) {
  std::string s = iqc_dtype_name(t.dtype);
  s += " [";
  for (size_t i = 0; i < t.shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(t.shape[i]);
  return s + "]";
}

CompareResult iqc::compareTensors(const HostTensor &actual,
                                  const HostTensor &expected, double atol,
                                  double rtol) {
  CompareResult r;
  if (actual.dtype != expected.dtype || actual.shape != expected.shape) {
    r.ok = false;
    r.message = "got " + describeTensor(actual) + ", expected " +
                describeTensor(expected);
    return r;
  }
  bool exact = actual.dtype != IQC_FLOAT32 && actual.dtype != IQC_FLOAT64 &&
               actual.dtype != IQC_FLOAT16;
  for (int64_t i = 0, n = actual.numElements(); i < n; ++i) {
    double a = elementAsDouble(actual, i), e = elementAsDouble(expected, i);
    bool good;
    if (std::isnan(a) || std::isnan(e)) {
      good = std::isnan(a) && std::isnan(e);
    } else if (std::isinf(a) || std::isinf(e)) {
      good = a == e;
    } else {
      double diff = std::fabs(a - e);
      r.maxAbsError = std::max(r.maxAbsError, diff);
      if (e != 0)
        r.maxRelError = std::max(r.maxRelError, diff / std::fabs(e));
      good = exact ? a == e : diff <= atol + rtol * std::fabs(e);
    }
    if (!good) {
      if (r.firstMismatch < 0)
        r.firstMismatch = i;
      ++r.mismatches;
      r.ok = false;
    }
  }
  return r;
}

std::vector<std::string> iqc::testDataFiles(llvm::StringRef dir,
                                            llvm::StringRef kind) {
  std::vector<std::string> paths;
  for (unsigned i = 0;; ++i) {
    std::string base = (dir + "/" + kind + "_" + llvm::Twine(i)).str();
    if (llvm::sys::fs::exists(base + ".pb"))
      paths.push_back(base + ".pb");
    else if (llvm::sys::fs::exists(base + ".npy"))
      paths.push_back(base + ".npy");
    else
      break;
  }
  return paths;
}
