// RUN: iqc-opt %s -split-input-file -verify-diagnostics --pass-pipeline='builtin.module(func.func(iq-lower-quantized))'

func.func @softmax_scale(%a: tensor<4x4x!quant.uniform<i32:f32, 0.000244140625>>) -> tensor<4x4x!quant.uniform<u8:f32, 0.0078125>> {
  // expected-error @+1 {{iq-lower-quantized: the integer softmax produces u8 with scale 2^-8}}
  %0 = iq.softmax %a axis = 1 : tensor<4x4x!quant.uniform<i32:f32, 0.000244140625>> -> tensor<4x4x!quant.uniform<u8:f32, 0.0078125>>
  return %0 : tensor<4x4x!quant.uniform<u8:f32, 0.0078125>>
}

// -----

func.func @asymmetric(%a: tensor<4x!quant.uniform<i8:f32, 0.1:3>>, %b: tensor<4x!quant.uniform<i8:f32, 0.1>>) -> tensor<4x!quant.uniform<i8:f32, 0.2>> {
  // expected-error @+1 {{the add's lhs must be uniform quantized with zero point 0}}
  %0 = iq.add %a, %b : tensor<4x!quant.uniform<i8:f32, 0.1:3>>, tensor<4x!quant.uniform<i8:f32, 0.1>> -> tensor<4x!quant.uniform<i8:f32, 0.2>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.2>>
}

// -----

func.func @layer_norm_wide(%a: tensor<4x2x!quant.uniform<i32:f32, 0.001>>) -> tensor<4x2x!quant.uniform<i8:f32, 0.03>> {
  %g = arith.constant dense<1.0> : tensor<2xf32>
  // expected-error @+1 {{i-LayerNorm takes at most 22-bit inputs}}
  %0 = iq.layer_norm %a, %g axis = 1 epsilon = 1.0e-12 variance_shift = 5 : tensor<4x2x!quant.uniform<i32:f32, 0.001>>, tensor<2xf32> -> tensor<4x2x!quant.uniform<i8:f32, 0.03>>
  return %0 : tensor<4x2x!quant.uniform<i8:f32, 0.03>>
}

// -----

func.func @layer_norm_no_shift(%a: tensor<4x2x!quant.uniform<i16:f32, 0.001>>) -> tensor<4x2x!quant.uniform<i8:f32, 0.03>> {
  %g = arith.constant dense<1.0> : tensor<2xf32>
  // expected-error @+1 {{a quantized LayerNorm needs its variance_shift}}
  %0 = iq.layer_norm %a, %g axis = 1 epsilon = 1.0e-12 : tensor<4x2x!quant.uniform<i16:f32, 0.001>>, tensor<2xf32> -> tensor<4x2x!quant.uniform<i8:f32, 0.03>>
  return %0 : tensor<4x2x!quant.uniform<i8:f32, 0.03>>
}

// -----

func.func @layer_norm_zero_gamma(%a: tensor<4x2x!quant.uniform<i16:f32, 0.001>>) -> tensor<4x2x!quant.uniform<i8:f32, 0.03>> {
  %g = arith.constant dense<0.0> : tensor<2xf32>
  %b = arith.constant dense<1.0> : tensor<2xf32>
  // expected-error @+1 {{channel 0: beta / gamma is too large for the 64-bit LayerNorm bias}}
  %0 = iq.layer_norm %a, %g, %b axis = 1 epsilon = 1.0e-12 variance_shift = 5 : tensor<4x2x!quant.uniform<i16:f32, 0.001>>, tensor<2xf32>, tensor<2xf32> -> tensor<4x2x!quant.uniform<i8:f32, 0.03>>
  return %0 : tensor<4x2x!quant.uniform<i8:f32, 0.03>>
}
