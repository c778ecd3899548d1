// RUN: iqc-opt %s -split-input-file -verify-diagnostics

// Operands whose rank makes the op meaningless must be diagnosed, never read
// out of bounds. The custom verifiers of iq.linear and iq.conv run before the
// result-type inference that reports the rank error, so they must not index
// dimensions before checking the rank.
// Regression (fixed; all cases below): before the fix, LinearOp::verify reads input.getShape().back(),
// weight.getDimSize(0) and weight.getDimSize(1), and ConvOp::verify reads
// input.getDimSize(1), weight.getDimSize(0) and weight.getDimSize(1), without
// checking ranks: rank-0 operands segfault iqc-opt, rank-1 operands read
// garbage (e.g. "expects a bias of shape [93972974874896]").

func.func @linear_rank_0_input(%x: tensor<f32>, %w: tensor<4x8xf32>) {
  // expected-error @+2 {{expects an input of rank >= 1 and a 2-D weight}}
  // expected-error @+1 {{'iq.linear' op failed to infer returned types}}
  %0 = iq.linear %x, %w : tensor<f32>, tensor<4x8xf32> -> tensor<8xf32>
  return
}

// -----

func.func @linear_rank_0_weight(%x: tensor<2x4xf32>, %w: tensor<f32>) {
  // expected-error @+2 {{expects an input of rank >= 1 and a 2-D weight}}
  // expected-error @+1 {{'iq.linear' op failed to infer returned types}}
  %0 = iq.linear %x, %w : tensor<2x4xf32>, tensor<f32> -> tensor<2x8xf32>
  return
}

// -----

func.func @linear_rank_1_weight_with_bias(%x: tensor<2x4xf32>, %w: tensor<4xf32>, %b: tensor<8xf32>) {
  // expected-error @+2 {{expects an input of rank >= 1 and a 2-D weight}}
  // expected-error @+1 {{'iq.linear' op failed to infer returned types}}
  %0 = iq.linear %x, %w, %b : tensor<2x4xf32>, tensor<4xf32>, tensor<8xf32> -> tensor<2x8xf32>
  return
}

// -----

func.func @linear_rank_1_weight(%x: tensor<2x4xf32>, %w: tensor<4xf32>) {
  // expected-error @+2 {{expects an input of rank >= 1 and a 2-D weight}}
  // expected-error @+1 {{'iq.linear' op failed to infer returned types}}
  %0 = iq.linear %x, %w : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x8xf32>
  return
}

// -----

func.func @conv_rank_0(%x: tensor<f32>, %w: tensor<f32>) {
  // expected-error @+2 {{expects input [N, C, D...] and weight [M, C/groups, K...] of the same rank >= 3}}
  // expected-error @+1 {{'iq.conv' op failed to infer returned types}}
  %0 = iq.conv %x, %w strides = [] pads = [] dilations = [] groups = 1 : tensor<f32>, tensor<f32> -> tensor<f32>
  return
}

// -----

func.func @conv_rank_1(%x: tensor<3xf32>, %w: tensor<4xf32>) {
  // expected-error @+2 {{expects input [N, C, D...] and weight [M, C/groups, K...] of the same rank >= 3}}
  // expected-error @+1 {{'iq.conv' op failed to infer returned types}}
  %0 = iq.conv %x, %w strides = [] pads = [] dilations = [] groups = 1 : tensor<3xf32>, tensor<4xf32> -> tensor<3xf32>
  return
}

// -----

func.func @conv_rank_1_weight(%x: tensor<1x3x8xf32>, %w: tensor<4xf32>) {
  // expected-error @+2 {{expects input [N, C, D...] and weight [M, C/groups, K...] of the same rank >= 3}}
  // expected-error @+1 {{'iq.conv' op failed to infer returned types}}
  %0 = iq.conv %x, %w strides = [1] pads = [0, 0] dilations = [1] groups = 1 : tensor<1x3x8xf32>, tensor<4xf32> -> tensor<1x4x6xf32>
  return
}

// -----

func.func @conv_rank_2(%x: tensor<1x3xf32>, %w: tensor<4x3xf32>) {
  // expected-error @+2 {{expects input [N, C, D...] and weight [M, C/groups, K...] of the same rank >= 3}}
  // expected-error @+1 {{'iq.conv' op failed to infer returned types}}
  %0 = iq.conv %x, %w strides = [] pads = [] dilations = [] groups = 1 : tensor<1x3xf32>, tensor<4x3xf32> -> tensor<1x4xf32>
  return
}
