// RUN: iqc-opt %s --iqc-convert-to-signless | FileCheck %s

// Types, constants and the function signature lose their signedness; the
// bitcasts between ui8 and i8 disappear.
// CHECK-LABEL: func.func @f(%{{.*}}: tensor<3xi8>) -> tensor<3xi8>
// CHECK: arith.constant dense<[1, 2, -1]> : tensor<3xi8>
// CHECK-NOT: tensor.bitcast
// CHECK-NOT: ui8
func.func @f(%x: tensor<3xui8>) -> tensor<3xui8> {
  %c = arith.constant dense<[1, 2, 255]> : tensor<3xui8>
  %0 = tensor.bitcast %x : tensor<3xui8> to tensor<3xi8>
  %1 = tensor.bitcast %c : tensor<3xui8> to tensor<3xi8>
  %2 = arith.addi %0, %1 : tensor<3xi8>
  %3 = tensor.bitcast %2 : tensor<3xi8> to tensor<3xui8>
  return %3 : tensor<3xui8>
}
