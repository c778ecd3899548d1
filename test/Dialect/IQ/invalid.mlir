// RUN: iqc-opt %s -split-input-file -verify-diagnostics

// Every verifier and result-type inference error of the iq ops. Custom
// verifiers run before the result-type check of InferTypeOpInterface; an
// inference failure reports its own message and then "failed to infer
// returned types".

//===----------------------------------------------------------------------===//
// Broadcasting binary ops
//===----------------------------------------------------------------------===//

func.func @add_not_broadcastable(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{operand shapes [2, 3] and [4] are not broadcast-compatible}}
  // expected-error @+1 {{'iq.add' op failed to infer returned types}}
  %0 = iq.add %a, %b : tensor<2x3xf32>, tensor<4xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @mul_not_broadcastable_dynamic(%a: tensor<?x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+2 {{operand shapes [?, 3] and [4, 5] are not broadcast-compatible}}
  // expected-error @+1 {{'iq.mul' op failed to infer returned types}}
  %0 = iq.mul %a, %b : tensor<?x3xf32>, tensor<4x5xf32> -> tensor<4x5xf32>
  return
}

// -----

func.func @sub_wrong_result_shape(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{'iq.sub' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<2x4xf32>'}}
  // expected-error @+1 {{'iq.sub' op failed to infer returned types}}
  %0 = iq.sub %a, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @div_wrong_result_rank(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{'iq.div' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<1x2x3xf32>'}}
  // expected-error @+1 {{'iq.div' op failed to infer returned types}}
  %0 = iq.div %a, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<1x2x3xf32>
  return
}

// -----

func.func @pow_wrong_result_element_type(%a: tensor<3xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{'iq.pow' op inferred type(s) 'tensor<3xf32>' are incompatible with return type(s) of operation 'tensor<3xf16>'}}
  // expected-error @+1 {{'iq.pow' op failed to infer returned types}}
  %0 = iq.pow %a, %b : tensor<3xf32>, tensor<3xf32> -> tensor<3xf16>
  return
}

// -----

// The inferred type keeps a dimension dynamic when both operands have it
// dynamic; a more static result type is not the inferred one.
func.func @add_result_more_static_than_inferred(%a: tensor<?xf32>, %b: tensor<?xf32>) {
  // expected-error @+2 {{'iq.add' op inferred type(s) 'tensor<?xf32>' are incompatible with return type(s) of operation 'tensor<4xf32>'}}
  // expected-error @+1 {{'iq.add' op failed to infer returned types}}
  %0 = iq.add %a, %b : tensor<?xf32>, tensor<?xf32> -> tensor<4xf32>
  return
}

// -----

func.func @add_element_type_mismatch(%a: tensor<4xf32>, %b: tensor<4xi32>) {
  // expected-error @+1 {{'iq.add' op expects operands of the same element type, got 'f32' and 'i32'}}
  %0 = iq.add %a, %b : tensor<4xf32>, tensor<4xi32> -> tensor<4xf32>
  return
}

// -----

func.func @mul_quant_element_type_mismatch(%a: tensor<4x!quant.uniform<i8:f32, 0.1>>, %b: tensor<4x!quant.uniform<i8:f32, 0.2>>) {
  // expected-error @+1 {{'iq.mul' op expects operands of the same element type}}
  %0 = iq.mul %a, %b : tensor<4x!quant.uniform<i8:f32, 0.1>>, tensor<4x!quant.uniform<i8:f32, 0.2>> -> tensor<4x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @add_unranked(%a: tensor<*xf32>) {
  // expected-error @+1 {{invalid kind of type specified}}
  %0 = iq.add %a, %a : tensor<*xf32>, tensor<*xf32> -> tensor<*xf32>
  return
}

// -----

func.func @cmp_element_type_mismatch(%a: tensor<4xf32>, %b: tensor<4xf16>) {
  // expected-error @+1 {{'iq.cmp' op expects operands of the same element type, got 'f32' and 'f16'}}
  %0 = iq.cmp lt, %a, %b : tensor<4xf32>, tensor<4xf16> -> tensor<4xi1>
  return
}

// -----

func.func @cmp_not_broadcastable(%a: tensor<4xi64>, %b: tensor<5xi64>) {
  // expected-error @+2 {{operand shapes [4] and [5] are not broadcast-compatible}}
  // expected-error @+1 {{'iq.cmp' op failed to infer returned types}}
  %0 = iq.cmp eq, %a, %b : tensor<4xi64>, tensor<5xi64> -> tensor<4xi1>
  return
}

// -----

func.func @cmp_result_not_i1(%a: tensor<4xf32>) {
  // expected-error @+1 {{'iq.cmp' op result #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<4xf32>'}}
  %0 = iq.cmp lt, %a, %a : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @cmp_wrong_result_shape(%a: tensor<4xf32>, %b: tensor<2x1xf32>) {
  // expected-error @+2 {{'iq.cmp' op inferred type(s) 'tensor<2x4xi1>' are incompatible with return type(s) of operation 'tensor<4xi1>'}}
  // expected-error @+1 {{'iq.cmp' op failed to infer returned types}}
  %0 = iq.cmp gt, %a, %b : tensor<4xf32>, tensor<2x1xf32> -> tensor<4xi1>
  return
}

// -----

func.func @cmp_bad_predicate(%a: tensor<4xf32>) {
  // expected-error @+2 {{expected ::iqc::iq::CmpPredicate to be one of: eq, lt, le, gt, ge}}
  // expected-error @+1 {{failed to parse IQ_CmpPredicateAttr parameter}}
  %0 = iq.cmp ne, %a, %a : tensor<4xf32>, tensor<4xf32> -> tensor<4xi1>
  return
}

// -----

func.func @select_value_element_type_mismatch(%c: tensor<4xi1>, %t: tensor<4xf32>, %f: tensor<4xi32>) {
  // expected-error @+1 {{'iq.select' op expects operands of the same element type, got 'f32' and 'i32'}}
  %0 = iq.select %c, %t, %f : tensor<4xi1>, tensor<4xf32>, tensor<4xi32> -> tensor<4xf32>
  return
}

// -----

func.func @select_condition_not_i1(%c: tensor<4xi8>, %t: tensor<4xf32>) {
  // expected-error @+1 {{'iq.select' op operand #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<4xi8>'}}
  %0 = iq.select %c, %t, %t : tensor<4xi8>, tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @select_not_broadcastable(%c: tensor<2x1xi1>, %t: tensor<3xf32>, %f: tensor<4xf32>) {
  // expected-error @+2 {{operand shapes [2, 3] and [4] are not broadcast-compatible}}
  // expected-error @+1 {{'iq.select' op failed to infer returned types}}
  %0 = iq.select %c, %t, %f : tensor<2x1xi1>, tensor<3xf32>, tensor<4xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @select_wrong_result_shape(%c: tensor<2x1xi1>, %t: tensor<3xf32>) {
  // expected-error @+2 {{'iq.select' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<3xf32>'}}
  // expected-error @+1 {{'iq.select' op failed to infer returned types}}
  %0 = iq.select %c, %t, %t : tensor<2x1xi1>, tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  return
}

//===----------------------------------------------------------------------===//
// Unary ops and cast
//===----------------------------------------------------------------------===//

// -----

func.func @sqrt_integer(%a: tensor<4xi32>) {
  // expected-error @+1 {{'iq.sqrt' op operand #0 must be ranked tensor of floating-point values, but got 'tensor<4xi32>'}}
  %0 = iq.sqrt %a : tensor<4xi32>
  return
}

// -----

func.func @gelu_result_type_differs(%a: tensor<4xf32>) {
  // expected-error @+1 {{'iq.gelu' op requires the same shape for all operands and results}}
  %0 = "iq.gelu"(%a) : (tensor<4xf32>) -> tensor<5xf32>
  return
}

// -----

func.func @gelu_float_type_differs(%a: tensor<4xf32>) {
  // expected-error @+1 {{'iq.gelu' op expects the result type to equal the input type for float tensors}}
  %0 = iq.gelu %a : tensor<4xf32> -> tensor<4xf16>
  return
}

// -----

func.func @gelu_quantized_to_float(%a: tensor<4x!quant.uniform<i32:f32, 1.0e-4>>) {
  // expected-error @+1 {{'iq.gelu' op expects a quantized result for a quantized input}}
  %0 = iq.gelu %a : tensor<4x!quant.uniform<i32:f32, 1.0e-4>> -> tensor<4xf32>
  return
}

// -----

func.func @not_float(%a: tensor<4xf32>) {
  // expected-error @+1 {{'iq.not' op operand #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<4xf32>'}}
  %0 = iq.not %a : tensor<4xf32>
  return
}

// -----

func.func @cast_shape_change(%a: tensor<4xf32>) {
  // expected-error @+1 {{'iq.cast' op expects the result shape to equal the input shape}}
  %0 = iq.cast %a : tensor<4xf32> -> tensor<5xi32>
  return
}

// -----

func.func @cast_rank_change(%a: tensor<4xf32>) {
  // expected-error @+1 {{'iq.cast' op expects the result shape to equal the input shape}}
  %0 = iq.cast %a : tensor<4xf32> -> tensor<1x4xi32>
  return
}

// -----

func.func @cast_to_index(%a: tensor<4xi64>) {
  // expected-error @+1 {{'iq.cast' op casts only between integer, float and bool types}}
  %0 = iq.cast %a : tensor<4xi64> -> tensor<4xindex>
  return
}

// -----

func.func @cast_from_quant(%a: tensor<4x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'iq.cast' op casts only between integer, float and bool types}}
  %0 = iq.cast %a : tensor<4x!quant.uniform<i8:f32, 0.1>> -> tensor<4xf32>
  return
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

// -----

func.func @reduce_axis_out_of_range(%a: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'iq.reduce_sum' op axis 3 is out of range for rank 3}}
  %0 = iq.reduce_sum %a along [3] : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  return
}

// -----

func.func @reduce_negative_axis(%a: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'iq.reduce_mean' op axis -1 is out of range for rank 3}}
  %0 = iq.reduce_mean %a along [-1] keep_dims : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  return
}

// -----

func.func @reduce_unsorted_axes(%a: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'iq.reduce_mean' op expects sorted, unique axes}}
  %0 = iq.reduce_mean %a along [2, 0] keep_dims : tensor<2x3x4xf32> -> tensor<1x3x1xf32>
  return
}

// -----

func.func @reduce_duplicate_axes(%a: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'iq.reduce_sum' op expects sorted, unique axes}}
  %0 = iq.reduce_sum %a along [1, 1] : tensor<2x3x4xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @reduce_missing_keep_dims(%a: tensor<2x3x4xf32>) {
  // expected-error @+2 {{'iq.reduce_mean' op inferred type(s) 'tensor<2x4xf32>' are incompatible with return type(s) of operation 'tensor<2x1x4xf32>'}}
  // expected-error @+1 {{'iq.reduce_mean' op failed to infer returned types}}
  %0 = iq.reduce_mean %a along [1] : tensor<2x3x4xf32> -> tensor<2x1x4xf32>
  return
}

// -----

func.func @reduce_wrong_result_shape(%a: tensor<?x3x4xf32>) {
  // expected-error @+2 {{'iq.reduce_sum' op inferred type(s) 'tensor<?x3x1xf32>' are incompatible with return type(s) of operation 'tensor<?x1x4xf32>'}}
  // expected-error @+1 {{'iq.reduce_sum' op failed to infer returned types}}
  %0 = iq.reduce_sum %a along [2] keep_dims : tensor<?x3x4xf32> -> tensor<?x1x4xf32>
  return
}

// -----

func.func @softmax_axis_out_of_range(%a: tensor<2x4x8x8xf32>) {
  // expected-error @+1 {{'iq.softmax' op axis 4 is out of range for rank 4}}
  %0 = iq.softmax %a axis = 4 : tensor<2x4x8x8xf32>
  return
}

// -----

// Regression (fixed): before the fix, SoftmaxOp::verify compares and prints the uint64_t getAxis(), so the
// message says "axis 18446744073709551615".
func.func @softmax_negative_axis(%a: tensor<2x4x8x8xf32>) {
  // expected-error @+1 {{'iq.softmax' op axis -1 is out of range for rank 4}}
  %0 = iq.softmax %a axis = -1 : tensor<2x4x8x8xf32>
  return
}

// -----

func.func @softmax_integer(%a: tensor<8xi32>) {
  // expected-error @+1 {{'iq.softmax' op operand #0 must be ranked tensor of floating-point or quantized type values, but got 'tensor<8xi32>'}}
  %0 = iq.softmax %a axis = 0 : tensor<8xi32>
  return
}

//===----------------------------------------------------------------------===//
// layer_norm
//===----------------------------------------------------------------------===//

// -----

func.func @layer_norm_axis_out_of_range(%x: tensor<2x8x256xf32>, %g: tensor<256xf32>) {
  // expected-error @+1 {{'iq.layer_norm' op axis 3 is out of range for rank 3}}
  %0 = iq.layer_norm %x, %g axis = 3 epsilon = 1.0e-5 : tensor<2x8x256xf32>, tensor<256xf32> -> tensor<2x8x256xf32>
  return
}

// -----

func.func @layer_norm_negative_axis(%x: tensor<2x8x256xf32>, %g: tensor<256xf32>) {
  // expected-error @+1 {{'iq.layer_norm' op axis -1 is out of range for rank 3}}
  %0 = iq.layer_norm %x, %g axis = -1 epsilon = 1.0e-5 : tensor<2x8x256xf32>, tensor<256xf32> -> tensor<2x8x256xf32>
  return
}

// -----

func.func @layer_norm_scale_size(%x: tensor<?x?x256xf32>, %g: tensor<128xf32>) {
  // expected-error @+1 {{'iq.layer_norm' op expects scale of shape [256] (the normalized dimensions), got [128]}}
  %0 = iq.layer_norm %x, %g axis = 2 epsilon = 1.0e-5 : tensor<?x?x256xf32>, tensor<128xf32> -> tensor<?x?x256xf32>
  return
}

// -----

func.func @layer_norm_scale_rank(%x: tensor<?x?x256xf32>, %g: tensor<1x256xf32>) {
  // expected-error @+1 {{'iq.layer_norm' op expects scale of shape [256] (the normalized dimensions), got [1, 256]}}
  %0 = iq.layer_norm %x, %g axis = 2 epsilon = 1.0e-5 : tensor<?x?x256xf32>, tensor<1x256xf32> -> tensor<?x?x256xf32>
  return
}

// -----

func.func @layer_norm_scale_rank_multi_axis(%x: tensor<?x8x256xf32>, %g: tensor<256xf32>) {
  // expected-error @+1 {{'iq.layer_norm' op expects scale of shape [8, 256] (the normalized dimensions), got [256]}}
  %0 = iq.layer_norm %x, %g axis = 1 epsilon = 1.0e-5 : tensor<?x8x256xf32>, tensor<256xf32> -> tensor<?x8x256xf32>
  return
}

// -----

func.func @layer_norm_bias_shape(%x: tensor<?x?x256xf32>, %g: tensor<256xf32>, %b: tensor<255xf32>) {
  // expected-error @+1 {{'iq.layer_norm' op expects bias of shape [256] (the normalized dimensions), got [255]}}
  %0 = iq.layer_norm %x, %g, %b axis = 2 epsilon = 1.0e-5 : tensor<?x?x256xf32>, tensor<256xf32>, tensor<255xf32> -> tensor<?x?x256xf32>
  return
}

// -----

func.func @layer_norm_negative_epsilon(%x: tensor<?x?x256xf32>, %g: tensor<256xf32>) {
  // expected-error @+1 {{'iq.layer_norm' op expects a non-negative epsilon}}
  %0 = iq.layer_norm %x, %g axis = 2 epsilon = -1.0e-5 : tensor<?x?x256xf32>, tensor<256xf32> -> tensor<?x?x256xf32>
  return
}

// -----

func.func @layer_norm_element_type_mismatch(%x: tensor<?x?x256xf32>, %g: tensor<256xf16>) {
  // expected-error @+1 {{'iq.layer_norm' op expects operands of the same element type, got 'f32' and 'f16'}}
  %0 = iq.layer_norm %x, %g axis = 2 epsilon = 1.0e-5 : tensor<?x?x256xf32>, tensor<256xf16> -> tensor<?x?x256xf32>
  return
}

// -----

func.func @layer_norm_wrong_result_type(%x: tensor<?x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+2 {{'iq.layer_norm' op inferred type(s) 'tensor<?x8xf32>' are incompatible with return type(s) of operation 'tensor<2x8xf32>'}}
  // expected-error @+1 {{'iq.layer_norm' op failed to infer returned types}}
  %0 = iq.layer_norm %x, %g axis = 1 epsilon = 1.0e-5 : tensor<?x8xf32>, tensor<8xf32> -> tensor<2x8xf32>
  return
}

//===----------------------------------------------------------------------===//
// batch_norm
//===----------------------------------------------------------------------===//

// -----

func.func @batch_norm_rank_1(%x: tensor<16xf32>, %p: tensor<16xf32>) {
  // expected-error @+1 {{'iq.batch_norm' op expects an input of rank >= 2 (N, C, ...)}}
  %0 = iq.batch_norm %x, %p, %p, %p, %p epsilon = 1.0e-3 : tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32> -> tensor<16xf32>
  return
}

// -----

func.func @batch_norm_scale_shape(%x: tensor<?x16x?xf32>, %s: tensor<8xf32>, %p: tensor<16xf32>) {
  // expected-error @+1 {{'iq.batch_norm' op expects per-channel parameters of shape [16], got [8]}}
  %0 = iq.batch_norm %x, %s, %p, %p, %p epsilon = 1.0e-3 : tensor<?x16x?xf32>, tensor<8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32> -> tensor<?x16x?xf32>
  return
}

// -----

func.func @batch_norm_variance_rank(%x: tensor<?x16x?xf32>, %p: tensor<16xf32>, %v: tensor<16x1xf32>) {
  // expected-error @+1 {{'iq.batch_norm' op expects per-channel parameters of shape [16], got [16, 1]}}
  %0 = iq.batch_norm %x, %p, %p, %p, %v epsilon = 1.0e-3 : tensor<?x16x?xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16x1xf32> -> tensor<?x16x?xf32>
  return
}

// -----

func.func @batch_norm_mean_shape(%x: tensor<?x16x?xf32>, %p: tensor<16xf32>, %m: tensor<17xf32>) {
  // expected-error @+1 {{'iq.batch_norm' op expects per-channel parameters of shape [16], got [17]}}
  %0 = iq.batch_norm %x, %p, %p, %m, %p epsilon = 1.0e-3 : tensor<?x16x?xf32>, tensor<16xf32>, tensor<16xf32>, tensor<17xf32>, tensor<16xf32> -> tensor<?x16x?xf32>
  return
}

// -----

func.func @batch_norm_element_type_mismatch(%x: tensor<?x16x?xf32>, %p: tensor<16xf32>, %b: tensor<16xbf16>) {
  // expected-error @+1 {{'iq.batch_norm' op expects operands of the same element type, got 'f32' and 'bf16'}}
  %0 = iq.batch_norm %x, %p, %b, %p, %p epsilon = 1.0e-3 : tensor<?x16x?xf32>, tensor<16xf32>, tensor<16xbf16>, tensor<16xf32>, tensor<16xf32> -> tensor<?x16x?xf32>
  return
}

//===----------------------------------------------------------------------===//
// matmul
//===----------------------------------------------------------------------===//

// -----

func.func @matmul_k_mismatch(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+2 {{contracting dimensions differ: [2, 3] x [4, 5]}}
  // expected-error @+1 {{'iq.matmul' op failed to infer returned types}}
  %0 = iq.matmul %a, %b : tensor<2x3xf32>, tensor<4x5xf32> -> tensor<2x5xf32>
  return
}

// -----

func.func @matmul_rank_1(%a: tensor<3xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+2 {{expects operands of rank >= 2, got [3] and [3, 4]}}
  // expected-error @+1 {{'iq.matmul' op failed to infer returned types}}
  %0 = iq.matmul %a, %b : tensor<3xf32>, tensor<3x4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @matmul_batch_mismatch(%a: tensor<2x3x4xf32>, %b: tensor<5x4x6xf32>) {
  // expected-error @+2 {{batch dimensions of [2, 3, 4] and [5, 4, 6] are not broadcast-compatible}}
  // expected-error @+1 {{'iq.matmul' op failed to infer returned types}}
  %0 = iq.matmul %a, %b : tensor<2x3x4xf32>, tensor<5x4x6xf32> -> tensor<2x3x6xf32>
  return
}

// -----

func.func @matmul_wrong_result_type(%a: tensor<?x3x4xf32>, %b: tensor<4x6xf32>) {
  // expected-error @+2 {{'iq.matmul' op inferred type(s) 'tensor<?x3x6xf32>' are incompatible with return type(s) of operation 'tensor<?x3x4xf32>'}}
  // expected-error @+1 {{'iq.matmul' op failed to infer returned types}}
  %0 = iq.matmul %a, %b : tensor<?x3x4xf32>, tensor<4x6xf32> -> tensor<?x3x4xf32>
  return
}

// -----

func.func @matmul_element_type_mismatch(%a: tensor<2x3xf32>, %b: tensor<3x4xf16>) {
  // expected-error @+1 {{'iq.matmul' op expects operands of the same element type, got 'f32' and 'f16'}}
  %0 = iq.matmul %a, %b : tensor<2x3xf32>, tensor<3x4xf16> -> tensor<2x4xf32>
  return
}

//===----------------------------------------------------------------------===//
// linear
//===----------------------------------------------------------------------===//

// -----

func.func @linear_k_mismatch(%x: tensor<2x64xf32>, %w: tensor<32x128xf32>) {
  // expected-error @+1 {{'iq.linear' op input features [2, 64] do not match weight [32, 128] (weight is [K, N])}}
  %0 = iq.linear %x, %w : tensor<2x64xf32>, tensor<32x128xf32> -> tensor<2x128xf32>
  return
}

// -----

func.func @linear_bias_size(%x: tensor<?x64xf32>, %w: tensor<64x128xf32>, %b: tensor<64xf32>) {
  // expected-error @+1 {{'iq.linear' op expects a bias of shape [128], got [64]}}
  %0 = iq.linear %x, %w, %b : tensor<?x64xf32>, tensor<64x128xf32>, tensor<64xf32> -> tensor<?x128xf32>
  return
}

// -----

func.func @linear_bias_rank(%x: tensor<?x64xf32>, %w: tensor<64x128xf32>, %b: tensor<1x128xf32>) {
  // expected-error @+1 {{'iq.linear' op expects a bias of shape [128], got [1, 128]}}
  %0 = iq.linear %x, %w, %b : tensor<?x64xf32>, tensor<64x128xf32>, tensor<1x128xf32> -> tensor<?x128xf32>
  return
}

// -----

func.func @linear_weight_rank_3(%x: tensor<?x64xf32>, %w: tensor<64x128x1xf32>) {
  // expected-error @+2 {{expects an input of rank >= 1 and a 2-D weight}}
  // expected-error @+1 {{'iq.linear' op failed to infer returned types}}
  %0 = iq.linear %x, %w : tensor<?x64xf32>, tensor<64x128x1xf32> -> tensor<?x128xf32>
  return
}

// -----

func.func @linear_wrong_result_type(%x: tensor<?x?x64xf32>, %w: tensor<64x128xf32>) {
  // expected-error @+2 {{'iq.linear' op inferred type(s) 'tensor<?x?x128xf32>' are incompatible with return type(s) of operation 'tensor<?x?x64xf32>'}}
  // expected-error @+1 {{'iq.linear' op failed to infer returned types}}
  %0 = iq.linear %x, %w : tensor<?x?x64xf32>, tensor<64x128xf32> -> tensor<?x?x64xf32>
  return
}

// -----

func.func @linear_element_type_mismatch(%x: tensor<?x64xf32>, %w: tensor<64x128xf16>) {
  // expected-error @+1 {{'iq.linear' op expects operands of the same element type, got 'f32' and 'f16'}}
  %0 = iq.linear %x, %w : tensor<?x64xf32>, tensor<64x128xf16> -> tensor<?x128xf32>
  return
}

//===----------------------------------------------------------------------===//
// conv
//===----------------------------------------------------------------------===//

// -----

func.func @conv_channel_mismatch(%x: tensor<1x3x8xf32>, %w: tensor<4x2x3xf32>) {
  // expected-error @+1 {{'iq.conv' op input channels (3) must equal weight channels per group (2) x groups (1)}}
  %0 = iq.conv %x, %w strides = [1] pads = [0, 0] dilations = [1] groups = 1 : tensor<1x3x8xf32>, tensor<4x2x3xf32> -> tensor<1x4x6xf32>
  return
}

// -----

func.func @conv_group_channel_mismatch(%x: tensor<1x144x8xf32>, %w: tensor<144x1x3xf32>) {
  // expected-error @+1 {{'iq.conv' op input channels (144) must equal weight channels per group (1) x groups (72)}}
  %0 = iq.conv %x, %w strides = [1] pads = [1, 1] dilations = [1] groups = 72 : tensor<1x144x8xf32>, tensor<144x1x3xf32> -> tensor<1x144x8xf32>
  return
}

// -----

func.func @conv_output_channels_not_divisible(%x: tensor<1x8x8xf32>, %w: tensor<6x2x3xf32>) {
  // expected-error @+1 {{'iq.conv' op output channels (6) must be divisible by groups (4)}}
  %0 = iq.conv %x, %w strides = [1] pads = [0, 0] dilations = [1] groups = 4 : tensor<1x8x8xf32>, tensor<6x2x3xf32> -> tensor<1x6x6xf32>
  return
}

// -----

func.func @conv_zero_groups(%x: tensor<1x3x8xf32>, %w: tensor<4x3x3xf32>) {
  // expected-error @+1 {{'iq.conv' op expects groups >= 1}}
  %0 = iq.conv %x, %w strides = [1] pads = [0, 0] dilations = [1] groups = 0 : tensor<1x3x8xf32>, tensor<4x3x3xf32> -> tensor<1x4x6xf32>
  return
}

// -----

func.func @conv_zero_stride(%x: tensor<1x3x8xf32>, %w: tensor<4x3x3xf32>) {
  // expected-error @+1 {{'iq.conv' op expects strides >= 1}}
  %0 = iq.conv %x, %w strides = [0] pads = [0, 0] dilations = [1] groups = 1 : tensor<1x3x8xf32>, tensor<4x3x3xf32> -> tensor<1x4x6xf32>
  return
}

// -----

func.func @conv_negative_stride_dynamic(%x: tensor<?x3x?x?xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'iq.conv' op expects strides >= 1}}
  %0 = iq.conv %x, %w strides = [1, -2] pads = [0, 0, 0, 0] dilations = [1, 1] groups = 1 : tensor<?x3x?x?xf32>, tensor<4x3x3x3xf32> -> tensor<?x4x?x?xf32>
  return
}

// -----

func.func @conv_zero_dilation(%x: tensor<1x3x8xf32>, %w: tensor<4x3x3xf32>) {
  // expected-error @+1 {{'iq.conv' op expects dilations >= 1}}
  %0 = iq.conv %x, %w strides = [1] pads = [0, 0] dilations = [0] groups = 1 : tensor<1x3x8xf32>, tensor<4x3x3xf32> -> tensor<1x4x7xf32>
  return
}

// -----

func.func @conv_negative_pad(%x: tensor<1x3x8xf32>, %w: tensor<4x3x3xf32>) {
  // expected-error @+1 {{'iq.conv' op expects non-negative pads}}
  %0 = iq.conv %x, %w strides = [1] pads = [-1, 1] dilations = [1] groups = 1 : tensor<1x3x8xf32>, tensor<4x3x3xf32> -> tensor<1x4x6xf32>
  return
}

// -----

func.func @conv_bias_shape(%x: tensor<1x3x8xf32>, %w: tensor<4x3x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'iq.conv' op expects a bias of shape [4], got [3]}}
  %0 = iq.conv %x, %w, %b strides = [1] pads = [0, 0] dilations = [1] groups = 1 : tensor<1x3x8xf32>, tensor<4x3x3xf32>, tensor<3xf32> -> tensor<1x4x6xf32>
  return
}

// -----

func.func @conv_bias_rank(%x: tensor<1x3x8xf32>, %w: tensor<4x3x3xf32>, %b: tensor<1x4xf32>) {
  // expected-error @+1 {{'iq.conv' op expects a bias of shape [4], got [1, 4]}}
  %0 = iq.conv %x, %w, %b strides = [1] pads = [0, 0] dilations = [1] groups = 1 : tensor<1x3x8xf32>, tensor<4x3x3xf32>, tensor<1x4xf32> -> tensor<1x4x6xf32>
  return
}

// -----

func.func @conv_element_type_mismatch(%x: tensor<1x3x8xf32>, %w: tensor<4x3x3xf16>) {
  // expected-error @+1 {{'iq.conv' op expects operands of the same element type, got 'f32' and 'f16'}}
  %0 = iq.conv %x, %w strides = [1] pads = [0, 0] dilations = [1] groups = 1 : tensor<1x3x8xf32>, tensor<4x3x3xf16> -> tensor<1x4x6xf32>
  return
}

// -----

func.func @conv_attribute_counts(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{expects 2 strides and dilations and 4 pads}}
  // expected-error @+1 {{'iq.conv' op failed to infer returned types}}
  %0 = iq.conv %x, %w strides = [1] pads = [0, 0] dilations = [1] groups = 1 : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_weight_rank(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3xf32>) {
  // expected-error @+2 {{expects input [N, C, D...] and weight [M, C/groups, K...] of the same rank >= 3}}
  // expected-error @+1 {{'iq.conv' op failed to infer returned types}}
  %0 = iq.conv %x, %w strides = [1, 1] pads = [0, 0, 0, 0] dilations = [1, 1] groups = 1 : tensor<1x3x8x8xf32>, tensor<4x3x3xf32> -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_kernel_too_large(%x: tensor<1x3x4xf32>, %w: tensor<4x3x7xf32>) {
  // expected-error @+2 {{kernel extent is larger than the padded input in spatial dimension 0}}
  // expected-error @+1 {{'iq.conv' op failed to infer returned types}}
  %0 = iq.conv %x, %w strides = [1] pads = [1, 1] dilations = [1] groups = 1 : tensor<1x3x4xf32>, tensor<4x3x7xf32> -> tensor<1x4x1xf32>
  return
}

// -----

func.func @conv_wrong_result_type(%x: tensor<1x1x80x100xf32>, %w: tensor<144x1x3x3xf32>) {
  // expected-error @+2 {{'iq.conv' op inferred type(s) 'tensor<1x144x39x49xf32>' are incompatible with return type(s) of operation 'tensor<1x144x40x50xf32>'}}
  // expected-error @+1 {{'iq.conv' op failed to infer returned types}}
  %0 = iq.conv %x, %w strides = [2, 2] pads = [0, 0, 0, 0] dilations = [1, 1] groups = 1 : tensor<1x1x80x100xf32>, tensor<144x1x3x3xf32> -> tensor<1x144x40x50xf32>
  return
}

//===----------------------------------------------------------------------===//
// gather
//===----------------------------------------------------------------------===//

// -----

func.func @gather_i8_indices(%e: tensor<1000x256xf32>, %i: tensor<?xi8>) {
  // expected-error @+1 {{'iq.gather' op expects i32 or i64 indices}}
  %0 = iq.gather %e[%i] axis = 0 : tensor<1000x256xf32>, tensor<?xi8> -> tensor<?x256xf32>
  return
}

// -----

func.func @gather_i1_indices(%e: tensor<1000x256xf32>, %i: tensor<?xi1>) {
  // expected-error @+1 {{'iq.gather' op expects i32 or i64 indices}}
  %0 = iq.gather %e[%i] axis = 0 : tensor<1000x256xf32>, tensor<?xi1> -> tensor<?x256xf32>
  return
}

// -----

func.func @gather_float_indices(%e: tensor<1000x256xf32>, %i: tensor<?xf32>) {
  // expected-error @+1 {{'iq.gather' op operand #1 must be ranked tensor of integer values, but got 'tensor<?xf32>'}}
  %0 = iq.gather %e[%i] axis = 0 : tensor<1000x256xf32>, tensor<?xf32> -> tensor<?x256xf32>
  return
}

// -----

func.func @gather_index_indices(%e: tensor<1000x256xf32>, %i: tensor<?xindex>) {
  // expected-error @+1 {{'iq.gather' op operand #1 must be ranked tensor of integer values, but got 'tensor<?xindex>'}}
  %0 = iq.gather %e[%i] axis = 0 : tensor<1000x256xf32>, tensor<?xindex> -> tensor<?x256xf32>
  return
}

// -----

func.func @gather_axis_out_of_range(%e: tensor<1000x256xf32>, %i: tensor<?xi64>) {
  // expected-error @+2 {{axis 2 is out of range for rank 2}}
  // expected-error @+1 {{'iq.gather' op failed to infer returned types}}
  %0 = iq.gather %e[%i] axis = 2 : tensor<1000x256xf32>, tensor<?xi64> -> tensor<1000x256x?xf32>
  return
}

// -----

func.func @gather_negative_axis(%e: tensor<1000x256xf32>, %i: tensor<?xi64>) {
  // expected-error @+2 {{axis -1 is out of range for rank 2}}
  // expected-error @+1 {{'iq.gather' op failed to infer returned types}}
  %0 = iq.gather %e[%i] axis = -1 : tensor<1000x256xf32>, tensor<?xi64> -> tensor<1000x?xf32>
  return
}

// -----

func.func @gather_wrong_result_type(%e: tensor<1000x256xf32>, %i: tensor<2x?xi64>) {
  // expected-error @+2 {{'iq.gather' op inferred type(s) 'tensor<2x?x256xf32>' are incompatible with return type(s) of operation 'tensor<?x256xf32>'}}
  // expected-error @+1 {{'iq.gather' op failed to infer returned types}}
  %0 = iq.gather %e[%i] axis = 0 : tensor<1000x256xf32>, tensor<2x?xi64> -> tensor<?x256xf32>
  return
}

//===----------------------------------------------------------------------===//
// dynamic_quantize and matmul_integer
//===----------------------------------------------------------------------===//

// -----

func.func @dynamic_quantize_f16(%x: tensor<4xf16>) {
  // expected-error @+1 {{'iq.dynamic_quantize' op operand #0 must be ranked tensor of 32-bit float values, but got 'tensor<4xf16>'}}
  %0:3 = iq.dynamic_quantize %x : tensor<4xf16>
  return
}

// -----

func.func @dynamic_quantize_wrong_result_types(%x: tensor<4xf32>) {
  // expected-error @+2 {{'iq.dynamic_quantize' op inferred type(s) 'tensor<4xui8>', 'tensor<f32>', 'tensor<ui8>' are incompatible with return type(s) of operation 'tensor<5xui8>', 'tensor<f32>', 'tensor<ui8>'}}
  // expected-error @+1 {{'iq.dynamic_quantize' op failed to infer returned types}}
  %0:3 = "iq.dynamic_quantize"(%x) : (tensor<4xf32>) -> (tensor<5xui8>, tensor<f32>, tensor<ui8>)
  return
}

// -----

func.func @matmul_integer_i16_lhs(%a: tensor<4x64xi16>, %b: tensor<64x32xi8>) {
  // expected-error @+1 {{'iq.matmul_integer' op expects 8-bit integer operands, got 'i16'}}
  %0 = iq.matmul_integer %a, %b : tensor<4x64xi16>, tensor<64x32xi8> -> tensor<4x32xi32>
  return
}

// -----

func.func @matmul_integer_i32_rhs(%a: tensor<4x64xui8>, %b: tensor<64x32xi32>) {
  // expected-error @+1 {{'iq.matmul_integer' op expects 8-bit integer operands, got 'i32'}}
  %0 = iq.matmul_integer %a, %b : tensor<4x64xui8>, tensor<64x32xi32> -> tensor<4x32xi32>
  return
}

// -----

func.func @matmul_integer_float(%a: tensor<4x64xf32>, %b: tensor<64x32xi8>) {
  // expected-error @+1 {{'iq.matmul_integer' op operand #0 must be ranked tensor of integer values, but got 'tensor<4x64xf32>'}}
  %0 = iq.matmul_integer %a, %b : tensor<4x64xf32>, tensor<64x32xi8> -> tensor<4x32xi32>
  return
}

// -----

func.func @matmul_integer_zero_point_type(%a: tensor<4x64xui8>, %b: tensor<64x32xi8>, %az: tensor<i8>) {
  // expected-error @+1 {{'iq.matmul_integer' op zero point element type must match its operand}}
  %0 = iq.matmul_integer %a, %b lhs_zero_point(%az : tensor<i8>) : tensor<4x64xui8>, tensor<64x32xi8> -> tensor<4x32xi32>
  return
}

// -----

func.func @matmul_integer_rhs_zero_point_type(%a: tensor<4x64xui8>, %b: tensor<64x32xi8>, %bz: tensor<32xui8>) {
  // expected-error @+1 {{'iq.matmul_integer' op zero point element type must match its operand}}
  %0 = iq.matmul_integer %a, %b rhs_zero_point(%bz : tensor<32xui8>) : tensor<4x64xui8>, tensor<64x32xi8> -> tensor<4x32xi32>
  return
}

// -----

func.func @matmul_integer_zero_point_rank(%a: tensor<4x64xui8>, %b: tensor<64x32xi8>, %bz: tensor<1x32xi8>) {
  // expected-error @+1 {{'iq.matmul_integer' op expects a scalar or 1-D zero point}}
  %0 = iq.matmul_integer %a, %b rhs_zero_point(%bz : tensor<1x32xi8>) : tensor<4x64xui8>, tensor<64x32xi8> -> tensor<4x32xi32>
  return
}

// -----

func.func @matmul_integer_k_mismatch(%a: tensor<4x64xi8>, %b: tensor<32x32xi8>) {
  // expected-error @+2 {{contracting dimensions differ: [4, 64] x [32, 32]}}
  // expected-error @+1 {{'iq.matmul_integer' op failed to infer returned types}}
  %0 = iq.matmul_integer %a, %b : tensor<4x64xi8>, tensor<32x32xi8> -> tensor<4x32xi32>
  return
}

// -----

func.func @matmul_integer_result_i64(%a: tensor<4x64xi8>, %b: tensor<64x32xi8>) {
  // expected-error @+1 {{'iq.matmul_integer' op result #0 must be ranked tensor of 32-bit signless integer values, but got 'tensor<4x32xi64>'}}
  %0 = iq.matmul_integer %a, %b : tensor<4x64xi8>, tensor<64x32xi8> -> tensor<4x32xi64>
  return
}

// -----

func.func @matmul_integer_wrong_result_shape(%a: tensor<?x4x64xi8>, %b: tensor<64x32xi8>) {
  // expected-error @+2 {{'iq.matmul_integer' op inferred type(s) 'tensor<?x4x32xi32>' are incompatible with return type(s) of operation 'tensor<4x32xi32>'}}
  // expected-error @+1 {{'iq.matmul_integer' op failed to infer returned types}}
  %0 = iq.matmul_integer %a, %b : tensor<?x4x64xi8>, tensor<64x32xi8> -> tensor<4x32xi32>
  return
}

// -----

// A 1-D zero point is per row of lhs (M entries) or per column of rhs
// (N entries); any other length is invalid.
// Regression (fixed): before the fix, not rejected by MatMulIntegerOp::verify today.
func.func @matmul_integer_lhs_zero_point_length(%a: tensor<4x64xi8>, %b: tensor<64x32xi8>, %az: tensor<7xi8>) {
  // expected-error @+1 {{zero point}}
  %0 = iq.matmul_integer %a, %b lhs_zero_point(%az : tensor<7xi8>) : tensor<4x64xi8>, tensor<64x32xi8> -> tensor<4x32xi32>
  return
}

// -----

// Regression (fixed): before the fix, not rejected by MatMulIntegerOp::verify today.
func.func @matmul_integer_rhs_zero_point_length(%a: tensor<4x64xi8>, %b: tensor<64x32xi8>, %bz: tensor<64xi8>) {
  // expected-error @+1 {{zero point}}
  %0 = iq.matmul_integer %a, %b rhs_zero_point(%bz : tensor<64xi8>) : tensor<4x64xi8>, tensor<64x32xi8> -> tensor<4x32xi32>
  return
}

// -----

func.func @requant_count(%a: tensor<4x8xi32>) -> tensor<4x8xi8> {
  // expected-error @+1 {{needs one shift per multiplier, got 2 multipliers and 1 shifts}}
  %0 = iq.requant %a multipliers = [1073741824, 1073741824] shifts = [40] axis = 1 : tensor<4x8xi32> -> tensor<4x8xi8>
  return %0 : tensor<4x8xi8>
}

// -----

func.func @requant_multiplier(%a: tensor<4x8xi32>) -> tensor<4x8xi8> {
  // expected-error @+1 {{multiplier 2147483648 does not fit in 31 bits}}
  %0 = iq.requant %a multipliers = [2147483648] shifts = [40] : tensor<4x8xi32> -> tensor<4x8xi8>
  return %0 : tensor<4x8xi8>
}

// -----

func.func @requant_shift(%a: tensor<4x8xi32>) -> tensor<4x8xi8> {
  // expected-error @+1 {{shift -40 is outside [-31, 126]}}
  %0 = iq.requant %a multipliers = [1073741824] shifts = [-40] : tensor<4x8xi32> -> tensor<4x8xi8>
  return %0 : tensor<4x8xi8>
}

// -----

func.func @requant_channels(%a: tensor<4x8xi32>) -> tensor<4x8xi8> {
  // expected-error @+1 {{has 2 per-channel constants for dim 1 of size 8}}
  %0 = iq.requant %a multipliers = [1073741824, 1073741824] shifts = [40, 40] axis = 1 : tensor<4x8xi32> -> tensor<4x8xi8>
  return %0 : tensor<4x8xi8>
}

// -----

func.func @requant_axis(%a: tensor<4x8xi32>) -> tensor<4x8xi8> {
  // expected-error @+1 {{per-channel constants need an axis}}
  %0 = iq.requant %a multipliers = [1073741824, 1073741824] shifts = [40, 40] : tensor<4x8xi32> -> tensor<4x8xi8>
  return %0 : tensor<4x8xi8>
}

// -----

func.func @igelu_b(%a: tensor<4xi32>) -> tensor<4xi64> {
  // expected-error @+1 {{b constants must be negative}}
  %0 = iq.igelu %a b = [5] c = [-100] one = [-7] : tensor<4xi32> -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

func.func @igelu_counts(%a: tensor<4x2xi32>) -> tensor<4x2xi64> {
  // expected-error @+1 {{needs as many c and one constants as b constants}}
  %0 = iq.igelu %a b = [-5, -6] c = [-100] one = [-7, -8] axis = 1 : tensor<4x2xi32> -> tensor<4x2xi64>
  return %0 : tensor<4x2xi64>
}

// -----

func.func @isoftmax_x0(%q: tensor<4x8xi32>) -> tensor<4x8xui8> {
  // expected-error @+1 {{x0 = floor(-ln 2 / S) must be negative}}
  %0 = iq.isoftmax %q x0 = 5 b = 1804 c = 1240939 multiplier = 1116486064 shift = 66 : tensor<4x8xi32> -> tensor<4x8xui8>
  return %0 : tensor<4x8xui8>
}

// -----

func.func @isoftmax_shift(%q: tensor<4x8xi32>) -> tensor<4x8xui8> {
  // expected-error @+1 {{shift 20 must be in [31, 90]}}
  %0 = iq.isoftmax %q x0 = -463 b = 1804 c = 1240939 multiplier = 1116486064 shift = 20 : tensor<4x8xi32> -> tensor<4x8xui8>
  return %0 : tensor<4x8xui8>
}

// -----

func.func @isoftmax_mask(%q: tensor<4x8xi32>, %m: tensor<3x8xi1>) -> tensor<4x8xui8> {
  // expected-error @+1 {{mask of shape [3, 8] does not broadcast to the input shape [4, 8]}}
  %0 = iq.isoftmax %q mask(%m : tensor<3x8xi1>) x0 = -463 b = 1804 c = 1240939 multiplier = 1116486064 shift = 66 : tensor<4x8xi32> -> tensor<4x8xui8>
  return %0 : tensor<4x8xui8>
}

// -----

func.func @ilayernorm_counts(%x: tensor<4x8xi32>) -> tensor<4x8xi8> {
  // expected-error @+1 {{has 2 per-channel constants for dim 1 of size 8}}
  %0 = iq.ilayernorm %x shift = 3 bias = [1, 2] multipliers = [1073741824, 1073741824] shifts = [40, 40] : tensor<4x8xi32> -> tensor<4x8xi8>
  return %0 : tensor<4x8xi8>
}

// -----

func.func @ilayernorm_shift(%x: tensor<4x8xi32>) -> tensor<4x8xi8> {
  // expected-error @+1 {{shift 40 must be in [0, 31]}}
  %0 = iq.ilayernorm %x shift = 40 bias = [1] multipliers = [1073741824] shifts = [40] : tensor<4x8xi32> -> tensor<4x8xi8>
  return %0 : tensor<4x8xi8>
}

// -----

func.func @softmax_float_mask(%a: tensor<2x4xf32>, %m: tensor<2x4xi1>) {
  // expected-error @+1 {{'iq.softmax' op takes a mask only in its quantized form}}
  %0 = iq.softmax %a mask(%m : tensor<2x4xi1>) axis = 1 : tensor<2x4xf32>
  return
}

// -----

func.func @softmax_mask_shape(%a: tensor<2x4x!quant.uniform<i32:f32, 1.0e-3>>, %m: tensor<2x3xi1>) {
  // expected-error @+1 {{'iq.softmax' op mask of shape [2, 3] does not broadcast to the input shape [2, 4]}}
  %0 = iq.softmax %a mask(%m : tensor<2x3xi1>) axis = 1 : tensor<2x4x!quant.uniform<i32:f32, 1.0e-3>> -> tensor<2x4x!quant.uniform<u8:f32, 0.00390625>>
  return
}

// -----

func.func @linear_quant_scale(%x: tensor<?x4x!quant.uniform<i8:f32, 0.025>>, %w: tensor<4x2x!quant.uniform<i8:f32:1, {0.1, 0.2}>>) {
  // expected-error @+1 {{'iq.linear' op result scale 2.500000e-03 of channel 1 is not the product of the input and weight scales (5.000000e-03)}}
  %0 = iq.linear %x, %w : tensor<?x4x!quant.uniform<i8:f32, 0.025>>, tensor<4x2x!quant.uniform<i8:f32:1, {0.1, 0.2}>> -> tensor<?x2x!quant.uniform<i32:f32:1, {0.0025, 0.0025}>>
  return
}

// -----

func.func @linear_mixed(%x: tensor<?x4xi8>, %w: tensor<4x2xf32>) {
  // expected-error @+1 {{'iq.linear' op mixes element types 'i8' and 'f32'}}
  %0 = iq.linear %x, %w : tensor<?x4xi8>, tensor<4x2xf32> -> tensor<?x2xi32>
  return
}

// -----

func.func @iadd_channels(%a: tensor<?x2xi32>, %b: tensor<?x2xi8>) {
  // expected-error @+1 {{'iq.iadd' op has 3 per-channel constants for dim 1 of size 2}}
  %0 = iq.iadd %a [[1, 2, 3], [4, 5, 6]], %b [[1], [3]] : tensor<?x2xi32>, tensor<?x2xi8> -> tensor<?x2xi32>
  return
}

// -----

func.func @iadd_clamp(%a: tensor<?x2xi32>, %b: tensor<?x2xi8>) {
  // expected-error @+1 {{'iq.iadd' op clamp [-200, 100] exceeds the range of 'i8'}}
  %0 = iq.iadd %a [[1], [4]], %b [[1], [3]] clamp = [-200, 100] : tensor<?x2xi32>, tensor<?x2xi8> -> tensor<?x2xi8>
  return
}

// -----

func.func @rescale_zero_point(%a: tensor<4x!quant.uniform<i8:f32, 0.1:3>>) {
  // expected-error @+1 {{'iq.rescale' op expects zero points of 0 (symmetric quantization)}}
  %0 = iq.rescale %a : tensor<4x!quant.uniform<i8:f32, 0.1:3>> -> tensor<4x!quant.uniform<i8:f32, 0.2>>
  return
}

// -----

func.func @layer_norm_shift(%a: tensor<2x8x!quant.uniform<i32:f32, 1.0e-5>>, %g: tensor<8xf32>) {
  // expected-error @+1 {{'iq.layer_norm' op variance_shift 40 must be in [0, 31]}}
  %0 = iq.layer_norm %a, %g axis = 1 epsilon = 1.0e-12 variance_shift = 40 : tensor<2x8x!quant.uniform<i32:f32, 1.0e-5>>, tensor<8xf32> -> tensor<2x8x!quant.uniform<i8:f32, 0.03>>
  return
}
