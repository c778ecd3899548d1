// RUN: iqc-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(iq-quantize{ranges=%S/Inputs/quantize-ranges.json}))' | FileCheck %s

// Scales worked out by hand from Inputs/quantize-ranges.json:
//   x: max(|-1.27|, 0.5) / 127 = 0.01 (int8 in [-127, 127] at the input);
//   weight columns: max |w| 1.27 and 0.635 -> 0.01, 0.005 per channel
//   (from the f32 constants: 0.0099999998...);
//   accumulator and bias: 0.01 * {0.01, 0.005} = {1e-4, 5e-5};
//   bias [0.5, -0.25] -> [5000, -5000];
//   gelu: 2.54 / 127 = 0.02; residual add of x and an accumulator (22 bits):
//   2.097151 / (2^21 - 1) = 1e-6; layer norm output: 1.27 / 127 = 0.01;
//   variance shift: 4.0 / 1e-12 = 4e12 is below 2^32 * 4^s first for s = 5,
//   plus the margin 1 = 6.

// CHECK-LABEL: func.func @block
// CHECK: %[[Q:.*]] = quant.qcast %arg0 : tensor<?x2xf32> to tensor<?x2x!quant.uniform<i8<-127:127>:f32, 1.000000e-02>>
// CHECK: %[[W:.*]] = arith.constant dense<{{\[\[}}127, -127], [-127, 127]]> : tensor<2x2xi8>
// CHECK: %[[WQ:.*]] = quant.scast %[[W]] : tensor<2x2xi8> to tensor<2x2x!quant.uniform<i8<-127:127>:f32:1, {0.0099999998{{[0-9]*}},0.0049999999{{[0-9]*}}}>>
// CHECK: %[[B:.*]] = arith.constant dense<[5000, -5000]> : tensor<2xi32>
// CHECK: %[[BQ:.*]] = quant.scast %[[B]] : tensor<2xi32> to tensor<2x!quant.uniform<i32:f32:0, {9.99999{{[0-9]*}}E-5,4.99999{{[0-9]*}}E-5}>>
// CHECK: %[[ACC:.*]] = iq.linear %[[Q]], %[[WQ]], %[[BQ]] : {{.*}} -> tensor<?x2x!quant.uniform<i32:f32:1, {9.99999{{[0-9]*}}E-5,4.99999{{[0-9]*}}E-5}>>
// CHECK: %[[G:.*]] = iq.gelu %[[ACC]] : {{.*}} -> tensor<?x2x!quant.uniform<i8:f32, 2.000000e-02>>
// CHECK: %[[ACC2:.*]] = iq.linear %[[G]], %{{.*}} : {{.*}} -> tensor<?x2x!quant.uniform<i32:f32:1, {{.*}}>>
// CHECK: %[[R:.*]] = iq.add %[[Q]], %[[ACC2]] : {{.*}} -> tensor<?x2x!quant.uniform<i32<-2097152:2097151>:f32, {{(1.000000e-06|1.0000000000000002E-6)}}>>
// CHECK: %[[LN:.*]] = iq.layer_norm %[[R]], %{{.*}}, %{{.*}} axis = 1 epsilon = {{.*}} variance_shift = 6 : {{.*}} -> tensor<?x2x!quant.uniform<i8:f32, 1.000000e-02>>
// CHECK: %[[OUT:.*]] = quant.dcast %[[LN]] : {{.*}} to tensor<?x2xf32>
// CHECK: return %[[OUT]]
// CHECK-NOT: xf32>, tensor<2x2xf32>
func.func @block(%x: tensor<?x2xf32> {iq.name = "x"}) -> tensor<?x2xf32> {
  %w = arith.constant dense<[[1.27, -0.635], [-1.27, 0.635]]> : tensor<2x2xf32>
  %b = arith.constant dense<[0.5, -0.25]> : tensor<2xf32>
  %w2 = arith.constant dense<[[0.5, 0.25], [0.25, 0.5]]> : tensor<2x2xf32>
  %g = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %beta = arith.constant dense<[0.0, 0.1]> : tensor<2xf32>
  %0 = iq.linear %x, %w, %b : tensor<?x2xf32>, tensor<2x2xf32>, tensor<2xf32> -> tensor<?x2xf32> loc("lin")
  %1 = iq.gelu %0 : tensor<?x2xf32> loc("gelu")
  %2 = iq.linear %1, %w2 : tensor<?x2xf32>, tensor<2x2xf32> -> tensor<?x2xf32> loc("lin2")
  %3 = iq.add %x, %2 : tensor<?x2xf32>, tensor<?x2xf32> -> tensor<?x2xf32> loc("res")
  %4 = iq.layer_norm %3, %g, %beta axis = 1 epsilon = 1.0e-12 : tensor<?x2xf32>, tensor<2xf32>, tensor<2xf32> -> tensor<?x2xf32> loc("ln")
  return %4 : tensor<?x2xf32>
}

// -----

// Attention: the 1/sqrt(d) division becomes the logits' scale (0.01 * 0.02
// / 2 = 1e-4), BERT's additive mask the softmax's i1 mask (m != 0); the
// float mask arithmetic is erased. P (u8, 2^-8) x V is rescaled to int8 for
// the reshape: ctx 0.635 / 127 = 0.005.

// CHECK-LABEL: func.func @attention
// CHECK-DAG: %[[QQ:.*]] = quant.qcast %arg0 : {{.*}} to tensor<?x4x2x!quant.uniform<i8<-127:127>:f32, 1.000000e-02>>
// CHECK-DAG: %[[KQ:.*]] = quant.qcast %arg1 : {{.*}} to tensor<?x2x4x!quant.uniform<i8<-127:127>:f32, 2.000000e-02>>
// CHECK: %[[S:.*]] = iq.matmul %[[QQ]], %[[KQ]] : {{.*}} -> tensor<?x4x4x!quant.uniform<i32:f32, 2.000000e-04>>
// CHECK: %[[I:.*]] = quant.scast %[[S]] : {{.*}} to tensor<?x4x4xi32>
// CHECK: %[[SS:.*]] = quant.scast %[[I]] : tensor<?x4x4xi32> to tensor<?x4x4x!quant.uniform<i32:f32, 1.000000e-04>>
// CHECK: %[[KEEP:.*]] = iq.cast %arg3 : tensor<?x1x4xi64> -> tensor<?x1x4xi1>
// CHECK: %[[P:.*]] = iq.softmax %[[SS]] mask(%[[KEEP]] : tensor<?x1x4xi1>) axis = 2 : {{.*}} -> tensor<?x4x4x!quant.uniform<u8:f32, 3.906250e-03>>
// CHECK: %[[C:.*]] = iq.matmul %[[P]], %{{.*}} : {{.*}} -> tensor<?x4x2x!quant.uniform<i32:f32, {{.*}}>>
// CHECK: %[[C8:.*]] = iq.rescale %[[C]] : {{.*}} -> tensor<?x4x2x!quant.uniform<i8:f32, 5.000000e-03>>
// CHECK: quant.scast %[[C8]]
// CHECK: tensor.collapse_shape {{.*}} : tensor<?x4x2xi8> into tensor<?x8xi8>
// CHECK-NOT: iq.sub
// CHECK-NOT: iq.mul
func.func @attention(%q: tensor<?x4x2xf32> {iq.name = "q"}, %k: tensor<?x2x4xf32> {iq.name = "k"}, %v: tensor<?x4x2xf32> {iq.name = "x"}, %m: tensor<?x1x4xi64>) -> tensor<?x8xf32> {
  %c2 = arith.constant dense<2.0> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %big = arith.constant dense<-10000.0> : tensor<f32>
  %0 = iq.matmul %q, %k : tensor<?x4x2xf32>, tensor<?x2x4xf32> -> tensor<?x4x4xf32> loc("scores")
  %1 = iq.div %0, %c2 : tensor<?x4x4xf32>, tensor<f32> -> tensor<?x4x4xf32> loc("div")
  %mf = iq.cast %m : tensor<?x1x4xi64> -> tensor<?x1x4xf32>
  %2 = iq.sub %one, %mf : tensor<f32>, tensor<?x1x4xf32> -> tensor<?x1x4xf32>
  %3 = iq.mul %2, %big : tensor<?x1x4xf32>, tensor<f32> -> tensor<?x1x4xf32>
  %4 = iq.add %1, %3 : tensor<?x4x4xf32>, tensor<?x1x4xf32> -> tensor<?x4x4xf32> loc("masked")
  %5 = iq.softmax %4 axis = 2 : tensor<?x4x4xf32> loc("probs")
  %6 = iq.matmul %5, %v : tensor<?x4x4xf32>, tensor<?x4x2xf32> -> tensor<?x4x2xf32> loc("ctx")
  %7 = tensor.collapse_shape %6 [[0], [1, 2]] : tensor<?x4x2xf32> into tensor<?x8xf32>
  return %7 : tensor<?x8xf32>
}
