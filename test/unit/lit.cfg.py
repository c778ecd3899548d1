# Runs the GoogleTest unit tests (IQCUnitTests) as lit tests.
import lit.formats

config.name = "iqc-unit"
config.suffixes = []
config.test_source_root = config.unit_test_dir
config.test_exec_root = config.unit_test_dir
config.test_format = lit.formats.GoogleTest(".", "Tests")
