// RUN: iqc-opt %s --iqc-cpu-lower-int8-contractions --canonicalize --symbol-dce | FileCheck %s

#mk = affine_map<(m, n, k) -> (m, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
#bmk = affine_map<(b, m, n, k) -> (b, m, k)>
#bkn = affine_map<(b, m, n, k) -> (b, k, n)>
#bmn = affine_map<(b, m, n, k) -> (b, m, n)>

// A constant weight is packed at compile time ([N/32][K/4][32][4] bytes as
// i32 words: 4 columns x 2 k-quads -> 1 x 2 x 32 words) next to
// 128 * colsum: column 0 holds 1, 2, 3, 4, 5 -> 128 * 15 = 1920, the other
// columns 0. The row-major weight is gone.
// CHECK-DAG: memref.global "private" constant @w_vnni32 : memref<64xi32> = dense_resource<w_vnni32> {alignment = 64 : i64}
// CHECK-DAG: memref.global "private" constant @w_corr32 : memref<32xi32> = dense<[1920, 0, {{.*}}]> {alignment = 64 : i64}
// CHECK-NOT: memref.global "private" constant @w :
memref.global "private" constant @w : memref<5x4xi8> = dense<[[1, 0, 0, 0], [2, 0, 0, 0], [3, 0, 0, 0], [4, 0, 0, 0], [5, 0, 0, 0]]>

// CHECK-LABEL: func.func @linear
// CHECK-DAG: %[[FLIP:.*]] = arith.constant -128 : i8
// CHECK-DAG: %[[A:.*]] = memref.alloc({{.*}}) {alignment = 64 : i64} : memref<?xi8>
// CHECK: memref.get_global @w_vnni32
// CHECK: memref.get_global @w_corr32
// CHECK: call @__iqc_i8_pack_lhs({{.*}}, {{.*}}, %[[FLIP]])
// CHECK: call @__iqc_i8_gemm_s8_8x32(
// CHECK: memref.dealloc %[[A]]
// CHECK-NOT: linalg.generic
func.func @linear(%x: memref<?x5xi8>, %c: memref<?x4xi32>) {
  %w = memref.get_global @w : memref<5x4xi8>
  linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<?x5xi8>, memref<5x4xi8>) outs(%c : memref<?x4xi32>) {
  ^bb0(%a: i8, %b: i8, %acc: i32):
    %0 = arith.extsi %a : i8 to i32
    %1 = arith.extsi %b : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %acc, %2 : i32
    linalg.yield %3 : i32
  }
  return
}

// Attention's P x V: an unsigned lhs (no sign flip, no correction) and a
// run-time rhs packed per batch.
// CHECK-LABEL: func.func @context
// CHECK: arith.constant 0 : i8
// CHECK: scf.for
// CHECK: memref.subview
// CHECK: call @__iqc_i8_pack_lhs
// CHECK: call @__iqc_i8_pack_rhs32
// CHECK: call @__iqc_i8_gemm_u8_8x32
func.func @context(%p: memref<?x?x?xi8>, %v: memref<?x?x64xi8>, %c: memref<?x?x64xi32>) {
  linalg.generic {indexing_maps = [#bmk, #bkn, #bmn], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%p, %v : memref<?x?x?xi8>, memref<?x?x64xi8>) outs(%c : memref<?x?x64xi32>) {
  ^bb0(%a: i8, %b: i8, %acc: i32):
    %0 = arith.extui %a : i8 to i32
    %1 = arith.extsi %b : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %acc, %2 : i32
    linalg.yield %3 : i32
  }
  return
}

// Not the kernel's: an unsigned rhs stays a generic.
// CHECK-LABEL: func.func @unsigned_rhs
// CHECK: linalg.generic
func.func @unsigned_rhs(%x: memref<4x4xi8>, %w: memref<4x4xi8>, %c: memref<4x4xi32>) {
  linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<4x4xi8>, memref<4x4xi8>) outs(%c : memref<4x4xi32>) {
  ^bb0(%a: i8, %b: i8, %acc: i32):
    %0 = arith.extsi %a : i8 to i32
    %1 = arith.extui %b : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %acc, %2 : i32
    linalg.yield %3 : i32
  }
  return
}

// The kernel: vpdpbusd on 16 x i32 accumulators.
// CHECK-LABEL: func.func private @__iqc_i8_gemm_s8_8x32
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"({{.*}}) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
