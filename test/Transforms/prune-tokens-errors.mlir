// RUN: iqc-opt %s -split-input-file -verify-diagnostics --pass-pipeline='builtin.module(func.func(iq-prune-tokens{thresholds=0.1}))'
// RUN: not iqc-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(iq-prune-tokens{thresholds=0,0.1}))' 2>&1 | FileCheck %s --check-prefix=COUNT
// RUN: not iqc-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(iq-prune-tokens{thresholds=0.1 final-threshold=0.2}))' 2>&1 | FileCheck %s --check-prefix=BOTH
// COUNT: error: iq-prune-tokens: 2 thresholds for 1 attention layers
// BOTH: error: iq-prune-tokens: give thresholds or final-threshold, not both

// An attention layer with nothing after it to compact at.
func.func @no_layer_norm(%s: tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32> {
  // expected-error @+1 {{iq-prune-tokens: found no LayerNorm after this attention layer to compact its output at}}
  %p = iq.softmax %s axis = 3 : tensor<?x2x?x?xf32>
  return %p : tensor<?x2x?x?xf32>
}

// -----

// The importance needs the number of heads.
func.func @dynamic_heads(%s: tensor<?x?x?x?xf32>, %g: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<?x?x4xf32> {
  // expected-error @+1 {{iq-prune-tokens: needs a static number of heads}}
  %p = iq.softmax %s axis = 3 : tensor<?x?x?x?xf32>
  %c = tensor.collapse_shape %p [[0], [1, 2], [3]] : tensor<?x?x?x?xf32> into tensor<?x?x?xf32>
  %e = tensor.extract_slice %c[0, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<?x?x?xf32> to tensor<1x1x4xf32>
  %x = tensor.cast %e : tensor<1x1x4xf32> to tensor<?x?x4xf32>
  %n = iq.layer_norm %x, %g, %b axis = 2 epsilon = 1.0E-12 : tensor<?x?x4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<?x?x4xf32>
  return %n : tensor<?x?x4xf32>
}

// -----

// Token pruning reads attention probabilities [B, H, L, L].
func.func @not_attention(%s: tensor<?x?xf32>) -> tensor<?x?xf32> {
  // expected-error @+1 {{iq-prune-tokens: expects attention probabilities [B, H, L, L]}}
  %p = iq.softmax %s axis = 1 : tensor<?x?xf32>
  return %p : tensor<?x?xf32>
}

// -----

// expected-error @+1 {{iq-prune-tokens: the model has no attention softmax}}
func.func @no_attention(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %g = iq.gelu %x : tensor<2x4xf32>
  return %g : tensor<2x4xf32>
}
