//===- Ranges.cpp - Calibrated activation ranges --------------------------===//

#include "iqc/Quant/Ranges.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cmath>

using namespace iqc::quant;

static llvm::Error error(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}

llvm::Expected<RangeTable> iqc::quant::parseRangeTable(llvm::StringRef text) {
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(text);
  if (!parsed)
    return error("invalid JSON: " + llvm::toString(parsed.takeError()));
  const llvm::json::Object *root = parsed->getAsObject();
  if (!root)
    return error("expected a JSON object with a \"points\" member");
  RangeTable table;
  if (std::optional<llvm::StringRef> m = root->getString("method"))
    table.method = m->str();
  if (std::optional<int64_t> n = root->getInteger("samples"))
    table.samples = *n;
  const llvm::json::Object *points = root->getObject("points");
  if (!points)
    return error("missing the \"points\" object");
  // JSON objects are unordered; keep the file's keys sorted for stable output.
  std::vector<std::string> keys;
  for (const auto &kv : *points)
    keys.push_back(kv.first.str());
  llvm::sort(keys);
  for (const std::string &key : keys) {
    const llvm::json::Object *p = points->getObject(key);
    if (!p)
      return error("point '" + key + "': expected an object");
    std::optional<double> lo = p->getNumber("min"), hi = p->getNumber("max");
    if (!lo || !hi)
      return error("point '" + key + "': needs numbers \"min\" and \"max\"");
    if (!std::isfinite(*lo) || !std::isfinite(*hi) || *lo > *hi)
      return error("point '" + key + "': needs finite min <= max");
    ActivationRange r{*lo, *hi, std::nullopt};
    if (const llvm::json::Value *ss = p->get("row_sum_squares")) {
      std::optional<double> v = ss->getAsNumber();
      if (!v || !std::isfinite(*v) || *v < 0)
        return error("point '" + key +
                     "': \"row_sum_squares\" must be a non-negative number");
      r.rowSumSquares = *v;
    }
    table.points.insert({key, r});
  }
  return table;
}

llvm::Expected<RangeTable> iqc::quant::readRangeTable(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return error("cannot read '" + path + "': " + buffer.getError().message());
  auto table = parseRangeTable((*buffer)->getBuffer());
  if (!table)
    return error(path + ": " + llvm::toString(table.takeError()));
  return table;
}

void iqc::quant::writeRangeTable(llvm::raw_ostream &os,
                                 const RangeTable &table) {
  llvm::json::OStream j(os, 2);
  j.object([&] {
    j.attribute("version", 1);
    j.attribute("method", table.method);
    j.attribute("samples", table.samples);
    j.attributeObject("points", [&] {
      for (const auto &[name, r] : table.points)
        j.attributeObject(name, [&] {
          j.attribute("min", r.min);
          j.attribute("max", r.max);
          if (r.rowSumSquares)
            j.attribute("row_sum_squares", *r.rowSumSquares);
        });
    });
  });
  os << "\n";
}

int64_t iqc::quant::layerNormShift(double rowSumSquares, double inputScale,
                                   int64_t margin) {
  double v = rowSumSquares / (inputScale * inputScale);
  int64_t s = 0;
  while (s < 31 && v / std::ldexp(1.0, 2 * s) >= std::ldexp(1.0, 32))
    ++s;
  return std::min<int64_t>(s + margin, 31);
}
