//===- iqc-translate.cpp - iqc's translation driver -----------------------===//
//
// mlir-translate with iqc's translations: `--import-onnx` reads a binary
// (.onnx) or protobuf-text (.onnxtxt) ONNX model and prints the iq module.
//
//===----------------------------------------------------------------------===//

#include "iqc/Import/ONNXImporter.h"

#include "mlir/Support/LogicalResult.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  iqc::registerONNXImportTranslation();
  return mlir::failed(mlir::mlirTranslateMain(
      argc, argv,
      "iqc translation driver\n\n"
      "  iqc-translate --import-onnx model.onnx -o model.mlir\n"
      "imports an ONNX model (binary or protobuf text, auto-detected; "
      "external data is read from the model's directory). Large weights are "
      "stored as dense_resource blobs; add "
      "--mlir-elide-resource-strings-if-larger=N to omit them from the "
      "printed IR.\n")) ? 1 : 0;
}
