// RUN: iqc-opt %s -split-input-file -iq-raise-layer-norm | FileCheck %s
// The raised IR must itself be valid, parseable IR.
// RUN: iqc-opt %s -split-input-file -iq-raise-layer-norm | iqc-opt -split-input-file -o /dev/null

// nn.LayerNorm as torch exports it below opset 17:
// ReduceMean(keepdims, last axis) -> Sub -> Pow(2) -> ReduceMean -> Add(eps)
// -> Sqrt -> Div -> Mul(gamma) -> Add(beta).

// CHECK-LABEL: func.func @layer_norm_affine
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x4xf32>)
// CHECK-DAG: %[[G:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[5.000000e-01, -5.000000e-01, 2.500000e-01, 0.000000e+00]> : tensor<4xf32>
// CHECK-NOT: iq.reduce_mean
// CHECK-NOT: iq.sqrt
// CHECK: %[[LN:.*]] = iq.layer_norm %[[X]], %[[G]], %[[B]] axis = 2 epsilon = 9.99999974E-6 : tensor<?x?x4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<?x?x4xf32>
// CHECK-NOT: iq.
// CHECK: return %[[LN]]
func.func @layer_norm_affine(%x: tensor<?x?x4xf32>) -> tensor<?x?x4xf32> {
  %two = arith.constant dense<2.0> : tensor<f32>
  %eps = arith.constant dense<1.0e-05> : tensor<f32>
  %gamma = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %beta = arith.constant dense<[0.5, -0.5, 0.25, 0.0]> : tensor<4xf32>
  %mean = iq.reduce_mean %x along [2] keep_dims : tensor<?x?x4xf32> -> tensor<?x?x1xf32>
  %c = iq.sub %x, %mean : tensor<?x?x4xf32>, tensor<?x?x1xf32> -> tensor<?x?x4xf32>
  %sq = iq.pow %c, %two : tensor<?x?x4xf32>, tensor<f32> -> tensor<?x?x4xf32>
  %var = iq.reduce_mean %sq along [2] keep_dims : tensor<?x?x4xf32> -> tensor<?x?x1xf32>
  %ve = iq.add %var, %eps : tensor<?x?x1xf32>, tensor<f32> -> tensor<?x?x1xf32>
  %std = iq.sqrt %ve : tensor<?x?x1xf32>
  %n = iq.div %c, %std : tensor<?x?x4xf32>, tensor<?x?x1xf32> -> tensor<?x?x4xf32>
  %s = iq.mul %n, %gamma : tensor<?x?x4xf32>, tensor<4xf32> -> tensor<?x?x4xf32>
  %y = iq.add %s, %beta : tensor<?x?x4xf32>, tensor<4xf32> -> tensor<?x?x4xf32>
  return %y : tensor<?x?x4xf32>
}

// -----

// Without gamma and beta: the scale is a constant of ones and there is no
// bias.
// CHECK-LABEL: func.func @layer_norm_plain
// CHECK-SAME: (%[[X:.*]]: tensor<2x8x4xf32>)
// CHECK: %[[ONES:.*]] = arith.constant dense<1.000000e+00> : tensor<4xf32>
// CHECK: %[[LN:.*]] = iq.layer_norm %[[X]], %[[ONES]] axis = 2 epsilon = 9.99999996E-13 : tensor<2x8x4xf32>, tensor<4xf32> -> tensor<2x8x4xf32>
// CHECK-NOT: iq.
// CHECK: return %[[LN]]
func.func @layer_norm_plain(%x: tensor<2x8x4xf32>) -> tensor<2x8x4xf32> {
  %two = arith.constant dense<2.0> : tensor<f32>
  %eps = arith.constant dense<1.0e-12> : tensor<f32>
  %mean = iq.reduce_mean %x along [2] keep_dims : tensor<2x8x4xf32> -> tensor<2x8x1xf32>
  %c = iq.sub %x, %mean : tensor<2x8x4xf32>, tensor<2x8x1xf32> -> tensor<2x8x4xf32>
  %sq = iq.pow %c, %two : tensor<2x8x4xf32>, tensor<f32> -> tensor<2x8x4xf32>
  %var = iq.reduce_mean %sq along [2] keep_dims : tensor<2x8x4xf32> -> tensor<2x8x1xf32>
  %ve = iq.add %var, %eps : tensor<2x8x1xf32>, tensor<f32> -> tensor<2x8x1xf32>
  %std = iq.sqrt %ve : tensor<2x8x1xf32>
  %n = iq.div %c, %std : tensor<2x8x4xf32>, tensor<2x8x1xf32> -> tensor<2x8x4xf32>
  return %n : tensor<2x8x4xf32>
}

// -----

// gamma without beta.
// CHECK-LABEL: func.func @layer_norm_scale_only
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>)
// CHECK: %[[G:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>
// CHECK: %[[LN:.*]] = iq.layer_norm %[[X]], %[[G]] axis = 1 epsilon = 9.99999974E-6 : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
// CHECK-NOT: iq.
// CHECK: return %[[LN]]
func.func @layer_norm_scale_only(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %two = arith.constant dense<2.0> : tensor<f32>
  %eps = arith.constant dense<1.0e-05> : tensor<f32>
  %gamma = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %mean = iq.reduce_mean %x along [1] keep_dims : tensor<?x4xf32> -> tensor<?x1xf32>
  %c = iq.sub %x, %mean : tensor<?x4xf32>, tensor<?x1xf32> -> tensor<?x4xf32>
  %sq = iq.pow %c, %two : tensor<?x4xf32>, tensor<f32> -> tensor<?x4xf32>
  %var = iq.reduce_mean %sq along [1] keep_dims : tensor<?x4xf32> -> tensor<?x1xf32>
  %ve = iq.add %var, %eps : tensor<?x1xf32>, tensor<f32> -> tensor<?x1xf32>
  %std = iq.sqrt %ve : tensor<?x1xf32>
  %n = iq.div %c, %std : tensor<?x4xf32>, tensor<?x1xf32> -> tensor<?x4xf32>
  %s = iq.mul %n, %gamma : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
  return %s : tensor<?x4xf32>
}

// -----

// The square written as (x - mean) * (x - mean); commutative operands in the
// other order (eps + var, gamma * n, beta + s).
// CHECK-LABEL: func.func @layer_norm_mul_square_commuted
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x4xf32>)
// CHECK-DAG: %[[G:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[5.000000e-01, -5.000000e-01, 2.500000e-01, 0.000000e+00]> : tensor<4xf32>
// CHECK: %[[LN:.*]] = iq.layer_norm %[[X]], %[[G]], %[[B]] axis = 2 epsilon = 9.99999974E-6 : tensor<?x?x4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<?x?x4xf32>
// CHECK-NOT: iq.
// CHECK: return %[[LN]]
func.func @layer_norm_mul_square_commuted(%x: tensor<?x?x4xf32>) -> tensor<?x?x4xf32> {
  %eps = arith.constant dense<1.0e-05> : tensor<f32>
  %gamma = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %beta = arith.constant dense<[0.5, -0.5, 0.25, 0.0]> : tensor<4xf32>
  %mean = iq.reduce_mean %x along [2] keep_dims : tensor<?x?x4xf32> -> tensor<?x?x1xf32>
  %c = iq.sub %x, %mean : tensor<?x?x4xf32>, tensor<?x?x1xf32> -> tensor<?x?x4xf32>
  %sq = iq.mul %c, %c : tensor<?x?x4xf32>, tensor<?x?x4xf32> -> tensor<?x?x4xf32>
  %var = iq.reduce_mean %sq along [2] keep_dims : tensor<?x?x4xf32> -> tensor<?x?x1xf32>
  %ve = iq.add %eps, %var : tensor<f32>, tensor<?x?x1xf32> -> tensor<?x?x1xf32>
  %std = iq.sqrt %ve : tensor<?x?x1xf32>
  %n = iq.div %c, %std : tensor<?x?x4xf32>, tensor<?x?x1xf32> -> tensor<?x?x4xf32>
  %s = iq.mul %gamma, %n : tensor<4xf32>, tensor<?x?x4xf32> -> tensor<?x?x4xf32>
  %y = iq.add %beta, %s : tensor<4xf32>, tensor<?x?x4xf32> -> tensor<?x?x4xf32>
  return %y : tensor<?x?x4xf32>
}

// -----

// Normalization over the two trailing dimensions: axis 1, [8, 4] parameters.
// CHECK-LABEL: func.func @layer_norm_two_axes
// CHECK-SAME: (%[[X:.*]]: tensor<?x8x4xf32>)
// CHECK-DAG: %[[G:.*]] = arith.constant dense<2.000000e+00> : tensor<8x4xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<1.000000e+00> : tensor<8x4xf32>
// CHECK: %[[LN:.*]] = iq.layer_norm %[[X]], %[[G]], %[[B]] axis = 1 epsilon = 9.99999974E-6 : tensor<?x8x4xf32>, tensor<8x4xf32>, tensor<8x4xf32> -> tensor<?x8x4xf32>
// CHECK-NOT: iq.
// CHECK: return %[[LN]]
func.func @layer_norm_two_axes(%x: tensor<?x8x4xf32>) -> tensor<?x8x4xf32> {
  %two = arith.constant dense<2.0> : tensor<f32>
  %eps = arith.constant dense<1.0e-05> : tensor<f32>
  %gamma = arith.constant dense<2.0> : tensor<8x4xf32>
  %beta = arith.constant dense<1.0> : tensor<8x4xf32>
  %mean = iq.reduce_mean %x along [1, 2] keep_dims : tensor<?x8x4xf32> -> tensor<?x1x1xf32>
  %c = iq.sub %x, %mean : tensor<?x8x4xf32>, tensor<?x1x1xf32> -> tensor<?x8x4xf32>
  %sq = iq.pow %c, %two : tensor<?x8x4xf32>, tensor<f32> -> tensor<?x8x4xf32>
  %var = iq.reduce_mean %sq along [1, 2] keep_dims : tensor<?x8x4xf32> -> tensor<?x1x1xf32>
  %ve = iq.add %var, %eps : tensor<?x1x1xf32>, tensor<f32> -> tensor<?x1x1xf32>
  %std = iq.sqrt %ve : tensor<?x1x1xf32>
  %n = iq.div %c, %std : tensor<?x8x4xf32>, tensor<?x1x1xf32> -> tensor<?x8x4xf32>
  %s = iq.mul %n, %gamma : tensor<?x8x4xf32>, tensor<8x4xf32> -> tensor<?x8x4xf32>
  %y = iq.add %s, %beta : tensor<?x8x4xf32>, tensor<8x4xf32> -> tensor<?x8x4xf32>
  return %y : tensor<?x8x4xf32>
}

// -----

// A gamma that is not a constant of the normalized shape is not folded into
// the op: the normalization is raised with a scale of ones and the affine
// ops stay.
// CHECK-LABEL: func.func @layer_norm_gamma_argument
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>, %[[G:.*]]: tensor<4xf32>)
// CHECK-DAG: %[[ONES:.*]] = arith.constant dense<1.000000e+00> : tensor<4xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<5.000000e-01> : tensor<4xf32>
// CHECK: %[[LN:.*]] = iq.layer_norm %[[X]], %[[ONES]] axis = 1 epsilon = 9.99999974E-6 : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
// CHECK: %[[S:.*]] = iq.mul %[[LN]], %[[G]] : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
// CHECK: %[[Y:.*]] = iq.add %[[S]], %[[B]] : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
// CHECK: return %[[Y]]
func.func @layer_norm_gamma_argument(%x: tensor<?x4xf32>, %gamma: tensor<4xf32>) -> tensor<?x4xf32> {
  %two = arith.constant dense<2.0> : tensor<f32>
  %eps = arith.constant dense<1.0e-05> : tensor<f32>
  %beta = arith.constant dense<0.5> : tensor<4xf32>
  %mean = iq.reduce_mean %x along [1] keep_dims : tensor<?x4xf32> -> tensor<?x1xf32>
  %c = iq.sub %x, %mean : tensor<?x4xf32>, tensor<?x1xf32> -> tensor<?x4xf32>
  %sq = iq.pow %c, %two : tensor<?x4xf32>, tensor<f32> -> tensor<?x4xf32>
  %var = iq.reduce_mean %sq along [1] keep_dims : tensor<?x4xf32> -> tensor<?x1xf32>
  %ve = iq.add %var, %eps : tensor<?x1xf32>, tensor<f32> -> tensor<?x1xf32>
  %std = iq.sqrt %ve : tensor<?x1xf32>
  %n = iq.div %c, %std : tensor<?x4xf32>, tensor<?x1xf32> -> tensor<?x4xf32>
  %s = iq.mul %n, %gamma : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
  %y = iq.add %s, %beta : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// A gamma that broadcasts the result to a larger shape stays outside.
// CHECK-LABEL: func.func @layer_norm_gamma_broadcasting
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>)
// CHECK-DAG: %[[ONES:.*]] = arith.constant dense<1.000000e+00> : tensor<4xf32>
// CHECK-DAG: %[[G:.*]] = arith.constant dense<2.000000e+00> : tensor<3x1x4xf32>
// CHECK: %[[LN:.*]] = iq.layer_norm %[[X]], %[[ONES]] axis = 1 epsilon = 9.99999974E-6 : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
// CHECK: %[[S:.*]] = iq.mul %[[LN]], %[[G]] : tensor<?x4xf32>, tensor<3x1x4xf32> -> tensor<3x?x4xf32>
// CHECK: return %[[S]]
func.func @layer_norm_gamma_broadcasting(%x: tensor<?x4xf32>) -> tensor<3x?x4xf32> {
  %two = arith.constant dense<2.0> : tensor<f32>
  %eps = arith.constant dense<1.0e-05> : tensor<f32>
  %gamma = arith.constant dense<2.0> : tensor<3x1x4xf32>
  %mean = iq.reduce_mean %x along [1] keep_dims : tensor<?x4xf32> -> tensor<?x1xf32>
  %c = iq.sub %x, %mean : tensor<?x4xf32>, tensor<?x1xf32> -> tensor<?x4xf32>
  %sq = iq.pow %c, %two : tensor<?x4xf32>, tensor<f32> -> tensor<?x4xf32>
  %var = iq.reduce_mean %sq along [1] keep_dims : tensor<?x4xf32> -> tensor<?x1xf32>
  %ve = iq.add %var, %eps : tensor<?x1xf32>, tensor<f32> -> tensor<?x1xf32>
  %std = iq.sqrt %ve : tensor<?x1xf32>
  %n = iq.div %c, %std : tensor<?x4xf32>, tensor<?x1xf32> -> tensor<?x4xf32>
  %s = iq.mul %n, %gamma : tensor<?x4xf32>, tensor<3x1x4xf32> -> tensor<3x?x4xf32>
  return %s : tensor<3x?x4xf32>
}

// -----

// A dynamic normalized dimension: whatever the pass does, it must not build
// a dense constant of dynamic shape (invalid IR).
// Regression (fixed): before the fix, RaiseLayerNormPattern builds `arith.constant dense<1.0> :
// tensor<?xf32>` for the missing scale here.
// CHECK-LABEL: func.func @layer_norm_dynamic_normalized_dim
// CHECK-NOT: arith.constant dense<{{.*}}> : tensor<{{([0-9]+x)*}}?
// CHECK: return
func.func @layer_norm_dynamic_normalized_dim(%x: tensor<2x?xf32>) -> tensor<2x?xf32> {
  %two = arith.constant dense<2.0> : tensor<f32>
  %eps = arith.constant dense<1.0e-05> : tensor<f32>
  %mean = iq.reduce_mean %x along [1] keep_dims : tensor<2x?xf32> -> tensor<2x1xf32>
  %c = iq.sub %x, %mean : tensor<2x?xf32>, tensor<2x1xf32> -> tensor<2x?xf32>
  %sq = iq.pow %c, %two : tensor<2x?xf32>, tensor<f32> -> tensor<2x?xf32>
  %var = iq.reduce_mean %sq along [1] keep_dims : tensor<2x?xf32> -> tensor<2x1xf32>
  %ve = iq.add %var, %eps : tensor<2x1xf32>, tensor<f32> -> tensor<2x1xf32>
  %std = iq.sqrt %ve : tensor<2x1xf32>
  %n = iq.div %c, %std : tensor<2x?xf32>, tensor<2x1xf32> -> tensor<2x?xf32>
  return %n : tensor<2x?xf32>
}

//===----------------------------------------------------------------------===//
// Look-alikes that must NOT be raised.
//===----------------------------------------------------------------------===//

// -----

// Exponent 3 instead of 2.
// CHECK-LABEL: func.func @not_layer_norm_cube
// CHECK-NOT: iq.layer_norm
// CHECK: iq.pow
// CHECK: iq.div
// CHECK-NOT: iq.layer_norm
// CHECK: return
func.func @not_layer_norm_cube(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %three = arith.constant dense<3.0> : tensor<f32>
  %eps = arith.constant dense<1.0e-05> : tensor<f32>
  %mean = iq.reduce_mean %x along [1] keep_dims : tensor<?x4xf32> -> tensor<?x1xf32>
  %c = iq.sub %x, %mean : tensor<?x4xf32>, tensor<?x1xf32> -> tensor<?x4xf32>
  %sq = iq.pow %c, %three : tensor<?x4xf32>, tensor<f32> -> tensor<?x4xf32>
  %var = iq.reduce_mean %sq along [1] keep_dims : tensor<?x4xf32> -> tensor<?x1xf32>
  %ve = iq.add %var, %eps : tensor<?x1xf32>, tensor<f32> -> tensor<?x1xf32>
  %std = iq.sqrt %ve : tensor<?x1xf32>
  %n = iq.div %c, %std : tensor<?x4xf32>, tensor<?x1xf32> -> tensor<?x4xf32>
  return %n : tensor<?x4xf32>
}

// -----

// Reduction over a non-trailing axis.
// CHECK-LABEL: func.func @not_layer_norm_middle_axis
// CHECK-NOT: iq.layer_norm
// CHECK: iq.reduce_mean %{{.*}} along [1] keep_dims
// CHECK: iq.div
// CHECK-NOT: iq.layer_norm
// CHECK: return
func.func @not_layer_norm_middle_axis(%x: tensor<2x8x4xf32>) -> tensor<2x8x4xf32> {
  %two = arith.constant dense<2.0> : tensor<f32>
  %eps = arith.constant dense<1.0e-05> : tensor<f32>
  %mean = iq.reduce_mean %x along [1] keep_dims : tensor<2x8x4xf32> -> tensor<2x1x4xf32>
  %c = iq.sub %x, %mean : tensor<2x8x4xf32>, tensor<2x1x4xf32> -> tensor<2x8x4xf32>
  %sq = iq.pow %c, %two : tensor<2x8x4xf32>, tensor<f32> -> tensor<2x8x4xf32>
  %var = iq.reduce_mean %sq along [1] keep_dims : tensor<2x8x4xf32> -> tensor<2x1x4xf32>
  %ve = iq.add %var, %eps : tensor<2x1x4xf32>, tensor<f32> -> tensor<2x1x4xf32>
  %std = iq.sqrt %ve : tensor<2x1x4xf32>
  %n = iq.div %c, %std : tensor<2x8x4xf32>, tensor<2x1x4xf32> -> tensor<2x8x4xf32>
  return %n : tensor<2x8x4xf32>
}

// -----

// Non-contiguous reduction axes [0, 2].
// CHECK-LABEL: func.func @not_layer_norm_gapped_axes
// CHECK-NOT: iq.layer_norm
// CHECK: iq.div
// CHECK-NOT: iq.layer_norm
// CHECK: return
func.func @not_layer_norm_gapped_axes(%x: tensor<2x8x4xf32>) -> tensor<2x8x4xf32> {
  %two = arith.constant dense<2.0> : tensor<f32>
  %eps = arith.constant dense<1.0e-05> : tensor<f32>
  %mean = iq.reduce_mean %x along [0, 2] keep_dims : tensor<2x8x4xf32> -> tensor<1x8x1xf32>
  %c = iq.sub %x, %mean : tensor<2x8x4xf32>, tensor<1x8x1xf32> -> tensor<2x8x4xf32>
  %sq = iq.pow %c, %two : tensor<2x8x4xf32>, tensor<f32> -> tensor<2x8x4xf32>
  %var = iq.reduce_mean %sq along [0, 2] keep_dims : tensor<2x8x4xf32> -> tensor<1x8x1xf32>
  %ve = iq.add %var, %eps : tensor<1x8x1xf32>, tensor<f32> -> tensor<1x8x1xf32>
  %std = iq.sqrt %ve : tensor<1x8x1xf32>
  %n = iq.div %c, %std : tensor<2x8x4xf32>, tensor<1x8x1xf32> -> tensor<2x8x4xf32>
  return %n : tensor<2x8x4xf32>
}

// -----

// The mean of a different tensor.
// CHECK-LABEL: func.func @not_layer_norm_other_mean
// CHECK-NOT: iq.layer_norm
// CHECK: iq.div
// CHECK-NOT: iq.layer_norm
// CHECK: return
func.func @not_layer_norm_other_mean(%x: tensor<?x4xf32>, %y: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %two = arith.constant dense<2.0> : tensor<f32>
  %eps = arith.constant dense<1.0e-05> : tensor<f32>
  %mean = iq.reduce_mean %y along [1] keep_dims : tensor<?x4xf32> -> tensor<?x1xf32>
  %c = iq.sub %x, %mean : tensor<?x4xf32>, tensor<?x1xf32> -> tensor<?x4xf32>
  %sq = iq.pow %c, %two : tensor<?x4xf32>, tensor<f32> -> tensor<?x4xf32>
  %var = iq.reduce_mean %sq along [1] keep_dims : tensor<?x4xf32> -> tensor<?x1xf32>
  %ve = iq.add %var, %eps : tensor<?x1xf32>, tensor<f32> -> tensor<?x1xf32>
  %std = iq.sqrt %ve : tensor<?x1xf32>
  %n = iq.div %c, %std : tensor<?x4xf32>, tensor<?x1xf32> -> tensor<?x4xf32>
  return %n : tensor<?x4xf32>
}

// -----

// The variance reduces over different axes than the mean.
// CHECK-LABEL: func.func @not_layer_norm_variance_axes
// CHECK-NOT: iq.layer_norm
// CHECK: iq.div
// CHECK-NOT: iq.layer_norm
// CHECK: return
func.func @not_layer_norm_variance_axes(%x: tensor<?x8x4xf32>) -> tensor<?x8x4xf32> {
  %two = arith.constant dense<2.0> : tensor<f32>
  %eps = arith.constant dense<1.0e-05> : tensor<f32>
  %mean = iq.reduce_mean %x along [2] keep_dims : tensor<?x8x4xf32> -> tensor<?x8x1xf32>
  %c = iq.sub %x, %mean : tensor<?x8x4xf32>, tensor<?x8x1xf32> -> tensor<?x8x4xf32>
  %sq = iq.pow %c, %two : tensor<?x8x4xf32>, tensor<f32> -> tensor<?x8x4xf32>
  %var = iq.reduce_mean %sq along [1, 2] keep_dims : tensor<?x8x4xf32> -> tensor<?x1x1xf32>
  %ve = iq.add %var, %eps : tensor<?x1x1xf32>, tensor<f32> -> tensor<?x1x1xf32>
  %std = iq.sqrt %ve : tensor<?x1x1xf32>
  %n = iq.div %c, %std : tensor<?x8x4xf32>, tensor<?x1x1xf32> -> tensor<?x8x4xf32>
  return %n : tensor<?x8x4xf32>
}

// -----

// A mean without keep_dims broadcasts along the wrong dimension.
// CHECK-LABEL: func.func @not_layer_norm_no_keep_dims
// CHECK-NOT: iq.layer_norm
// CHECK: iq.div
// CHECK-NOT: iq.layer_norm
// CHECK: return
func.func @not_layer_norm_no_keep_dims(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %two = arith.constant dense<2.0> : tensor<f32>
  %eps = arith.constant dense<1.0e-05> : tensor<f32>
  %mean = iq.reduce_mean %x along [1] : tensor<4x4xf32> -> tensor<4xf32>
  %c = iq.sub %x, %mean : tensor<4x4xf32>, tensor<4xf32> -> tensor<4x4xf32>
  %sq = iq.pow %c, %two : tensor<4x4xf32>, tensor<f32> -> tensor<4x4xf32>
  %var = iq.reduce_mean %sq along [1] : tensor<4x4xf32> -> tensor<4xf32>
  %ve = iq.add %var, %eps : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
  %std = iq.sqrt %ve : tensor<4xf32>
  %n = iq.div %c, %std : tensor<4x4xf32>, tensor<4xf32> -> tensor<4x4xf32>
  return %n : tensor<4x4xf32>
}

// -----

// The variance squares x instead of x - mean.
// CHECK-LABEL: func.func @not_layer_norm_square_of_x
// CHECK-NOT: iq.layer_norm
// CHECK: iq.div
// CHECK-NOT: iq.layer_norm
// CHECK: return
func.func @not_layer_norm_square_of_x(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %two = arith.constant dense<2.0> : tensor<f32>
  %eps = arith.constant dense<1.0e-05> : tensor<f32>
  %mean = iq.reduce_mean %x along [1] keep_dims : tensor<?x4xf32> -> tensor<?x1xf32>
  %c = iq.sub %x, %mean : tensor<?x4xf32>, tensor<?x1xf32> -> tensor<?x4xf32>
  %sq = iq.pow %x, %two : tensor<?x4xf32>, tensor<f32> -> tensor<?x4xf32>
  %var = iq.reduce_mean %sq along [1] keep_dims : tensor<?x4xf32> -> tensor<?x1xf32>
  %ve = iq.add %var, %eps : tensor<?x1xf32>, tensor<f32> -> tensor<?x1xf32>
  %std = iq.sqrt %ve : tensor<?x1xf32>
  %n = iq.div %c, %std : tensor<?x4xf32>, tensor<?x1xf32> -> tensor<?x4xf32>
  return %n : tensor<?x4xf32>
}

// -----

// (x - mean) * x is not a square.
// CHECK-LABEL: func.func @not_layer_norm_mixed_product
// CHECK-NOT: iq.layer_norm
// CHECK: iq.div
// CHECK-NOT: iq.layer_norm
// CHECK: return
func.func @not_layer_norm_mixed_product(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %eps = arith.constant dense<1.0e-05> : tensor<f32>
  %mean = iq.reduce_mean %x along [1] keep_dims : tensor<?x4xf32> -> tensor<?x1xf32>
  %c = iq.sub %x, %mean : tensor<?x4xf32>, tensor<?x1xf32> -> tensor<?x4xf32>
  %sq = iq.mul %c, %x : tensor<?x4xf32>, tensor<?x4xf32> -> tensor<?x4xf32>
  %var = iq.reduce_mean %sq along [1] keep_dims : tensor<?x4xf32> -> tensor<?x1xf32>
  %ve = iq.add %var, %eps : tensor<?x1xf32>, tensor<f32> -> tensor<?x1xf32>
  %std = iq.sqrt %ve : tensor<?x1xf32>
  %n = iq.div %c, %std : tensor<?x4xf32>, tensor<?x1xf32> -> tensor<?x4xf32>
  return %n : tensor<?x4xf32>
}

// -----

// mean - x instead of x - mean.
// CHECK-LABEL: func.func @not_layer_norm_reversed_sub
// CHECK-NOT: iq.layer_norm
// CHECK: iq.div
// CHECK-NOT: iq.layer_norm
// CHECK: return
func.func @not_layer_norm_reversed_sub(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %two = arith.constant dense<2.0> : tensor<f32>
  %eps = arith.constant dense<1.0e-05> : tensor<f32>
  %mean = iq.reduce_mean %x along [1] keep_dims : tensor<?x4xf32> -> tensor<?x1xf32>
  %c = iq.sub %mean, %x : tensor<?x1xf32>, tensor<?x4xf32> -> tensor<?x4xf32>
  %sq = iq.pow %c, %two : tensor<?x4xf32>, tensor<f32> -> tensor<?x4xf32>
  %var = iq.reduce_mean %sq along [1] keep_dims : tensor<?x4xf32> -> tensor<?x1xf32>
  %ve = iq.add %var, %eps : tensor<?x1xf32>, tensor<f32> -> tensor<?x1xf32>
  %std = iq.sqrt %ve : tensor<?x1xf32>
  %n = iq.div %c, %std : tensor<?x4xf32>, tensor<?x1xf32> -> tensor<?x4xf32>
  return %n : tensor<?x4xf32>
}

// -----

// A negative or non-constant epsilon.
// CHECK-LABEL: func.func @not_layer_norm_bad_epsilon
// CHECK-NOT: iq.layer_norm
// CHECK: iq.div
// CHECK: iq.div
// CHECK-NOT: iq.layer_norm
// CHECK: return
func.func @not_layer_norm_bad_epsilon(%x: tensor<?x4xf32>, %e: tensor<f32>) -> (tensor<?x4xf32>, tensor<?x4xf32>) {
  %two = arith.constant dense<2.0> : tensor<f32>
  %eps = arith.constant dense<-1.0e-05> : tensor<f32>
  %mean = iq.reduce_mean %x along [1] keep_dims : tensor<?x4xf32> -> tensor<?x1xf32>
  %c = iq.sub %x, %mean : tensor<?x4xf32>, tensor<?x1xf32> -> tensor<?x4xf32>
  %sq = iq.pow %c, %two : tensor<?x4xf32>, tensor<f32> -> tensor<?x4xf32>
  %var = iq.reduce_mean %sq along [1] keep_dims : tensor<?x4xf32> -> tensor<?x1xf32>
  %ve = iq.add %var, %eps : tensor<?x1xf32>, tensor<f32> -> tensor<?x1xf32>
  %std = iq.sqrt %ve : tensor<?x1xf32>
  %n = iq.div %c, %std : tensor<?x4xf32>, tensor<?x1xf32> -> tensor<?x4xf32>
  %ve2 = iq.add %var, %e : tensor<?x1xf32>, tensor<f32> -> tensor<?x1xf32>
  %std2 = iq.sqrt %ve2 : tensor<?x1xf32>
  %n2 = iq.div %c, %std2 : tensor<?x4xf32>, tensor<?x1xf32> -> tensor<?x4xf32>
  return %n, %n2 : tensor<?x4xf32>, tensor<?x4xf32>
}

// -----

// No sqrt: divides by the variance.
// CHECK-LABEL: func.func @not_layer_norm_no_sqrt
// CHECK-NOT: iq.layer_norm
// CHECK: iq.div
// CHECK-NOT: iq.layer_norm
// CHECK: return
func.func @not_layer_norm_no_sqrt(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %two = arith.constant dense<2.0> : tensor<f32>
  %eps = arith.constant dense<1.0e-05> : tensor<f32>
  %mean = iq.reduce_mean %x along [1] keep_dims : tensor<?x4xf32> -> tensor<?x1xf32>
  %c = iq.sub %x, %mean : tensor<?x4xf32>, tensor<?x1xf32> -> tensor<?x4xf32>
  %sq = iq.pow %c, %two : tensor<?x4xf32>, tensor<f32> -> tensor<?x4xf32>
  %var = iq.reduce_mean %sq along [1] keep_dims : tensor<?x4xf32> -> tensor<?x1xf32>
  %ve = iq.add %var, %eps : tensor<?x1xf32>, tensor<f32> -> tensor<?x1xf32>
  %n = iq.div %c, %ve : tensor<?x4xf32>, tensor<?x1xf32> -> tensor<?x4xf32>
  return %n : tensor<?x4xf32>
}
