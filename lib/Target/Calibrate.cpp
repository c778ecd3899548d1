//===- Calibrate.cpp - Activation ranges from sample inputs ---------------===//
//
// A copy of the raised model returns every quantization point as an extra
// output; the copy is JIT-compiled through the fp32 pipeline and run on
// each sample. Min/max are exact; percentiles come from a reservoir of at
// most 2^20 values per point (fixed seed, so calibration is repeatable);
// LayerNorm inputs also record the largest per-row sum of squared
// deviations, from which iq-quantize picks the variance shift.
//
//===----------------------------------------------------------------------===//

#include "iqc/Target/Calibrate.h"

#include "iqc/Dialect/IQ/IR/IQOps.h"
#include "iqc/Dialect/IQ/Transforms/QuantPoints.h"
#include "iqc/Target/JIT.h"
#include "iqc/Target/ModelABI.h"

#include "iqc/Dialect/IQ/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

using namespace mlir;

static llvm::Error makeError(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}

static std::vector<std::string> inputFiles(llvm::StringRef dir) {
  return iqc::testDataFiles(dir, "input");
}

llvm::Expected<std::vector<iqc::CalibrationSample>>
iqc::readCalibrationSamples(llvm::ArrayRef<std::string> paths) {
  std::vector<CalibrationSample> samples;
  // One sample: the input files of one directory.
  auto read = [&](llvm::StringRef dir,
                  llvm::ArrayRef<std::string> files) -> llvm::Error {
    CalibrationSample sample;
    sample.source = dir.str();
    for (const std::string &f : files) {
      auto t = readTensorFile(f);
      if (!t)
        return t.takeError();
      sample.inputs.push_back(std::move(*t));
    }
    samples.push_back(std::move(sample));
    return llvm::Error::success();
  };
  for (const std::string &path : paths) {
    if (!llvm::sys::fs::is_directory(path))
      return makeError("calibration data '" + path +
                       "' is not a directory (expected input_<i>.npy/.pb "
                       "files, or directories of them)");
    if (std::vector<std::string> files = inputFiles(path); !files.empty()) {
      if (auto e = read(path, files))
        return std::move(e);
      continue;
    }
    // Sample directories, by name, with their input files.
    std::vector<std::pair<std::string, std::vector<std::string>>> subdirs;
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(path, ec), end; it != end && !ec;
         it.increment(ec))
      if (llvm::sys::fs::is_directory(it->path()))
        if (std::vector<std::string> files = inputFiles(it->path());
            !files.empty())
          subdirs.emplace_back(it->path(), std::move(files));
    if (ec)
      return makeError("cannot list '" + path + "': " + ec.message());
    if (subdirs.empty())
      return makeError("calibration data '" + path +
                       "' has no input_<i>.npy/.pb files and no "
                       "sample directories with them");
    llvm::sort(subdirs, llvm::less_first());
    for (const auto &[dir, files] : subdirs)
      if (auto e = read(dir, files))
        return std::move(e);
  }
  return samples;
}

namespace {

/// Running statistics of one point.
struct PointStats {
  double min = INFINITY, max = -INFINITY;
  int64_t rowSize = 0; // > 0 for LayerNorm inputs: elements per row
  double rowSumSquares = 0;
  std::vector<float> reservoir;
  uint64_t seen = 0;
};

constexpr size_t kReservoir = size_t(1) << 20;

void accumulate(PointStats &p, const float *x, int64_t n, bool keepSample,
                std::mt19937_64 &rng) {
  for (int64_t i = 0; i < n; ++i) {
    float v = x[i];
    if (!std::isfinite(v))
      continue; // an overflowing float model; the range ignores it
    p.min = std::min<double>(p.min, v);
    p.max = std::max<double>(p.max, v);
    if (!keepSample)
      continue;
    ++p.seen;
    if (p.reservoir.size() < kReservoir) {
      p.reservoir.push_back(v);
    } else {
      uint64_t j = rng() % p.seen;
      if (j < kReservoir)
        p.reservoir[j] = v;
    }
  }
  if (p.rowSize > 0)
    for (int64_t r = 0; r + p.rowSize <= n; r += p.rowSize) {
      double mean = 0;
      for (int64_t c = 0; c < p.rowSize; ++c)
        mean += x[r + c];
      mean /= p.rowSize;
      double ss = 0;
      for (int64_t c = 0; c < p.rowSize; ++c)
        ss += (x[r + c] - mean) * (x[r + c] - mean);
      if (std::isfinite(ss))
        p.rowSumSquares = std::max(p.rowSumSquares, ss);
    }
}

double quantile(std::vector<float> &v, double q) {
  if (v.empty())
    return 0;
  size_t k = (size_t)std::llround(q * (v.size() - 1));
  std::nth_element(v.begin(), v.begin() + k, v.end());
  return v[k];
}

} // namespace

llvm::Expected<iqc::quant::RangeTable>
iqc::calibrate(ModuleOp raised, llvm::ArrayRef<CalibrationSample> samples,
               const CalibrationOptions &options) {
  bool percentile = options.method == "percentile";
  if (!percentile && options.method != "minmax")
    return makeError("unknown calibration method '" + options.method +
                     "' (minmax or percentile)");
  if (percentile && !(options.percentile > 50 && options.percentile <= 100))
    return makeError("the calibration percentile must be in (50, 100]");
  if (samples.empty())
    return makeError("no calibration samples");

  OwningOpRef<ModuleOp> copy = raised.clone();
  FailureOr<func::FuncOp> found = findModelEntry(*copy);
  if (failed(found))
    return makeError("calibration: the model has no entry function");
  func::FuncOp entry = *found;
  llvm::MapVector<Value, std::string> names = iq::quantPointNames(entry);
  if (names.empty())
    return makeError("calibration: the model has no float values to "
                     "calibrate");

  // Instrument: every point becomes an extra output.
  auto ret = cast<func::ReturnOp>(entry.getBody().front().getTerminator());
  unsigned firstExtra = ret.getNumOperands();
  std::vector<PointStats> stats(names.size());
  SmallVector<Value> values;
  for (auto [i, kv] : llvm::enumerate(names)) {
    values.push_back(kv.first);
    // LayerNorm inputs: rows over the normalized trailing dims.
    for (Operation *user : kv.first.getUsers())
      if (auto ln = dyn_cast<iq::LayerNormOp>(user);
          ln && ln.getInput() == kv.first) {
        auto shape = ln.getInput().getType().getShape();
        int64_t row = 1;
        for (int64_t d : shape.drop_front(ln.getAxis()))
          row = ShapedType::isDynamic(d) || row < 0 ? -1 : row * d;
        stats[i].rowSize = row > 0 ? row : 0;
      }
  }
  ret->insertOperands(ret.getNumOperands(), values);
  MLIRContext *ctx = copy->getContext();
  SmallVector<Type> results(entry.getResultTypes());
  SmallVector<DictionaryAttr> resultAttrs;
  for (unsigned i = 0; i < firstExtra; ++i)
    resultAttrs.push_back(entry.getResultAttrDict(i)
                              ? entry.getResultAttrDict(i)
                              : DictionaryAttr::get(ctx));
  Builder b(ctx);
  for (auto [i, v] : llvm::enumerate(values)) {
    results.push_back(v.getType());
    resultAttrs.push_back(b.getDictionaryAttr(b.getNamedAttr(
        "iq.name", b.getStringAttr("calibration_" + std::to_string(i)))));
  }
  entry.setFunctionType(
      FunctionType::get(ctx, entry.getArgumentTypes(), results));
  entry.setAllResultAttrs(resultAttrs);

  CPUPipelineOptions pipeline;
  pipeline.raise = false; // `raised` already is
  auto jit = JITModel::compile(*copy, "iqc_calibration", options.cpu, pipeline);
  if (!jit)
    return jit.takeError();
  const iqc_model *m = (*jit)->model();

  std::mt19937_64 rng(0x1ca1b);
  for (const CalibrationSample &sample : samples) {
    std::vector<HostTensor> inputs = sample.inputs;
    if (inputs.size() != m->num_inputs)
      return makeError("calibration sample '" + sample.source + "' has " +
                       llvm::Twine(inputs.size()) + " input files, the model "
                       "takes " + llvm::Twine(m->num_inputs) +
                       " (input_0 ... input_" +
                       llvm::Twine(m->num_inputs - 1) + ")");
    auto outputs = runModel(m, inputs);
    if (!outputs)
      return makeError("calibration sample '" + sample.source + "': " +
                       llvm::toString(outputs.takeError()));
    for (size_t i = 0; i < stats.size(); ++i) {
      HostTensor &t = (*outputs)[firstExtra + i];
      if (t.dtype != IQC_FLOAT32)
        return makeError("calibration point '" + names.begin()[i].second +
                         "' is not float32");
      accumulate(stats[i], reinterpret_cast<const float *>(t.data.data()),
                 t.numElements(), percentile, rng);
    }
  }

  quant::RangeTable table;
  table.method = percentile
                     ? "percentile:" + llvm::formatv("{0}", options.percentile)
                                           .str()
                     : "minmax";
  table.samples = samples.size();
  for (auto [i, kv] : llvm::enumerate(names)) {
    PointStats &p = stats[i];
    quant::ActivationRange r;
    if (p.min > p.max) { // no finite values
      r.min = r.max = 0;
    } else if (percentile) {
      r.min = quantile(p.reservoir, 1 - options.percentile / 100);
      r.max = quantile(p.reservoir, options.percentile / 100);
    } else {
      r.min = p.min;
      r.max = p.max;
    }
    if (p.rowSize > 0)
      r.rowSumSquares = p.rowSumSquares;
    table.points.insert({kv.second, r});
  }
  return table;
}

//===----------------------------------------------------------------------===//
// Token-pruning thresholds
//===----------------------------------------------------------------------===//

namespace {
/// The hidden size and FFN width of the encoder, for its multiply-adds:
/// the LayerNorm after the first attention and the widest linear it feeds.
std::pair<int64_t, int64_t> encoderWidths(func::FuncOp f) {
  int64_t d = 0, dff = 0;
  f.walk([&](Operation *op) {
    if (d || !isa<iqc::iq::ILayerNormOp, iqc::iq::LayerNormOp>(op))
      return;
    // Skip the embedding LayerNorm: take one fed by an add of a linear.
    Value x = op->getOperand(0);
    auto def = x.getDefiningOp();
    if (!def || !isa<iqc::iq::IAddOp, iqc::iq::AddOp>(def))
      return;
    bool fromLinear = llvm::any_of(def->getOperands(), [](Value v) {
      return v.getDefiningOp<iqc::iq::LinearOp>() != nullptr;
    });
    if (!fromLinear)
      return;
    auto t = cast<RankedTensorType>(x.getType());
    d = t.getShape().back();
    for (Operation *u : op->getResult(0).getUsers())
      if (auto lin = dyn_cast<iqc::iq::LinearOp>(u))
        dff = std::max(dff, lin.getWeight().getType().getDimSize(1));
  });
  return {d, dff};
}

double layerMacs(double d, double dff, double nIn, double nOut) {
  return 4 * nIn * d * d + 2 * nIn * nIn * d + 2 * nOut * d * dff;
}
} // namespace

llvm::Expected<iqc::PruneCalibration>
iqc::calibratePruning(ModuleOp module, llvm::ArrayRef<CalibrationSample> samples,
                      const PruneTarget &target, const std::string &cpu) {
  if (samples.empty())
    return makeError("pruning calibration needs sample inputs");
  if (!(target.value > 0 && target.value < 1))
    return makeError("the pruning target must be in (0, 1)");
  OwningOpRef<ModuleOp> copy = module.clone();
  FailureOr<func::FuncOp> entry = findModelEntry(*copy);
  if (failed(entry))
    return makeError("pruning calibration: the model has no entry function");
  auto [d, dff] = encoderWidths(*entry);
  if (target.kind == PruneTarget::FlopsRatio && (d <= 0 || dff <= 0))
    return makeError("pruning calibration: cannot find the encoder's hidden "
                     "and FFN widths for its FLOPs (use a keep-ratio target)");
  {
    auto pm = PassManager::on<ModuleOp>(copy->getContext());
    iq::IQPruneTokensOptions o;
    o.runtimeThresholds = true;
    o.reportKept = true;
    pm.addNestedPass<func::FuncOp>(iq::createIQPruneTokens(o));
    if (failed(pm.run(*copy)))
      return makeError("pruning calibration: iq-prune-tokens failed");
  }
  CPUPipelineOptions pipeline;
  pipeline.raise = false;
  auto jit = JITModel::compile(*copy, "iqc_prune_calibration", cpu, pipeline);
  if (!jit)
    return jit.takeError();
  const iqc_model *m = (*jit)->model();
  uint32_t nIn = m->num_inputs;
  int64_t layers = m->inputs[nIn - 1].dims[0];

  // Padded length, real lengths (from the attention mask when there is
  // one: the second input), per sample.
  struct Stats {
    double kept = 0, real = 0, macs = 0, base = 0;
    std::vector<double> perLayer;
    int64_t examples = 0;
  };
  // Each sample's inputs and the thresholds, checked and copied once;
  // measure() only rewrites the thresholds.
  std::vector<std::vector<HostTensor>> runs;
  for (const CalibrationSample &sample : samples) {
    if (sample.inputs.size() + 1 != nIn)
      return makeError("calibration sample '" + sample.source + "' has " +
                       llvm::Twine(sample.inputs.size()) + " inputs, the "
                       "model takes " + llvm::Twine(nIn - 1));
    HostTensor th;
    th.dtype = IQC_INT64;
    th.shape = {layers};
    th.data.resize(layers * 8);
    runs.push_back(sample.inputs);
    runs.back().push_back(std::move(th));
  }
  auto measure = [&](double theta) -> llvm::Expected<Stats> {
    Stats st;
    st.perLayer.assign(layers, 0);
    // The schedule theta l / N; the first layer never prunes.
    std::vector<int64_t> T(layers, 0);
    for (int64_t l = 1; l < layers; ++l)
      T[l] = iq::pruneFixedThreshold(theta * (double)l / (double)layers);
    for (auto [sample, inputs] : llvm::zip(samples, runs)) {
      std::memcpy(inputs.back().data.data(), T.data(), layers * 8);
      auto out = runModel(m, inputs);
      if (!out)
        return makeError("calibration sample '" + sample.source + "': " +
                         llvm::toString(out.takeError()));
      const HostTensor &kept = out->back();
      int64_t B = kept.shape[0];
      int64_t L = inputs[0].shape.size() > 1 ? inputs[0].shape[1] : 1;
      const int64_t *k = reinterpret_cast<const int64_t *>(kept.data.data());
      // The attention mask, when the model has one, is the second input.
      bool masked = inputs.size() > 2 && inputs[1].shape.size() == 2 &&
                    inputs[1].shape[1] == L;
      for (int64_t b = 0; b < B; ++b) {
        double length = masked ? 0 : (double)L;
        for (int64_t j = 0; masked && j < L; ++j)
          length += elementAsDouble(inputs[1], b * L + j) != 0;
        // Against the unpruned model on the unpadded tokens: what pruning
        // saves, not what dropping padding does.
        double tokensIn = length;
        for (int64_t l = 0; l < layers; ++l) {
          double n = (double)k[b * layers + l];
          st.kept += n;
          st.perLayer[l] += n;
          st.macs += layerMacs(d, dff, tokensIn, n);
          st.base += layerMacs(d, dff, length, length);
          tokensIn = n;
        }
        st.real += length * layers;
        ++st.examples;
      }
    }
    return st;
  };
  auto metric = [&](const Stats &st) {
    return target.kind == PruneTarget::KeepRatio ? st.kept / st.real
                                                 : st.macs / st.base;
  };
  // The metric falls as theta grows; bisect on [0, hi].
  double lo = 0, hi = 1;
  auto best = measure(hi);
  if (!best)
    return best.takeError();
  if (metric(*best) > target.value)
    return makeError(llvm::formatv(
        "pruning calibration: the largest final threshold (1) still keeps "
        "{0:F3} of the {1}, above the target {2} (the first layer never "
        "prunes)",
        metric(*best),
        target.kind == PruneTarget::KeepRatio ? "tokens" : "multiply-adds",
        target.value));
  for (int it = 0; it < 24; ++it) {
    double mid = 0.5 * (lo + hi);
    auto st = measure(mid);
    if (!st)
      return st.takeError();
    if (metric(*st) > target.value) {
      lo = mid;
    } else {
      hi = mid;
      best = std::move(st);
    }
  }
  PruneCalibration r;
  r.finalThreshold = hi;
  r.keepRatio = best->kept / best->real;
  r.flopsRatio = best->macs / best->base;
  for (double n : best->perLayer)
    r.keptPerLayer.push_back(n / best->examples);
  return r;
}
