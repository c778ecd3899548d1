// RUN: iqc-opt %s --iqc-cpu-outline-loops='min-ops=1' | FileCheck %s

// Each top-level loop nest becomes a private noinline function taking the
// memrefs and sizes it uses; index constants are cloned into it.
// CHECK-LABEL: func.func @model
// CHECK-SAME: (%[[A:.*]]: memref<?xf32>, %[[B:.*]]: memref<?xf32>)
// CHECK: %[[N:.*]] = memref.dim %[[A]]
// CHECK: call @model_loop0(%[[N]], %[[A]], %[[B]])
// CHECK: call @model_loop1(%[[N]], %[[B]])
// CHECK-NEXT: return
// CHECK: func.func private @model_loop0(%{{.*}}: index, %{{.*}}: memref<?xf32>, %{{.*}}: memref<?xf32>) attributes {passthrough = ["noinline"]}
// CHECK: arith.constant 0 : index
// CHECK: scf.for
// CHECK: func.func private @model_loop1
func.func @model(%a: memref<?xf32>, %b: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %a, %c0 : memref<?xf32>
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %a[%i] : memref<?xf32>
    memref.store %x, %b[%i] : memref<?xf32>
  }
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %b[%i] : memref<?xf32>
    %y = arith.addf %x, %x : f32
    memref.store %y, %b[%i] : memref<?xf32>
  }
  return
}
