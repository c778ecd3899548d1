// RUN: iqc-opt %s --pass-pipeline='builtin.module(func.func(iq-strip-qdq))' | FileCheck %s

// A QDQ pair (as the importer builds it: qcast, storage casts, dcast)
// becomes its input; a dequantized per-channel weight becomes float
// constants: (q - zp) * scale = [[-2 * 0.5, 4 * 0.25], [6 * 0.5, -8 * 0.25]].

// CHECK-LABEL: func.func @qdq
// CHECK-SAME: (%[[X:.*]]: tensor<2x2xf32>)
// CHECK: %[[W:.*]] = arith.constant dense<{{\[\[}}-1.000000e+00, 1.000000e+00], [3.000000e+00, -2.000000e+00]]> : tensor<2x2xf32>
// CHECK: %[[Y:.*]] = iq.matmul %[[X]], %[[W]]
// CHECK-NOT: quant.
// CHECK: return %[[Y]]
func.func @qdq(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %0 = quant.qcast %x : tensor<2x2xf32> to tensor<2x2x!quant.uniform<u8:f32, 0.02:128>>
  %1 = quant.scast %0 : tensor<2x2x!quant.uniform<u8:f32, 0.02:128>> to tensor<2x2xi8>
  %2 = quant.scast %1 : tensor<2x2xi8> to tensor<2x2x!quant.uniform<u8:f32, 0.02:128>>
  %3 = quant.dcast %2 : tensor<2x2x!quant.uniform<u8:f32, 0.02:128>> to tensor<2x2xf32>
  %w = arith.constant dense<[[-2, 4], [6, -8]]> : tensor<2x2xi8>
  %4 = quant.scast %w : tensor<2x2xi8> to tensor<2x2x!quant.uniform<i8:f32:1, {0.5, 0.25}>>
  %5 = quant.dcast %4 : tensor<2x2x!quant.uniform<i8:f32:1, {0.5, 0.25}>> to tensor<2x2xf32>
  %6 = iq.matmul %3, %5 : tensor<2x2xf32>, tensor<2x2xf32> -> tensor<2x2xf32>
  return %6 : tensor<2x2xf32>
}
