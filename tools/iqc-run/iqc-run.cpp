//===- iqc-run.cpp - Run, check and benchmark compiled models -------------===//
//
//   iqc-run model.so -i ids.npy -i mask.npy --output-dir out/
//   iqc-run model.onnx --test-dir test_data_set_0        (JIT, compare)
//   iqc-run model.so --random --dim sequence=128 --bench 20 --threads 2
//
// A `.so` from iqc-compile is loaded with dlopen; `.onnx`, `.onnxtxt` and
// `.mlir` models are compiled in process through the same pipeline and run
// with MLIR's ExecutionEngine.
//
//===----------------------------------------------------------------------===//

#include "iqc/Runtime/iqc_runtime.h"
#include "iqc/Target/Compiler.h"
#include "iqc/Target/JIT.h"
#include "iqc/Target/Quantize.h"
#include "iqc/Tools/TensorIO.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <chrono>
#include <dlfcn.h>
#include <map>
#include <random>
#include <thread>

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory category("iqc-run options");
static cl::opt<std::string>
    modelPath(cl::Positional,
              cl::desc("<model.so | model.onnx | model.onnxtxt | model.mlir>"),
              cl::Required, cl::cat(category));
static cl::list<std::string>
    inputFiles("i",
               cl::desc("Input tensor file (.npy or .pb), one per model "
                        "input, in order"),
               cl::value_desc("file"), cl::cat(category));
static cl::list<std::string>
    expectedFiles("expected",
                  cl::desc("Expected output file (.npy or .pb), in order"),
                  cl::value_desc("file"), cl::cat(category));
static cl::list<std::string> testDirs(
    "test-dir",
    cl::desc("Test data directory: reads input_<i>.pb|.npy and compares "
             "with output_<i>.pb|.npy (ONNX backend test layout; repeatable, "
             "each is one run)"),
    cl::value_desc("dir"), cl::cat(category));
static cl::opt<std::string>
    outputDir("output-dir",
              cl::desc("Write each output to <dir>/<output name>.npy"),
              cl::value_desc("dir"), cl::cat(category));
static cl::opt<double> absTol("atol", cl::desc("Absolute tolerance (1e-5)"),
                              cl::init(1e-5), cl::cat(category));
static cl::opt<double> relTol("rtol", cl::desc("Relative tolerance (1e-4)"),
                              cl::init(1e-4), cl::cat(category));
static cl::opt<bool> randomInputs(
    "random",
    cl::desc("Generate inputs: token ids uniform in their accepted range, "
             "other integers and bools 1, floats uniform in [-1, 1]"),
    cl::cat(category));
static cl::list<std::string>
    dimValues("dim",
              cl::desc("Size of a named dynamic dim for --random (name=value; "
                       "unnamed or unset dynamic dims are 1)"),
              cl::value_desc("name=value"), cl::cat(category));
static cl::opt<unsigned> seed("seed", cl::desc("Seed for --random"),
                              cl::init(0), cl::cat(category));
static cl::opt<unsigned> bench("bench",
                               cl::desc("Time this many runs (per thread)"),
                               cl::init(0), cl::cat(category));
static cl::opt<unsigned> warmup("warmup",
                                cl::desc("Untimed runs before --bench (3)"),
                                cl::init(3), cl::cat(category));
static cl::opt<std::string>
    entryName("name",
              cl::desc("Symbol prefix of the model (default: for .so, "
                       "iqc_default_model; for JIT, the file stem)"),
              cl::cat(category));
static cl::opt<bool> quiet("q", cl::desc("Print only errors and summaries"),
                           cl::cat(category));
static cl::opt<std::string> mcpu("mcpu",
                                 cl::desc("JIT target CPU (default: native)"),
                                 cl::init("native"), cl::cat(category));

static constexpr const char *threadsHelp =
    "Run --bench on this many threads at once, all calling the same loaded "
    "model; each thread's outputs are checked bit-exactly against the first "
    "run (default 1)";

/// libLLVM already registers an (undocumented) int option named "threads",
/// so iqc-run adopts it instead of registering a clashing one.
static cl::opt<int> &threadsOption() {
  auto &options = cl::getRegisteredOptions();
  auto it = options.find("threads");
  cl::opt<int> *opt;
  if (it != options.end())
    opt = static_cast<cl::opt<int> *>(it->second);
  else
    opt = new cl::opt<int>("threads", cl::init(1));
  opt->setDescription(threadsHelp);
  opt->addCategory(category);
  return *opt;
}

static int fail(const llvm::Twine &msg) {
  llvm::errs() << "iqc-run: error: " << msg << "\n";
  return 1;
}

/// Keeps whatever backs the model (dlopen handle or JIT) alive.
struct LoadedModel {
  const iqc_model *model = nullptr;
  void *handle = nullptr;
  std::unique_ptr<MLIRContext> context;
  std::unique_ptr<iqc::JITModel> jit;
  ~LoadedModel() {
    jit.reset();
    if (handle)
      dlclose(handle);
  }
};

static llvm::Error loadShared(LoadedModel &lm, StringRef path) {
  std::string p = path.str();
  if (!llvm::sys::path::has_parent_path(p))
    p = "./" + p;
  lm.handle = dlopen(p.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lm.handle)
    return llvm::createStringError(llvm::inconvertibleErrorCode(), dlerror());
  std::string sym =
      entryName.empty() ? "iqc_default_model" : entryName + "_model";
  auto getter = reinterpret_cast<const iqc_model *(*)(void)>(
      dlsym(lm.handle, sym.c_str()));
  if (!getter)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "'" + path + "' does not export " + sym +
                                       "() (not built by iqc-compile?)");
  lm.model = getter();
  return llvm::Error::success();
}

static llvm::Error loadJIT(LoadedModel &lm, StringRef path) {
  DialectRegistry registry;
  iqc::registerCompilerDialects(registry);
  lm.context = std::make_unique<MLIRContext>(registry);
  auto diagnostics = iqc::installDiagnosticPrinter(*lm.context);
  OwningOpRef<ModuleOp> module =
      iqc::loadModel(path, *lm.context, iqc::getImportOptionsFromCL());
  if (!module)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot load '" + path + "'");
  iqc::QuantizeOptions quantize = iqc::getQuantizeOptionsFromCL();
  if (failed(iqc::quantizeModel(*module, quantize)))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "quantizing '" + path + "' failed");
  std::string prefix =
      entryName.empty() ? iqc::defaultModelName(path) : entryName.getValue();
  iqc::CPUPipelineOptions pipeline;
  pipeline.raise = !quantize.raisesModel();
  auto jit = iqc::JITModel::compile(*module, prefix, mcpu, pipeline);
  if (!jit)
    return jit.takeError();
  lm.jit = std::move(*jit);
  lm.model = lm.jit->model();
  return llvm::Error::success();
}

static llvm::Expected<std::vector<iqc::HostTensor>>
randomInputsFor(const iqc_model *m) {
  std::map<std::string, int64_t> dims;
  for (const std::string &kv : dimValues) {
    auto [k, v] = StringRef(kv).split('=');
    int64_t n;
    if (v.empty() || !llvm::to_integer(v, n, 10) || n < 0)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "bad --dim '" + kv + "' (want name=N)");
    dims[k.str()] = n;
  }
  std::mt19937_64 rng(seed);
  std::vector<iqc::HostTensor> out;
  for (uint32_t i = 0; i < m->num_inputs; ++i) {
    const iqc_tensor_info &info = m->inputs[i];
    iqc::HostTensor t;
    t.dtype = info.dtype;
    t.name = info.name;
    for (int32_t d = 0; d < info.rank; ++d) {
      int64_t size = info.dims[d];
      if (size < 0) {
        const char *dn = info.dim_names ? info.dim_names[d] : nullptr;
        auto it = dn ? dims.find(dn) : dims.end();
        size = it == dims.end() ? 1 : it->second;
      }
      t.shape.push_back(size);
    }
    int64_t n = t.numElements();
    size_t es = iqc_dtype_size(t.dtype);
    t.data.resize(n * es);
    for (int64_t k = 0; k < n; ++k) {
      uint8_t *p = t.data.data() + k * es;
      if (t.dtype == IQC_FLOAT32) {
        float v = std::uniform_real_distribution<float>(-1, 1)(rng);
        memcpy(p, &v, 4);
      } else if (t.dtype == IQC_FLOAT64) {
        double v = std::uniform_real_distribution<double>(-1, 1)(rng);
        memcpy(p, &v, 8);
      } else {
        int64_t v = 1;
        if (info.has_range)
          v = std::uniform_int_distribution<int64_t>(
              std::max<int64_t>(0, info.min_value), info.max_value)(rng);
        memcpy(p, &v, es); // little-endian truncation
      }
    }
    out.push_back(std::move(t));
  }
  return out;
}

static void printSummary(const iqc::HostTensor &t) {
  llvm::outs() << "  " << t.name << ": " << iqc::describeTensor(t);
  int64_t n = t.numElements();
  llvm::outs() << " = [";
  for (int64_t i = 0; i < std::min<int64_t>(n, 6); ++i)
    llvm::outs() << (i ? ", " : "")
                 << llvm::format("%.6g", iqc::elementAsDouble(t, i));
  llvm::outs() << (n > 6 ? ", ...]\n" : "]\n");
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  iqc::registerCompilerCLOptions();
  cl::opt<int> &threads = threadsOption();
  iqc::hideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "iqc-run: run a model compiled by iqc (or JIT-compile an ONNX model), "
      "compare its outputs and benchmark it\n\n"
      "  iqc-run model.so -i input_ids.npy -i attention_mask.npy\n"
      "  iqc-run model.onnx --test-dir test_data_set_0\n"
      "  iqc-run model.so --random --dim batch=1 --dim sequence=128 --bench "
      "20\n\n"
      "Exit status: 0 success, 1 error or mismatch.\n");

  LoadedModel lm;
  StringRef ext = llvm::sys::path::extension(modelPath);
  llvm::Error loadErr =
      ext == ".so" ? loadShared(lm, modelPath) : loadJIT(lm, modelPath);
  if (loadErr)
    return fail(llvm::toString(std::move(loadErr)));
  const iqc_model *m = lm.model;

  // Each case is one run: inputs and (optionally) expected outputs.
  struct Case {
    std::string label;
    std::vector<std::string> inPaths, expPaths;
  };
  std::vector<Case> cases;
  if (!inputFiles.empty() || randomInputs || testDirs.empty())
    cases.push_back({"",
                     {inputFiles.begin(), inputFiles.end()},
                     {expectedFiles.begin(), expectedFiles.end()}});
  for (const std::string &dir : testDirs) {
    Case c{dir, {}, {}};
    c.inPaths = iqc::testDataFiles(dir, "input");
    c.expPaths = iqc::testDataFiles(dir, "output");
    cases.push_back(std::move(c));
  }

  // Inputs bound at compile time (--bind-input) are not passed again.
  llvm::StringSet<> bound;
  for (const auto &b : iqc::getImportOptionsFromCL().boundInputs)
    bound.insert(b.first);

  int rc = 0;
  // The first case's inputs and outputs are kept for --bench.
  std::vector<iqc::HostTensor> inputs, results;
  for (size_t ci = 0; ci < cases.size(); ++ci) {
    const Case &c = cases[ci];
    std::vector<iqc::HostTensor> caseInputs, expected;
    if (randomInputs && ci == 0) {
      auto r = randomInputsFor(m);
      if (!r)
        return fail(llvm::toString(r.takeError()));
      caseInputs = std::move(*r);
    }
    for (const std::string &p : c.inPaths) {
      auto t = iqc::readTensorFile(p);
      if (!t)
        return fail(llvm::toString(t.takeError()));
      if (!t->name.empty() && bound.contains(t->name))
        continue;
      caseInputs.push_back(std::move(*t));
    }
    for (const std::string &p : c.expPaths) {
      auto t = iqc::readTensorFile(p);
      if (!t)
        return fail(llvm::toString(t.takeError()));
      expected.push_back(std::move(*t));
    }
    if (caseInputs.size() != m->num_inputs) {
      std::string names;
      for (uint32_t i = 0; i < m->num_inputs; ++i)
        names += (i ? ", " : "") + std::string(m->inputs[i].name);
      return fail("model '" + llvm::Twine(m->name) + "' takes " +
                  llvm::Twine(m->num_inputs) + " inputs (" + names + "), got " +
                  llvm::Twine(caseInputs.size()) +
                  " (use -i, --test-dir or --random)");
    }
    for (uint32_t i = 0; i < m->num_inputs; ++i)
      caseInputs[i].name = m->inputs[i].name;

    auto run = iqc::runModel(m, caseInputs);
    if (!run)
      return fail(llvm::toString(run.takeError()));
    std::vector<iqc::HostTensor> caseResults = std::move(*run);

    if (!quiet) {
      llvm::outs() << "model '" << m->name << "'"
                   << (c.label.empty() ? "" : " on " + c.label) << ": "
                   << m->num_inputs << " inputs, " << m->num_outputs
                   << " outputs\n";
      for (auto &t : caseResults)
        printSummary(t);
    }
    if (!outputDir.empty() && ci == 0) {
      llvm::sys::fs::create_directories(outputDir);
      for (auto &t : caseResults)
        if (auto e = iqc::writeNpy(
                outputDir + "/" + iqc::symbolPrefix(t.name) + ".npy", t))
          return fail(llvm::toString(std::move(e)));
    }
    if (!expected.empty()) {
      if (expected.size() != caseResults.size())
        return fail("model has " + llvm::Twine(caseResults.size()) +
                    " outputs but " + llvm::Twine(expected.size()) +
                    " expected tensors were given");
      for (size_t i = 0; i < caseResults.size(); ++i) {
        auto r =
            iqc::compareTensors(caseResults[i], expected[i], absTol, relTol);
        llvm::outs() << (r.ok ? "PASS" : "FAIL") << " output '"
                     << caseResults[i].name << "'"
                     << (c.label.empty() ? "" : " on " + c.label);
        if (!r.message.empty())
          llvm::outs() << ": " << r.message << "\n";
        else
          llvm::outs() << llvm::format(": max abs err %.3g, max rel err %.3g",
                                       r.maxAbsError, r.maxRelError)
                       << (r.ok ? ""
                                : llvm::formatv(", {0} mismatches (first at "
                                                "flat index {1})",
                                                r.mismatches, r.firstMismatch)
                                      .str())
                       << "\n";
        if (!r.ok)
          rc = 1;
      }
    }
    if (ci == 0) {
      inputs = std::move(caseInputs);
      results = std::move(caseResults);
    }
  }
  std::vector<iqc_tensor> in;
  for (auto &t : inputs)
    in.push_back(iqc::tensorView(t));

  if (bench > 0) {
    unsigned nt = std::max(1, threads.getValue());
    std::vector<std::vector<double>> times(nt);
    std::vector<std::string> errors(nt);
    auto worker = [&](unsigned tid) {
      std::vector<iqc_tensor> o(m->num_outputs);
      iqc_error e;
      for (unsigned it = 0; it < warmup + bench; ++it) {
        auto t0 = std::chrono::steady_clock::now();
        iqc_status s =
            iqc_model_run(m, in.data(), in.size(), o.data(), o.size(), &e);
        auto t1 = std::chrono::steady_clock::now();
        if (s != IQC_OK) {
          errors[tid] = e.message;
          return;
        }
        for (uint32_t k = 0; k < m->num_outputs; ++k) {
          size_t bytes = results[k].data.size();
          if (errors[tid].empty() &&
              (bytes && memcmp(o[k].data, results[k].data.data(), bytes) != 0))
            errors[tid] =
                "output '" + results[k].name + "' differs from the first run";
          iqc_tensor_free(&o[k]);
        }
        if (it >= warmup)
          times[tid].push_back(
              std::chrono::duration<double, std::milli>(t1 - t0).count());
      }
    };
    auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < nt; ++t)
      pool.emplace_back(worker, t);
    for (auto &t : pool)
      t.join();
    double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    std::vector<double> all;
    for (unsigned t = 0; t < nt; ++t) {
      if (!errors[t].empty())
        return fail("thread " + llvm::Twine(t) + ": " + errors[t]);
      all.insert(all.end(), times[t].begin(), times[t].end());
    }
    std::sort(all.begin(), all.end());
    double mean = 0;
    for (double t : all)
      mean += t;
    mean /= all.size();
    llvm::outs() << llvm::format(
        "latency over %zu runs on %u thread(s): median %.3f ms, min %.3f ms, "
        "mean %.3f ms; throughput %.1f runs/s\n",
        all.size(), nt, all[all.size() / 2], all.front(), mean,
        (double)nt * (warmup + bench) / wall);
  }
  return rc;
}
