//===- Quantize.cpp - Integer-only compilation driver ---------------------===//

#include "iqc/Target/Quantize.h"

#include "iqc/Dialect/IQ/Transforms/Passes.h"
#include "iqc/Dialect/IQ/Transforms/QuantPoints.h"
#include "iqc/Target/ModelABI.h"
#include "iqc/Quant/Ranges.h"
#include "iqc/Target/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;

static llvm::cl::OptionCategory quantizeCategory("Quantization options");

static llvm::cl::opt<std::string> quantizeMode(
    "quantize",
    llvm::cl::desc("Integer-only compilation: 'int8' (int8 weights and "
                   "activations, I-BERT integer GELU/softmax/LayerNorm; needs "
                   "--calibrate or --ranges) or 'none' (float, the default)"),
    llvm::cl::value_desc("int8|none"), llvm::cl::init(""),
    llvm::cl::cat(quantizeCategory));

static llvm::cl::list<std::string> calibrationData(
    "calibrate",
    llvm::cl::desc("Calibrate on sample inputs: a directory of "
                   "input_<i>.npy/.pb files (one run, possibly a batch), or "
                   "of such directories (repeatable)"),
    llvm::cl::value_desc("dir"), llvm::cl::cat(quantizeCategory));

static llvm::cl::opt<std::string> calibrationMethod(
    "calibration-method",
    llvm::cl::desc("Range of each activation: 'minmax' (observed, default) "
                   "or 'percentile' (clips outliers, see --percentile)"),
    llvm::cl::init("minmax"), llvm::cl::cat(quantizeCategory));

static llvm::cl::opt<double> calibrationPercentile(
    "percentile",
    llvm::cl::desc("Percentile for --calibration-method=percentile "
                   "(default 99.99)"),
    llvm::cl::init(99.99), llvm::cl::cat(quantizeCategory));

static llvm::cl::opt<std::string> rangesFile(
    "ranges",
    llvm::cl::desc("Use activation ranges from this JSON file (written by "
                   "--write-ranges) instead of calibrating"),
    llvm::cl::value_desc("file.json"), llvm::cl::cat(quantizeCategory));

static llvm::cl::opt<std::string> writeRangesFile(
    "write-ranges",
    llvm::cl::desc("Save the activation ranges used to this JSON file"),
    llvm::cl::value_desc("file.json"), llvm::cl::cat(quantizeCategory));

static llvm::cl::opt<std::string> softmaxRounding(
    "softmax-rounding",
    llvm::cl::desc("Integer softmax's last division: 'nearest' (default; "
                   "each row sums to about 1) or 'floor' (I-BERT; a row of "
                   "L keys sums to [1 - L/256, 1])"),
    llvm::cl::init("nearest"), llvm::cl::cat(quantizeCategory));

static llvm::cl::list<double> pruneThresholds(
    "prune-thresholds",
    llvm::cl::desc("Learned token pruning with one threshold per encoder "
                   "layer (0 keeps every token of that layer)"),
    llvm::cl::CommaSeparated, llvm::cl::value_desc("t0,t1,..."),
    llvm::cl::cat(quantizeCategory));

static llvm::cl::opt<double> pruneFinalThreshold(
    "prune-final-threshold",
    llvm::cl::desc("Learned token pruning with thresholds theta * l / N for "
                   "layer l of N (layer 0 never prunes)"),
    llvm::cl::init(0.0), llvm::cl::cat(quantizeCategory));

static llvm::cl::opt<bool> pruneReport(
    "prune-report",
    llvm::cl::desc("Add an output kept_tokens [batch, layers] with the "
                   "tokens each example keeps after each layer"),
    llvm::cl::cat(quantizeCategory));

static llvm::cl::opt<double> pruneTargetKeep(
    "prune-target-keep",
    llvm::cl::desc("Calibrate --prune-final-threshold so that this fraction "
                   "of the tokens (summed over layers) is kept on sample "
                   "inputs (--prune-calibrate)"),
    llvm::cl::init(0.0), llvm::cl::cat(quantizeCategory));

static llvm::cl::opt<double> pruneTargetFlops(
    "prune-target-flops",
    llvm::cl::desc("Calibrate --prune-final-threshold so that this fraction "
                   "of the encoder's multiply-adds is left (0.5: 2x fewer) "
                   "on sample inputs"),
    llvm::cl::init(0.0), llvm::cl::cat(quantizeCategory));

static llvm::cl::list<std::string> pruneCalibration(
    "prune-calibrate",
    llvm::cl::desc("Sample inputs for the pruning target (default: the "
                   "--calibrate data), laid out as for --calibrate"),
    llvm::cl::value_desc("dir"), llvm::cl::cat(quantizeCategory));

llvm::cl::OptionCategory &iqc::getQuantizeOptionCategory() {
  return quantizeCategory;
}

void iqc::registerQuantizeCLOptions() {
  (void)quantizeMode;
  (void)calibrationData;
  (void)calibrationMethod;
  (void)calibrationPercentile;
  (void)rangesFile;
  (void)writeRangesFile;
  (void)softmaxRounding;
  (void)pruneThresholds;
  (void)pruneFinalThreshold;
  (void)pruneReport;
  (void)pruneTargetKeep;
  (void)pruneTargetFlops;
  (void)pruneCalibration;
}

iqc::QuantizeOptions iqc::getQuantizeOptionsFromCL() {
  QuantizeOptions o;
  o.mode = quantizeMode;
  o.rangesFile = rangesFile;
  o.calibrationData.assign(calibrationData.begin(), calibrationData.end());
  o.calibration.method = calibrationMethod;
  o.calibration.percentile = calibrationPercentile;
  o.writeRanges = writeRangesFile;
  o.softmaxRounding = softmaxRounding;
  o.prune.thresholds.assign(pruneThresholds.begin(), pruneThresholds.end());
  o.prune.finalThreshold = pruneFinalThreshold;
  o.prune.reportKept = pruneReport;
  if (pruneTargetKeep.getNumOccurrences())
    o.prune.target = PruneTarget{PruneTarget::KeepRatio, pruneTargetKeep};
  if (pruneTargetFlops.getNumOccurrences())
    o.prune.target = PruneTarget{PruneTarget::FlopsRatio, pruneTargetFlops};
  o.prune.conflictingTargets = pruneTargetKeep.getNumOccurrences() &&
                               pruneTargetFlops.getNumOccurrences();
  o.prune.calibrationData.assign(pruneCalibration.begin(),
                                 pruneCalibration.end());
  return o;
}

static LogicalResult fail(const llvm::Twine &msg) {
  llvm::errs() << "error: " << msg << "\n";
  return failure();
}

/// Runs the passes `build` adds on `module`, with the pass manager options
/// of the command line (--mlir-print-ir-*, --mlir-timing, ...).
static LogicalResult runPasses(ModuleOp module,
                               llvm::function_ref<void(OpPassManager &)> build) {
  auto pm = PassManager::on<ModuleOp>(module.getContext());
  if (failed(applyPassManagerCLOptions(pm)))
    return failure();
  build(pm);
  return pm.run(module);
}

/// iq-prune-tokens with `options`.
static std::unique_ptr<Pass> prunePass(const iqc::PruneOptions &options) {
  iqc::iq::IQPruneTokensOptions o;
  o.thresholds.assign(options.thresholds.begin(), options.thresholds.end());
  o.finalThreshold = options.finalThreshold;
  o.reportKept = options.reportKept;
  return iqc::iq::createIQPruneTokens(o);
}

/// Runs iq-prune-tokens with `options` on `module` (raised, float or
/// integer), first calibrating its final threshold when there is a target,
/// on options.calibrationData or else `defaultSamples` (the --calibrate
/// data, already read).
static LogicalResult
prune(ModuleOp module, iqc::PruneOptions options,
      llvm::ArrayRef<iqc::CalibrationSample> defaultSamples) {
  if (options.conflictingTargets)
    return fail("--prune-target-keep and --prune-target-flops are exclusive");
  if (!options.calibrationData.empty() && !options.target)
    return fail("--prune-calibrate without a pruning target "
                "(--prune-target-keep or --prune-target-flops)");
  if (options.target) {
    if (!(options.target->value > 0 && options.target->value < 1))
      return fail(llvm::formatv(
          "--prune-target-{0} must be in (0, 1), not {1}",
          options.target->kind == iqc::PruneTarget::KeepRatio ? "keep"
                                                              : "flops",
          options.target->value));
    if (!options.thresholds.empty() || options.finalThreshold != 0)
      return fail("a pruning target calibrates the threshold: drop "
                  "--prune-thresholds / --prune-final-threshold");
    llvm::ArrayRef<iqc::CalibrationSample> samples = defaultSamples;
    std::vector<iqc::CalibrationSample> own; // --prune-calibrate
    if (!options.calibrationData.empty()) {
      auto read = iqc::readCalibrationSamples(options.calibrationData);
      if (!read)
        return fail(llvm::toString(read.takeError()));
      own = std::move(*read);
      samples = own;
    }
    if (samples.empty())
      return fail("a pruning target needs sample inputs: --prune-calibrate "
                  "<dir> (or --calibrate)");
    auto c = iqc::calibratePruning(module, samples, *options.target);
    if (!c)
      return fail(llvm::toString(c.takeError()));
    std::string perLayer;
    for (double n : c->keptPerLayer)
      perLayer += llvm::formatv("{0}{1:F1}", perLayer.empty() ? "" : ", ", n);
    llvm::errs() << llvm::formatv(
        "iqc: token pruning: final threshold {0} keeps {1:F3} of the "
        "tokens and {2:F3} of the multiply-adds on the samples (tokens per "
        "example after each layer: {3})\n",
        llvm::format("%.9g", c->finalThreshold), c->keepRatio, c->flopsRatio, perLayer);
    options.finalThreshold = c->finalThreshold;
    options.target.reset();
  }
  return runPasses(module, [&](OpPassManager &pm) {
    pm.addNestedPass<func::FuncOp>(prunePass(options));
  });
}

LogicalResult iqc::quantizeModel(ModuleOp module,
                                 const QuantizeOptions &options) {
  const PruneOptions &prune = options.prune;
  if (!prune.thresholds.empty() && prune.finalThreshold != 0)
    return fail("--prune-thresholds and --prune-final-threshold are "
                "exclusive");
  if (!options.enabled()) {
    if (!options.rangesFile.empty() || !options.calibrationData.empty())
      return fail("--calibrate and --ranges need --quantize=int8");
    if (!prune.enabled())
      return success();
    // Token pruning on the float model (there is no --calibrate data here).
    if (failed(runPasses(module, iq::buildRaisePipeline)))
      return failure();
    return ::prune(module, prune, {});
  }
  if (options.mode != "int8")
    return fail("unknown --quantize mode '" + options.mode +
                "' (int8 or none)");
  if (options.softmaxRounding != "nearest" && options.softmaxRounding != "floor")
    return fail("--softmax-rounding must be nearest or floor, not '" +
                options.softmaxRounding + "'");
  if (options.calibration.method != "minmax" &&
      options.calibration.method != "percentile")
    return fail("unknown --calibration-method '" + options.calibration.method +
                "' (minmax or percentile)");
  if (!options.rangesFile.empty() && !options.calibrationData.empty())
    return fail("--calibrate and --ranges are exclusive: calibrate, or use "
                "a ranges file");

  // A QDQ model carries its own activation ranges.
  FailureOr<func::FuncOp> entry = findModelEntry(module);
  if (failed(entry))
    return failure();
  quant::RangeTable qdq;
  unsigned pairs = iq::stripQDQ(*entry, qdq);
  if (!pairs && options.rangesFile.empty() && options.calibrationData.empty())
    return fail("--quantize=int8 needs activation ranges: --calibrate <dir> "
                "(sample inputs) or --ranges <file.json> (the model has no "
                "QuantizeLinear/DequantizeLinear pairs to take them from)");

  if (failed(runPasses(module, iq::buildRaisePipeline)))
    return failure();

  std::shared_ptr<quant::RangeTable> ranges;
  std::vector<CalibrationSample> samples; // --calibrate, for pruning too
  if (options.rangesFile.empty() && options.calibrationData.empty()) {
    ranges = std::make_shared<quant::RangeTable>(qdq);
  } else if (!options.rangesFile.empty()) {
    auto t = quant::readRangeTable(options.rangesFile);
    if (!t)
      return fail(llvm::toString(t.takeError()));
    ranges = std::make_shared<quant::RangeTable>(std::move(*t));
  } else {
    auto read = readCalibrationSamples(options.calibrationData);
    if (!read)
      return fail(llvm::toString(read.takeError()));
    samples = std::move(*read);
    auto t = calibrate(module, samples, options.calibration);
    if (!t)
      return fail(llvm::toString(t.takeError()));
    ranges = std::make_shared<quant::RangeTable>(std::move(*t));
  }
  // The model's own QDQ ranges take precedence over calibrated ones.
  if (pairs && ranges->method != "qdq") {
    for (auto &[name, r] : qdq.points) {
      std::optional<double> rss;
      if (const quant::ActivationRange *old = ranges->lookup(name))
        rss = old->rowSumSquares;
      ranges->points[name] = {r.min, r.max, rss};
    }
    ranges->method += "+qdq";
  }
  if (!options.writeRanges.empty()) {
    std::string error;
    auto out = openOutputFile(options.writeRanges, &error);
    if (!out)
      return fail(error);
    quant::writeRangeTable(out->os(), *ranges);
    out->keep();
  }

  if (failed(runPasses(module, [&](OpPassManager &pm) {
        buildIntegerPipeline(pm, ranges, options.shiftMargin,
                             options.softmaxRounding);
      })))
    return failure();
  if (!prune.enabled())
    return success();
  if (failed(::prune(module, prune, samples)))
    return failure();
  auto vpm = PassManager::on<ModuleOp>(module.getContext());
  vpm.addNestedPass<func::FuncOp>(iq::createIQVerifyIntegerOnly());
  return vpm.run(module);
}
