//===- IQOps.td - Operations of the iq dialect -------------*- tablegen -*-===//
//
// Every op has a verifier and a readable assembly format. Result types are
// inferred from operands and attributes where ONNX semantics fix them, so the
// importer and the passes never compute shapes by hand.
//
//===----------------------------------------------------------------------===//

#ifndef IQC_DIALECT_IQ_IR_IQOPS_TD
#define IQC_DIALECT_IQ_IR_IQOPS_TD

include "iqc/Dialect/IQ/IR/IQDialect.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/CommonTypeConstraints.td"

def IQ_Tensor : RankedTensorOf<[AnyType]>;
def IQ_FloatTensor : RankedTensorOf<[AnyFloat]>;
def IQ_BoolTensor : RankedTensorOf<[I1]>;
def IQ_IntTensor : RankedTensorOf<[AnyInteger]>;
// Upstream `!quant.uniform` (per tensor or per axis) element types: the
// quantized form of the semantic ops, between iq-quantize and
// iq-lower-quantized.
def IQ_QuantizedElement
    : Type<CPred<"::llvm::isa<::mlir::quant::QuantizedType>($_self)">,
           "quantized type">;
def IQ_QuantTensor : RankedTensorOf<[IQ_QuantizedElement]>;
def IQ_FloatOrQuantTensor : RankedTensorOf<[AnyFloat, IQ_QuantizedElement]>;

//===----------------------------------------------------------------------===//
// Elementwise ops with broadcasting
//===----------------------------------------------------------------------===//

class IQ_BroadcastBinaryOp<string mnemonic, list<Trait> traits = []>
    : IQ_Op<mnemonic, !listconcat(traits, [Pure, InferTypeOpAdaptorWithIsCompatible])> {
  let arguments = (ins IQ_Tensor:$lhs, IQ_Tensor:$rhs);
  let results = (outs IQ_Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
  let description = [{
    Elementwise `}] # mnemonic # [{` with numpy/ONNX multidirectional
    broadcasting. Both operands have the same element type, which is also the
    result's; the result shape is the broadcast of the operand shapes.
  }];
}

def IQ_AddOp : IQ_BroadcastBinaryOp<"add", [Commutative]> {
  let summary = "broadcasting addition";
  let description = [{
    Elementwise addition with numpy/ONNX multidirectional broadcasting.
    Float and integer operands have the result's element type. Quantized
    operands (`!quant.uniform`, after iq-quantize) may each have their own
    scale and width, and so may the result: both operands are rescaled to
    the result's scale, added and saturated to its storage range (the
    residual add of I-BERT, lowered to `iq.iadd`).
  }];
}
def IQ_SubOp : IQ_BroadcastBinaryOp<"sub"> {
  let summary = "broadcasting subtraction";
}
def IQ_MulOp : IQ_BroadcastBinaryOp<"mul", [Commutative]> {
  let summary = "broadcasting multiplication";
}
def IQ_DivOp : IQ_BroadcastBinaryOp<"div"> {
  let summary = "broadcasting division (integers truncate toward zero, as ONNX)";
}
def IQ_PowOp : IQ_BroadcastBinaryOp<"pow"> {
  let summary = "broadcasting power";
}

def IQ_CmpOp : IQ_Op<"cmp", [Pure, InferTypeOpAdaptor]> {
  let summary = "broadcasting comparison producing i1";
  let description = [{
    Compares two tensors of the same element type elementwise with
    broadcasting: `eq`, `lt`, `le`, `gt`, `ge`. The result holds `i1`.
  }];
  let arguments = (ins IQ_CmpPredicateAttr:$predicate, IQ_Tensor:$lhs,
                       IQ_Tensor:$rhs);
  let results = (outs IQ_BoolTensor:$result);
  let assemblyFormat = [{
    $predicate `,` $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let hasVerifier = 1;
}

def IQ_SelectOp : IQ_Op<"select", [Pure, InferTypeOpAdaptor]> {
  let summary = "broadcasting select (ONNX Where)";
  let arguments = (ins IQ_BoolTensor:$condition, IQ_Tensor:$true_value,
                       IQ_Tensor:$false_value);
  let results = (outs IQ_Tensor:$result);
  let assemblyFormat = [{
    $condition `,` $true_value `,` $false_value attr-dict `:` type($condition)
    `,` type($true_value) `,` type($false_value) `->` type($result)
  }];
  let hasVerifier = 1;
}

class IQ_UnaryOp<string mnemonic, Type operandType, list<Trait> traits = []>
    : IQ_Op<mnemonic, !listconcat(traits, [Pure, SameOperandsAndResultType])> {
  let arguments = (ins operandType:$input);
  let results = (outs operandType:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def IQ_SqrtOp : IQ_UnaryOp<"sqrt", IQ_FloatTensor> { let summary = "square root"; }
def IQ_ErfOp : IQ_UnaryOp<"erf", IQ_FloatTensor> { let summary = "error function"; }
// Float, or quantized with a result scale of its own (the result type is
// printed after `->` only when it differs from the input's).
class IQ_QuantizableUnaryOp<string mnemonic, list<Trait> traits = []>
    : IQ_Op<mnemonic, !listconcat(traits, [Pure, SameOperandsAndResultShape])> {
  let arguments = (ins IQ_FloatOrQuantTensor:$input);
  let results = (outs IQ_FloatOrQuantTensor:$result);
  let assemblyFormat =
      "$input attr-dict `:` custom<QuantResultType>(type($input), type($result))";
  let hasVerifier = 1;
  let builders = [
    OpBuilder<(ins "::mlir::Value":$input), [{
      build($_builder, $_state, input.getType(), input);
    }]>
  ];
}

def IQ_TanhOp : IQ_QuantizableUnaryOp<"tanh"> { let summary = "hyperbolic tangent"; }
def IQ_SigmoidOp : IQ_QuantizableUnaryOp<"sigmoid"> { let summary = "logistic sigmoid 1/(1+e^-x)"; }
def IQ_ExpOp : IQ_UnaryOp<"exp", IQ_FloatTensor> { let summary = "natural exponential"; }
def IQ_ReluOp : IQ_UnaryOp<"relu", IQ_Tensor> { let summary = "max(x, 0)"; }
def IQ_AbsOp : IQ_UnaryOp<"abs", IQ_Tensor> { let summary = "absolute value"; }
def IQ_NegOp : IQ_UnaryOp<"neg", IQ_Tensor> {
  let summary = "negation";
  let hasFolder = 1;
}
def IQ_NotOp : IQ_UnaryOp<"not", IQ_BoolTensor> {
  let summary = "logical not";
  let hasFolder = 1;
}
def IQ_GeluOp : IQ_QuantizableUnaryOp<"gelu"> {
  let summary = "GELU with the exact erf form: x * (1 + erf(x / sqrt(2))) / 2";
  let description = [{
    On float tensors the exact GELU. On quantized tensors (after
    iq-quantize) the input is typically the i32 accumulator of a linear
    layer (per-channel scale) and the result an int8 tensor; it is lowered
    to I-BERT's `iq.igelu` followed by `iq.requant`.
  }];
}
def IQ_SwishOp : IQ_UnaryOp<"swish", IQ_FloatTensor> {
  let summary = "swish / SiLU: x * sigmoid(x)";
}

def IQ_CastOp : IQ_Op<"cast", [Pure]> {
  let summary = "elementwise element-type conversion (ONNX Cast)";
  let description = [{
    Converts elements between integer, float and bool types with ONNX Cast
    semantics (float to integer truncates toward zero; to bool is `x != 0`).
    The shape is unchanged.
  }];
  let arguments = (ins IQ_Tensor:$input);
  let results = (outs IQ_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Reductions and normalizations
//===----------------------------------------------------------------------===//

class IQ_ReduceOp<string mnemonic> : IQ_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
  let arguments = (ins IQ_Tensor:$input, DenseI64ArrayAttr:$axes,
                       UnitAttr:$keep_dims);
  let results = (outs IQ_Tensor:$result);
  let assemblyFormat = [{
    $input `along` $axes (`keep_dims` $keep_dims^)? attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
  let description = [{
    Reduces over the listed axes (sorted, unique, non-negative). Reduced
    dimensions are kept with size 1 when `keep_dims` is set.
  }];
}
def IQ_ReduceSumOp : IQ_ReduceOp<"reduce_sum"> { let summary = "sum over axes"; }
def IQ_ReduceMeanOp : IQ_ReduceOp<"reduce_mean"> { let summary = "mean over axes"; }

def IQ_SoftmaxOp : IQ_Op<"softmax", [Pure]> {
  let summary = "softmax along one axis";
  let description = [{
    Softmax of float logits along `axis`. The quantized form (after
    iq-quantize) takes the i32 attention logits (their scale includes the
    1/sqrt(d) factor) and yields `!quant.uniform<u8:f32, 0.00390625>`
    probabilities; it may carry the attention `mask` (i1, broadcastable to
    the input, true = keep) that replaces BERT's additive -10000 bias. A row
    with no kept position is computed unmasked, as the additive bias
    behaves. It is lowered to `iq.isoftmax` along the last axis.
  }];
  let arguments = (ins IQ_FloatOrQuantTensor:$input,
                       Optional<IQ_BoolTensor>:$mask, I64Attr:$axis);
  let results = (outs IQ_FloatOrQuantTensor:$result);
  let assemblyFormat = [{
    $input (`mask` `(` $mask^ `:` type($mask) `)`)? `axis` `=` $axis attr-dict
    `:` custom<QuantResultType>(type($input), type($result))
  }];
  let hasVerifier = 1;
  let builders = [
    OpBuilder<(ins "::mlir::Value":$input, "int64_t":$axis), [{
      build($_builder, $_state, input.getType(), input, ::mlir::Value(), axis);
    }]>
  ];
}

def IQ_LayerNormOp : IQ_Op<"layer_norm", [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "layer normalization over the trailing dimensions from `axis`";
  let description = [{
    `y = (x - mean) / sqrt(var + epsilon) * scale + bias`, with mean and
    (biased) variance over dimensions `axis ..< rank`. `scale` and `bias`
    have the shape of those trailing dimensions; `bias` is optional.

    The quantized form (after iq-quantize) normalizes a quantized input of
    at most 22 bits over the last axis into a quantized result; `scale` and
    `bias` stay float constants, folded into integer constants when it is
    lowered to `iq.ilayernorm`. `variance_shift` is the calibrated shift
    that keeps the integer variance below 2^32.
  }];
  let arguments = (ins IQ_FloatOrQuantTensor:$input, IQ_FloatTensor:$scale,
                       Optional<IQ_FloatTensor>:$bias, I64Attr:$axis,
                       F32Attr:$epsilon, OptionalAttr<I64Attr>:$variance_shift);
  let results = (outs IQ_FloatOrQuantTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale (`,` $bias^)? `axis` `=` $axis `epsilon` `=` $epsilon
    (`variance_shift` `=` $variance_shift^)? attr-dict
    `:` type($input) `,` type($scale) (`,` type($bias)^)? `->` type($result)
  }];
  let hasVerifier = 1;
}

def IQ_BatchNormOp : IQ_Op<"batch_norm", [Pure, InferTypeOpAdaptor]> {
  let summary = "inference batch normalization over the channel dimension 1";
  let arguments = (ins IQ_FloatTensor:$input, IQ_FloatTensor:$scale,
                       IQ_FloatTensor:$bias, IQ_FloatTensor:$mean,
                       IQ_FloatTensor:$variance, F32Attr:$epsilon);
  let results = (outs IQ_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $variance `epsilon` `=` $epsilon attr-dict
    `:` type($input) `,` type($scale) `,` type($bias) `,` type($mean) `,` type($variance)
    `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Contractions and convolution
//===----------------------------------------------------------------------===//

def IQ_MatMulOp : IQ_Op<"matmul", [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "batched matrix product with batch broadcasting (numpy matmul)";
  let description = [{
    `lhs : [..., M, K]`, `rhs : [..., K, N]` -> `[..., M, N]`; both ranks are
    at least 2 and the batch dimensions broadcast.

    Float operands have the result's type. Integer operands of at most 16
    bits (i8, or ui8 attention probabilities on the left) accumulate into
    an i32 result; quantized operands give a quantized result with i32
    storage whose scale is normally the product of the operand scales (any
    constant factor folded into it, such as attention's 1/sqrt(d)).
  }];
  let arguments = (ins IQ_Tensor:$lhs, IQ_Tensor:$rhs);
  let results = (outs IQ_Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let hasVerifier = 1;
}

def IQ_LinearOp : IQ_Op<"linear", [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "fully connected layer: input x weight + bias";
  let description = [{
    `input : [..., K]`, `weight : [K, N]`, optional `bias : [N]` ->
    `[..., N]`. The weight is stored K x N (the layout of ONNX MatMul with a
    constant right operand); per-output-channel quantization uses axis 1.

    Integer form: i8 input and weight, i32 bias and result (the
    accumulator). Quantized form: the input is per tensor, the weight per
    tensor or per axis 1, the bias and the result have i32 storage and the
    scales `S_x * S_w[c]` (per axis along the last dimension).
  }];
  let arguments = (ins IQ_Tensor:$input, IQ_Tensor:$weight,
                       Optional<IQ_Tensor>:$bias);
  let results = (outs IQ_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` type($input) `,` type($weight)
    (`,` type($bias)^)? `->` type($result)
  }];
  let hasVerifier = 1;
}

def IQ_ConvOp : IQ_Op<"conv", [Pure, InferTypeOpAdaptor]> {
  let summary = "N-D grouped convolution in NC[spatial] layout (ONNX Conv)";
  let description = [{
    `input : [N, C, D1..Dk]`, `weight : [M, C/groups, K1..Kk]`, optional
    `bias : [M]`. `strides` and `dilations` have k entries, `pads` has 2k
    (all begins, then all ends). k is 1 (Squeezeformer's depthwise/pointwise
    convs) or 2 (subsampling).
  }];
  let arguments = (ins IQ_Tensor:$input, IQ_Tensor:$weight,
                       Optional<IQ_Tensor>:$bias, DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$pads, DenseI64ArrayAttr:$dilations,
                       I64Attr:$groups);
  let results = (outs IQ_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? `strides` `=` $strides `pads` `=` $pads
    `dilations` `=` $dilations `groups` `=` $groups attr-dict
    `:` type($input) `,` type($weight) (`,` type($bias)^)? `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Data movement that quantization must see
//===----------------------------------------------------------------------===//

def IQ_GatherOp : IQ_Op<"gather", [Pure, InferTypeOpAdaptor]> {
  let summary = "ONNX Gather (embedding lookup on axis 0)";
  let description = [{
    Result shape: `data.shape[:axis] + indices.shape + data.shape[axis+1:]`.
    Negative indices count from the end; an index out of
    `[-dim, dim)` is a run-time error reported by the compiled model.
    This is an `iq` op because quantization rewrites embedding tables.
  }];
  let arguments = (ins IQ_Tensor:$data, IQ_IntTensor:$indices, I64Attr:$axis);
  let results = (outs IQ_Tensor:$result);
  let assemblyFormat = [{
    $data `[` $indices `]` `axis` `=` $axis attr-dict `:` type($data) `,` type($indices)
    `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// ONNX quantized-model ops (QuantizeLinear/DequantizeLinear import to the
// upstream quant.qcast/dcast/scast ops)
//===----------------------------------------------------------------------===//

def IQ_DynamicQuantizeOp : IQ_Op<"dynamic_quantize", [Pure, InferTypeOpAdaptor]> {
  let summary = "run-time per-tensor u8 quantization (ONNX DynamicQuantizeLinear)";
  let description = [{
    Computes `scale = (max(0, max(x)) - min(0, min(x))) / 255` and a u8 zero
    point at run time; returns the quantized tensor, the scale and the zero
    point (0-D tensors).
  }];
  let arguments = (ins RankedTensorOf<[F32]>:$input);
  let results = (outs RankedTensorOf<[UI8]>:$output,
                      0DTensorOf<[F32]>:$scale,
                      0DTensorOf<[UI8]>:$zero_point);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def IQ_MatMulIntegerOp : IQ_Op<"matmul_integer", [Pure, InferTypeOpAdaptor, AttrSizedOperandSegments]> {
  let summary = "integer matmul with zero points accumulating in i32 (ONNX MatMulInteger)";
  let description = [{
    `(lhs - lhs_zero_point) x (rhs - rhs_zero_point)` with numpy matmul
    semantics; 8-bit operands, i32 result. A zero point is a scalar, or per
    row of `lhs` / per column of `rhs`.
  }];
  let arguments = (ins IQ_IntTensor:$lhs, IQ_IntTensor:$rhs,
                       Optional<IQ_IntTensor>:$lhs_zero_point,
                       Optional<IQ_IntTensor>:$rhs_zero_point);
  let results = (outs RankedTensorOf<[I32]>:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs (`lhs_zero_point` `(` $lhs_zero_point^ `:` type($lhs_zero_point) `)`)?
    (`rhs_zero_point` `(` $rhs_zero_point^ `:` type($rhs_zero_point) `)`)?
    attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Integer-only kernels (shared/INTEGER-KERNELS.md)
//===----------------------------------------------------------------------===//

def IQ_RequantOp : IQ_Op<"requant", [Pure, SameOperandsAndResultShape]> {
  let summary = "dyadic requantization: clamp((x * m + 2^(e-1)) >> e)";
  let description = [{
    Rescales integers by `m * 2^-e` (computed at compile time from a scale
    ratio; `|m|` in [2^30, 2^31) and the sign carried by `m`), rounding half
    up, then clamps to the full range of the result type (`ui*` results are
    unsigned). A shift `e <= 0` is a left shift. One multiplier/shift pair is
    per tensor; several are per channel along `axis`, whose size must match.
    The product is exact: 64-bit for inputs of at most 32 bits, 128-bit
    otherwise. `clamp = [lo, hi]` narrows the saturation range (a 22-bit
    LayerNorm input in i32 storage).

    ```mlir
    %y = iq.requant %acc multipliers = [1518500250] shifts = [41]
           : tensor<?x768xi32> -> tensor<?x768xi8>
    ```
  }];
  let arguments = (ins IQ_IntTensor:$input, DenseI64ArrayAttr:$multipliers,
                       DenseI64ArrayAttr:$shifts, OptionalAttr<I64Attr>:$axis,
                       OptionalAttr<DenseI64ArrayAttr>:$clamp);
  let results = (outs IQ_IntTensor:$result);
  let assemblyFormat = [{
    $input `multipliers` `=` $multipliers `shifts` `=` $shifts
    (`axis` `=` $axis^)? (`clamp` `=` $clamp^)? attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def IQ_IAddOp : IQ_Op<"iadd", [Pure]> {
  let summary = "integer add of two requantized operands (I-BERT's residual add)";
  let description = [{
    Both operands are requantized to the result scale with their own dyadic
    multipliers and shifts (one pair per tensor, or one per element of the
    operand's last dimension), each saturated to the result range, then
    added in 64 bits and saturated again:

    ```
    y = clamp(clamp(dyadic(lhs)) + clamp(dyadic(rhs)))
    ```

    The operands broadcast as numpy does. The range is the result type's,
    or `clamp = [lo, hi]` (the 22-bit LayerNorm input in i32 storage).
  }];
  let arguments = (ins IQ_IntTensor:$lhs, IQ_IntTensor:$rhs,
                       DenseI64ArrayAttr:$lhs_multipliers,
                       DenseI64ArrayAttr:$lhs_shifts,
                       DenseI64ArrayAttr:$rhs_multipliers,
                       DenseI64ArrayAttr:$rhs_shifts,
                       OptionalAttr<DenseI64ArrayAttr>:$clamp);
  let results = (outs IQ_IntTensor:$result);
  let assemblyFormat = [{
    $lhs `[` $lhs_multipliers `,` $lhs_shifts `]` `,`
    $rhs `[` $rhs_multipliers `,` $rhs_shifts `]`
    (`clamp` `=` $clamp^)? attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let hasVerifier = 1;
}

def IQ_RescaleOp : IQ_Op<"rescale", [Pure, SameOperandsAndResultShape]> {
  let summary = "change the scale or width of a quantized tensor";
  let description = [{
    The same real values in another `!quant.uniform` type: another scale
    (per tensor or per axis), storage width or storage range. Zero points
    are 0 (iqc quantizes symmetrically). iq-lower-quantized turns it into
    `iq.requant` with the dyadic form of `S_in / S_out`.

    ```mlir
    %q = iq.rescale %acc : tensor<?x768x!quant.uniform<i32:f32:1, {...}>>
                        -> tensor<?x768x!quant.uniform<i8:f32, 0.031>>
    ```
  }];
  let arguments = (ins IQ_QuantTensor:$input);
  let results = (outs IQ_QuantTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def IQ_IGeluOp : IQ_Op<"igelu", [Pure]> {
  let summary = "I-BERT integer GELU (i-GELU) of an i32 tensor into i64";
  let description = [{
    For an input q with scale S (per channel along `axis` when the constant
    arrays have more than one entry), with constants computed at compile time
    from S (`S' = S / 1.4142`; `b = floor(-1.769 / S')`,
    `c = floor((1 / -0.2888) / S'^2)`, `one = floor(1 / S_L)`,
    `S_L = -0.2888 S'^2 2^14`):

    ```
    a   = min(|q|, -b)
    L   = sign(q) * ((a + b)^2 + c)        (i64)
    L   = floor(L / 2^14)
    out = q * (L + one)                    (i64; scale S * S_L / 2, negative)
    ```

    A following `iq.requant` (with a negative multiplier) brings the result
    back to int8. See shared/INTEGER-KERNELS.md.
  }];
  let arguments = (ins RankedTensorOf<[I32]>:$input, DenseI64ArrayAttr:$b,
                       DenseI64ArrayAttr:$c, DenseI64ArrayAttr:$one,
                       OptionalAttr<I64Attr>:$axis);
  let results = (outs RankedTensorOf<[I64]>:$result);
  let assemblyFormat = [{
    $input `b` `=` $b `c` `=` $c `one` `=` $one (`axis` `=` $axis^)? attr-dict
    `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def IQ_ISoftmaxOp : IQ_Op<"isoftmax", [Pure]> {
  let summary = "I-BERT integer softmax along the last axis (i-exp, one division)";
  let description = [{
    Softmax of i32 logits q (scale S) along the last dimension, into `ui8`
    probabilities with scale 2^-8. The constants come from S at compile
    time: `x0 = floor(-0.6931 / S)`, `b = floor(2.7073249 / S)`,
    `c = floor(2.7921147 / S^2)`, and the dyadic `multiplier`/`shift` of
    `S_p / 2^30 / S16` (`S_p = 0.35815147 S^2`, `S16 = S_p c / 32767`):

    ```
    d   = kept ? q - rowmax(kept q) : 30 x0;  d = max(d, 30 x0)
    z   = d / x0;  r = d - x0 z                       (0 <= z <= 30)
    p   = (r + b) r + c                               (i64)
    e16 = (p m + 2^(E-1)) >> E,  E = shift - 30 + z   (128-bit product)
    out = (e16 * floor(2^32 / sum_row e16)) >> 24                  (floor)
    out = min((e16 * floor(2^32 / sum_row e16) + 2^23) >> 24, 255) (nearest)
    ```

    The optional `mask` (i1, broadcastable to the input; true = keep) marks
    the positions that take part; a row with no kept position is computed
    unmasked, as BERT's additive -10000 mask behaves.

    The last division floors (shared/INTEGER-KERNELS.md: a row sums to
    [1 - L/256, 1]) unless `nearest` is set: then it rounds half up
    (clamped to 255) and a row sums to about 1 +- L/512. Flooring loses a
    quarter of the probability mass of a uniform row of 128 keys, which
    rounding does not; iq-lower-quantized uses `nearest` by default.
  }];
  let arguments = (ins RankedTensorOf<[I32]>:$input,
                       Optional<IQ_BoolTensor>:$mask, I64Attr:$x0, I64Attr:$b,
                       I64Attr:$c, I64Attr:$multiplier, I64Attr:$shift,
                       UnitAttr:$nearest);
  let results = (outs RankedTensorOf<[UI8]>:$result);
  let assemblyFormat = [{
    $input (`mask` `(` $mask^ `:` type($mask) `)`)? `x0` `=` $x0 `b` `=` $b
    `c` `=` $c `multiplier` `=` $multiplier `shift` `=` $shift
    (`nearest` $nearest^)? attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def IQ_ILayerNormOp : IQ_Op<"ilayernorm", [Pure]> {
  let summary = "I-BERT integer LayerNorm over the last axis, with the affine part folded into a per-channel requant";
  let description = [{
    For integers x (22-bit values in i32) normalized over the last
    dimension of size C:

    ```
    mean = floor((2 sum(x) + C) / (2C))          (round half up, i64)
    y    = x - mean;  var = sum((y >> shift)^2)
    std  = max(isqrt(var) << shift, 1)
    out  = (y * floor(2^31 / std)) >> 1          (scale sqrt(C) / 2^30)
    out += bias[c]                               (floor((beta/gamma) / S_out))
    res  = clamp((out * m[c] + 2^(e[c]-1)) >> e[c])   (128-bit product)
    ```

    `shift` comes from calibration so that `var < 2^32`; the per-channel
    `multipliers`/`shifts` are the dyadic form of `gamma * S_out / S_result`
    (signed: gamma may be negative). One value applies to all channels.
  }];
  let arguments = (ins RankedTensorOf<[I32]>:$input, I64Attr:$shift,
                       DenseI64ArrayAttr:$bias, DenseI64ArrayAttr:$multipliers,
                       DenseI64ArrayAttr:$shifts);
  let results = (outs IQ_IntTensor:$result);
  let assemblyFormat = [{
    $input `shift` `=` $shift `bias` `=` $bias `multipliers` `=` $multipliers
    `shifts` `=` $shifts attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def IQ_ISigmoidOp : IQ_Op<"isigmoid", [Pure, SameOperandsAndResultShape]> {
  let summary = "integer sigmoid from i-exp of -|x| and one division";
  let description = [{
    For i32 input q with scale S (the i-exp constants as in `iq.isoftmax`):
    `e16 = iexp(-|q|)` in the 16-bit exp buffer (exp(0) is 32767), then
    `out = floor(num * 2^15 / (32767 + e16))` with `num = 32767` for q >= 0
    and `num = e16` for q < 0. The i32 result has scale 2^-15 (sigmoid(0) =
    16384, 1.0 = 32768). Swish is `x * sigmoid(x)`, GLU `a * sigmoid(b)`,
    tanh `2 sigmoid(2x) - 1`; coarse inputs are upscaled first (see
    shared/INTEGER-KERNELS.md).
  }];
  let arguments = (ins RankedTensorOf<[I32]>:$input, I64Attr:$x0, I64Attr:$b,
                       I64Attr:$c, I64Attr:$multiplier, I64Attr:$shift);
  let results = (outs RankedTensorOf<[I32]>:$result);
  let assemblyFormat = [{
    $input `x0` `=` $x0 `b` `=` $b `c` `=` $c `multiplier` `=` $multiplier
    `shift` `=` $shift attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Learned token pruning (shared/INTEGER-KERNELS.md, docs/TokenPruning.md)
//===----------------------------------------------------------------------===//

def IQ_TokenImportanceOp : IQ_Op<"token_importance", [Pure]> {
  let summary = "attention each key token receives, summed over heads and live query rows";
  let description = [{
    `probs : [B, H, Lq, Lk]` attention probabilities (ui8 at scale 2^-8, or
    float), `rows : [B, Lq]` (i1) the query rows that count (padding and
    pruned rows do not). The result `[B, Lk]` is
    `sum_{h, i : rows[b, i]} probs[b, h, i, j]`, exact in i64 for integer
    probabilities, f32 for float ones.
  }];
  let arguments = (ins IQ_Tensor:$probs, IQ_BoolTensor:$rows);
  let results = (outs IQ_Tensor:$result);
  let assemblyFormat = [{
    $probs `rows` `(` $rows `)` attr-dict `:` type($probs) `,` type($rows) `->` type($result)
  }];
  let hasVerifier = 1;
}

def IQ_PruneKeepOp : IQ_Op<"prune_keep", [Pure]> {
  let summary = "which tokens a pruned layer keeps (LTP's threshold test)";
  let description = [{
    `importance : [B, L]` from `iq.token_importance`, `alive : [B, L]` the
    tokens still in the sequence, `l_orig` the padded input length. With
    the threshold as the fixed-point `T = round(max(1e-5, theta) 2^40)`
    (the `threshold` attribute, or the 0-D i64 operand `threshold_value`)
    and `H = heads`, token j of example b is kept iff it is alive and j = 0
    (the CLS token is never pruned) or

    ```
    integer importance:  importance * 2^40 >= T * H * l_orig * 256   (i128)
    float importance:    importance >= (T / 2^40) * H * l_orig        (f32)
    ```

    i.e. the importance `s_j = sum P / (H l_orig)` is at least the
    threshold.
  }];
  let arguments = (ins IQ_Tensor:$importance, IQ_BoolTensor:$alive,
                       Index:$l_orig, Optional<0DTensorOf<[I64]>>:$threshold_value,
                       I64Attr:$threshold, I64Attr:$heads);
  let results = (outs IQ_BoolTensor:$result);
  let assemblyFormat = [{
    $importance `,` $alive `l_orig` `(` $l_orig `)`
    (`threshold_value` `(` $threshold_value^ `:` type($threshold_value) `)`)?
    `threshold` `=` $threshold `heads` `=` $heads attr-dict
    `:` type($importance) `,` type($alive) `->` type($result)
  }];
  let hasVerifier = 1;
}

def IQ_CompactIndicesOp : IQ_Op<"compact_indices", [Pure]> {
  let summary = "positions of the kept tokens, per example, padded to the batch's longest";
  let description = [{
    For `keep : [B, L]` (i1), `L' = max_b count(keep[b])` and
    `indices[b, t]` is the position of the t-th kept token of example b
    (ascending), `valid[b, t] = t < count(keep[b])`; invalid slots hold 0.
  }];
  let arguments = (ins IQ_BoolTensor:$keep);
  let results = (outs RankedTensorOf<[I64]>:$indices, IQ_BoolTensor:$valid);
  let assemblyFormat = "$keep attr-dict `:` type($keep) `->` type($indices) `,` type($valid)";
  let hasVerifier = 1;
}

def IQ_GatherRowsOp : IQ_Op<"gather_rows", [Pure]> {
  let summary = "per-example gather along dim 1: out[b, t, ...] = data[b, indices[b, t], ...]";
  let arguments = (ins IQ_Tensor:$data, RankedTensorOf<[I64]>:$indices);
  let results = (outs IQ_Tensor:$result);
  let assemblyFormat = [{
    $data `[` $indices `]` attr-dict `:` type($data) `,` type($indices) `->` type($result)
  }];
  let hasVerifier = 1;
}

def IQ_ScatterRowsOp : IQ_Op<"scatter_rows", [Pure]> {
  let summary = "rows back to their original positions (inverse of gather_rows), zeros elsewhere";
  let description = [{
    `out[b, indices[b, t], ...] = data[b, t, ...]` for every valid slot t;
    the other `length - count` rows of each example are 0. `length` is the
    original dim 1.
  }];
  let arguments = (ins IQ_Tensor:$data, RankedTensorOf<[I64]>:$indices,
                       IQ_BoolTensor:$valid, Index:$length);
  let results = (outs IQ_Tensor:$result);
  let assemblyFormat = [{
    $data `[` $indices `,` $valid `]` `length` `(` $length `)` attr-dict
    `:` type($data) `,` type($indices) `,` type($valid) `->` type($result)
  }];
  let hasVerifier = 1;
}

#endif // IQC_DIALECT_IQ_IR_IQOPS_TD
