// RUN: iqc-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(iq-lower-quantized,canonicalize))' | FileCheck %s
// RUN: iqc-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(iq-lower-quantized{softmax-rounding=floor}))' | FileCheck %s --check-prefix=FLOOR

// Dyadic constants worked out by hand (ratio = m * 2^-e, |m| in [2^30, 2^31)):
//   2^-10 -> 2^-4: ratio 2^-6 = 0.5 * 2^-5: m = 2^30, e = 31 + 5 = 36
//   3 * 2^-11 -> 2^-4: ratio 0.75 * 2^-5: m = 0.75 * 2^31 = 1610612736, e = 36

// CHECK-LABEL: func.func @rescale
// CHECK: iq.requant %{{.*}} multipliers = [1073741824] shifts = [36] : tensor<4x2xi32> -> tensor<4x2xi8>
// CHECK: iq.requant %{{.*}} multipliers = [1073741824, 1610612736] shifts = [36, 36] axis = 1 : tensor<4x2xi32> -> tensor<4x2xi8>
func.func @rescale(%a: tensor<4x2x!quant.uniform<i32:f32, 0.0009765625>>, %b: tensor<4x2x!quant.uniform<i32:f32:1, {0.0009765625, 0.00146484375}>>) -> (tensor<4x2x!quant.uniform<i8:f32, 0.0625>>, tensor<4x2x!quant.uniform<i8:f32, 0.0625>>) {
  %0 = iq.rescale %a : tensor<4x2x!quant.uniform<i32:f32, 0.0009765625>> -> tensor<4x2x!quant.uniform<i8:f32, 0.0625>>
  %1 = iq.rescale %b : tensor<4x2x!quant.uniform<i32:f32:1, {0.0009765625, 0.00146484375}>> -> tensor<4x2x!quant.uniform<i8:f32, 0.0625>>
  return %0, %1 : tensor<4x2x!quant.uniform<i8:f32, 0.0625>>, tensor<4x2x!quant.uniform<i8:f32, 0.0625>>
}

// -----

// Residual add into a 22-bit result at 2^-8: lhs 2^-4 -> ratio 2^4 =
// 0.5 * 2^5 (m = 2^30, e = 26); rhs 2^-10 -> ratio 2^-2 = 0.5 * 2^-1
// (m = 2^30, e = 32); the 22-bit range becomes the clamp.

// CHECK-LABEL: func.func @residual
// CHECK: %[[Y:.*]] = iq.iadd %{{.*}}{{\[\[}}1073741824], [26]], %{{.*}}{{\[\[}}1073741824], [32]] clamp = [-2097152, 2097151] : tensor<4x2xi8>, tensor<4x2xi32> -> tensor<4x2xi32>
// CHECK: quant.scast %[[Y]] : tensor<4x2xi32> to tensor<4x2x!quant.uniform<i32<-2097152:2097151>:f32, 3.906250e-03>>
func.func @residual(%a: tensor<4x2x!quant.uniform<i8:f32, 0.0625>>, %b: tensor<4x2x!quant.uniform<i32:f32, 0.0009765625>>) -> tensor<4x2x!quant.uniform<i32<-2097152:2097151>:f32, 0.00390625>> {
  %0 = iq.add %a, %b : tensor<4x2x!quant.uniform<i8:f32, 0.0625>>, tensor<4x2x!quant.uniform<i32:f32, 0.0009765625>> -> tensor<4x2x!quant.uniform<i32<-2097152:2097151>:f32, 0.00390625>>
  return %0 : tensor<4x2x!quant.uniform<i32<-2097152:2097151>:f32, 0.00390625>>
}

// -----

// i-GELU: at S = 2^-14 (<= 3e-4) directly, b = floor(-1.769 / (S / 1.4142))
// = -40989; at S = 2^-8 the input is shifted up by k = 4 first (2^-12 <=
// 3e-4 < 2^-11): a requant by 2^30 * 2^-(30-4). The product has a negative
// scale, so the output requant has a negative multiplier.

// CHECK-LABEL: func.func @gelu
// CHECK: iq.igelu %{{.*}} b = [-40989]
// CHECK: iq.requant %{{.*}} multipliers = [-{{[0-9]+}}] shifts = [{{[0-9]+}}] : tensor<4x2xi64> -> tensor<4x2xi8>
// CHECK: %[[UP:.*]] = iq.requant %{{.*}} multipliers = [1073741824] shifts = [26] : tensor<4x2xi32> -> tensor<4x2xi32>
// CHECK: iq.igelu %[[UP]]
func.func @gelu(%a: tensor<4x2x!quant.uniform<i32:f32, 6.103515625e-05>>, %b: tensor<4x2x!quant.uniform<i32:f32, 0.00390625>>) -> (tensor<4x2x!quant.uniform<i8:f32, 0.02>>, tensor<4x2x!quant.uniform<i8:f32, 0.02>>) {
  %0 = iq.gelu %a : tensor<4x2x!quant.uniform<i32:f32, 6.103515625e-05>> -> tensor<4x2x!quant.uniform<i8:f32, 0.02>>
  %1 = iq.gelu %b : tensor<4x2x!quant.uniform<i32:f32, 0.00390625>> -> tensor<4x2x!quant.uniform<i8:f32, 0.02>>
  return %0, %1 : tensor<4x2x!quant.uniform<i8:f32, 0.02>>, tensor<4x2x!quant.uniform<i8:f32, 0.02>>
}

// -----

// i-softmax at S = 2^-12: x0 = floor(-0.6931 * 4096) = -2839,
// b = floor(2.70733 * 4096) = 11089, c = floor(2.79211 * 2^24) = 46843912.

// CHECK-LABEL: func.func @softmax
// CHECK: %[[P:.*]] = iq.isoftmax %{{.*}} mask(%arg1 : tensor<4x1x4xi1>) x0 = -2839 b = 11089 c = 46843912 multiplier = {{[0-9]+}} shift = {{[0-9]+}} nearest : tensor<4x4x4xi32> -> tensor<4x4x4xui8>
// CHECK: tensor.bitcast %[[P]] : tensor<4x4x4xui8> to tensor<4x4x4xi8>
// FLOOR-LABEL: func.func @softmax
// FLOOR: iq.isoftmax {{.*}} shift = {{[0-9]+}} : tensor<4x4x4xi32> -> tensor<4x4x4xui8>
func.func @softmax(%a: tensor<4x4x4x!quant.uniform<i32:f32, 0.000244140625>>, %m: tensor<4x1x4xi1>) -> tensor<4x4x4x!quant.uniform<u8:f32, 0.00390625>> {
  %0 = iq.softmax %a mask(%m : tensor<4x1x4xi1>) axis = 2 : tensor<4x4x4x!quant.uniform<i32:f32, 0.000244140625>> -> tensor<4x4x4x!quant.uniform<u8:f32, 0.00390625>>
  return %0 : tensor<4x4x4x!quant.uniform<u8:f32, 0.00390625>>
}

// -----

// i-LayerNorm: gamma = 1, beta = 0 give a zero bias; the calibrated shift
// passes through; a 16-bit input is widened to i32 first.

// CHECK-LABEL: func.func @layer_norm
// CHECK: %[[W:.*]] = iq.cast %{{.*}} : tensor<4x2xi16> -> tensor<4x2xi32>
// CHECK: iq.ilayernorm %[[W]] shift = 5 bias = [0, 0] multipliers = [{{[0-9]+}}, {{[0-9]+}}] shifts = [{{[0-9]+}}, {{[0-9]+}}] : tensor<4x2xi32> -> tensor<4x2xi8>
func.func @layer_norm(%a: tensor<4x2x!quant.uniform<i16:f32, 0.001>>) -> tensor<4x2x!quant.uniform<i8:f32, 0.03>> {
  %g = arith.constant dense<1.0> : tensor<2xf32>
  %b = arith.constant dense<0.0> : tensor<2xf32>
  %0 = iq.layer_norm %a, %g, %b axis = 1 epsilon = 1.0e-12 variance_shift = 5 : tensor<4x2x!quant.uniform<i16:f32, 0.001>>, tensor<2xf32>, tensor<2xf32> -> tensor<4x2x!quant.uniform<i8:f32, 0.03>>
  return %0 : tensor<4x2x!quant.uniform<i8:f32, 0.03>>
}

// -----

// tanh = 2 sigmoid(2x) - 1 on integers, contractions on storage types.

// CHECK-LABEL: func.func @pooler
// CHECK: %[[ACC:.*]] = iq.linear %{{.*}} : tensor<4x2xi8>, tensor<2x2xi8>, tensor<2xi32> -> tensor<4x2xi32>
// CHECK: %[[S:.*]] = iq.isigmoid
// CHECK: %[[T:.*]] = iq.add %[[S]], %[[S]] : tensor<4x2xi32>, tensor<4x2xi32>
// CHECK: iq.sub %[[T]], %{{.*}} : tensor<4x2xi32>, tensor<i32>
// CHECK: iq.requant {{.*}} -> tensor<4x2xi8>
// CHECK: iq.matmul %{{.*}} : tensor<4x2xui8>, tensor<2x2xi8> -> tensor<4x2xi32>
func.func @pooler(%x: tensor<4x2x!quant.uniform<i8:f32, 0.05>>, %w: tensor<2x2x!quant.uniform<i8<-127:127>:f32:1, {0.01, 0.02}>>, %b: tensor<2x!quant.uniform<i32:f32:0, {5.0e-4, 1.0e-3}>>, %p: tensor<4x2x!quant.uniform<u8:f32, 0.00390625>>, %v: tensor<2x2x!quant.uniform<i8:f32, 0.1>>) -> (tensor<4x2x!quant.uniform<i8:f32, 0.007874015748031496>>, tensor<4x2x!quant.uniform<i32:f32, 0.000390625>>) {
  %0 = iq.linear %x, %w, %b : tensor<4x2x!quant.uniform<i8:f32, 0.05>>, tensor<2x2x!quant.uniform<i8<-127:127>:f32:1, {0.01, 0.02}>>, tensor<2x!quant.uniform<i32:f32:0, {5.0e-4, 1.0e-3}>> -> tensor<4x2x!quant.uniform<i32:f32:1, {5.0e-4, 1.0e-3}>>
  %1 = iq.tanh %0 : tensor<4x2x!quant.uniform<i32:f32:1, {5.0e-4, 1.0e-3}>> -> tensor<4x2x!quant.uniform<i8:f32, 0.007874015748031496>>
  %2 = iq.matmul %p, %v : tensor<4x2x!quant.uniform<u8:f32, 0.00390625>>, tensor<2x2x!quant.uniform<i8:f32, 0.1>> -> tensor<4x2x!quant.uniform<i32:f32, 0.000390625>>
  return %1, %2 : tensor<4x2x!quant.uniform<i8:f32, 0.007874015748031496>>, tensor<4x2x!quant.uniform<i32:f32, 0.000390625>>
}
