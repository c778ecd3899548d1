# lit configuration for iqc: FileCheck tests of the tools (Dialect/,
# Import/, Transforms/, Models/) and the GoogleTest unit tests (unit/).
import os

import lit.formats
import lit.util
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "iqc"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".onnxtxt", ".test"]
# Helper scripts (<name>.test.py, *.c) have no test suffix, so they need no
# entry here.
config.excludes = ["Inputs", "CMakeLists.txt", "README.md", "lit.cfg.py",
                   "lit.site.cfg.py", "unit"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.iqc_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%iqc_src", config.iqc_src_root))
config.substitutions.append(("%iqc_bin", config.iqc_tools_dir))
config.substitutions.append(("%iqc_obj", config.iqc_obj_root))
config.environment["PYTHONPATH"] = os.path.join(config.iqc_src_root, "python")

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(["not", "count", "split-file"], [config.llvm_tools_dir])

# iqc's own tools must come from the build tree, never from PATH.
tool_dirs = [config.iqc_tools_dir, config.llvm_tools_dir]
llvm_config.add_tool_substitutions(
    [ToolSubst("iqc-opt", unresolved="fatal"),
     ToolSubst("iqc-translate", unresolved="fatal"),
     ToolSubst("iqc-compile", unresolved="fatal"),
     ToolSubst("iqc-run", unresolved="fatal")], tool_dirs)

def python_has(modules):
    """Whether the test Python (Debian's) can import `modules`."""
    import subprocess
    return subprocess.call([config.python_executable, "-c", "import " + modules],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0


# Models exported with PyTorch need Debian's python3-torch; the trained
# classifiers need scikit-learn's bundled digits.
for feature, modules in (("torch", "torch, onnx"), ("sklearn", "sklearn")):
    if python_has(modules):
        config.available_features.add(feature)

# Tests that run AVX-512 VNNI code (the int8 micro-kernel) on this CPU.
try:
    with open("/proc/cpuinfo") as f:
        flags = f.read()
    if "avx512_vnni" in flags and "avx512bw" in flags:
        config.available_features.add("avx512vnni")
except OSError:
    pass

# Debian's word lists (the language-identification classifier's data).
if all(os.path.exists(os.path.join("/usr/share/dict", n)) for n in
       ("american-english", "ngerman", "french", "italian", "spanish",
        "portuguese", "dutch", "swedish")):
    config.available_features.add("wordlists")

# ONNX Runtime (npm onnxruntime-node, installed by scripts/install-ort.sh).
ort_dir = os.path.join(config.iqc_src_root, "build-ort", "node_modules",
                       "onnxruntime-node")
if os.path.isdir(ort_dir) and lit.util.which("node"):
    config.available_features.add("ort")
    config.substitutions.append(
        ("%ort_run", "node " + os.path.join(config.iqc_src_root, "tools",
                                            "ort-run", "ort-run.mjs")))
