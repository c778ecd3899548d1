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
config.excludes = ["Inputs", "CMakeLists.txt", "README.md", "lit.cfg.py",
                   "lit.site.cfg.py", "unit", "capi_test.c",
                   "runtime.test.py", "intref.test.py",
                   "requant.test.py", "igelu.test.py",
                   "isoftmax.test.py", "ilayernorm.test.py",
                   "isigmoid.test.py", "quant-constants.test.py"]
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

# Models exported with PyTorch need Debian's python3-torch.
try:
    import subprocess
    subprocess.check_call([config.python_executable, "-c", "import torch, onnx"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    config.available_features.add("torch")
except Exception:
    pass

# scikit-learn ships the digits dataset the trained classifiers use.
try:
    subprocess.check_call([config.python_executable, "-c", "import sklearn"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    config.available_features.add("sklearn")
except Exception:
    pass

# ONNX Runtime (npm onnxruntime-node, installed by scripts/install-ort.sh).
ort_dir = os.path.join(config.iqc_src_root, "build-ort", "node_modules",
                       "onnxruntime-node")
if os.path.isdir(ort_dir) and lit.util.which("node"):
    config.available_features.add("ort")
    config.substitutions.append(
        ("%ort_run", "node " + os.path.join(config.iqc_src_root, "tools",
                                            "ort-run", "ort-run.mjs")))
