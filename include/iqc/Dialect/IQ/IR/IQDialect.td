//===- IQDialect.td - The iq dialect -----------------------*- tablegen -*-===//
//
// The `iq` dialect holds the arithmetic of Transformer and Squeezeformer
// encoders that quantization rewrites (matmul/linear, broadcasting
// elementwise ops, gelu, softmax, layer_norm, conv, ...). Pure data movement
// uses upstream `tensor`/`linalg` ops instead.
//
//===----------------------------------------------------------------------===//

#ifndef IQC_DIALECT_IQ_IR_IQDIALECT_TD
#define IQC_DIALECT_IQ_IR_IQDIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/EnumAttr.td"

def IQ_Dialect : Dialect {
  let name = "iq";
  let cppNamespace = "::iqc::iq";
  let summary = "Integer-quantizable tensor ops of Transformer/ASR encoders";
  let description = [{
    The `iq` dialect is the core IR of iqc. The ONNX importer produces `iq`
    ops on floating-point tensors; raising passes turn decomposed patterns
    into semantic ops (`iq.linear`, `iq.gelu`, `iq.layer_norm`, `iq.swish`);
    quantization later rewrites them into integer-only ops on
    `!quant.uniform` tensors.

    Conventions:
    * All operands and results are ranked tensors; any dimension may be
      dynamic (`?`), in particular batch and sequence length.
    * Elementwise binary ops use numpy/ONNX multidirectional broadcasting;
      the result type is the broadcast shape and is inferred.
    * Axes attributes are stored normalized (non-negative).
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::quant::QuantDialect"
  ];
  let useDefaultAttributePrinterParser = 1;
  let usePropertiesForAttributes = 1;
}

class IQ_Op<string mnemonic, list<Trait> traits = []>
    : Op<IQ_Dialect, mnemonic, traits>;

def IQ_CmpPredicate : I32EnumAttr<"CmpPredicate", "comparison predicate", [
    I32EnumAttrCase<"eq", 0>,
    I32EnumAttrCase<"lt", 1>,
    I32EnumAttrCase<"le", 2>,
    I32EnumAttrCase<"gt", 3>,
    I32EnumAttrCase<"ge", 4>
  ]> {
  let cppNamespace = "::iqc::iq";
  let genSpecializedAttr = 0;
}
def IQ_CmpPredicateAttr : EnumAttr<IQ_Dialect, IQ_CmpPredicate, "cmp_predicate">;

#endif // IQC_DIALECT_IQ_IR_IQDIALECT_TD
