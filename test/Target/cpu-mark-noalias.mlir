// RUN: iqc-opt %s --split-input-file --verify-diagnostics --iqc-cpu-mark-noalias | FileCheck %s

// The recorded positions (aligned pointers of lowered memrefs) become
// llvm.noalias; the record is removed.
// CHECK-LABEL: llvm.func @f_loop0
// CHECK-SAME: (%{{.*}}: i64, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr {llvm.noalias}, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64)
// CHECK-NOT: iqc.noalias_slots
// CHECK-SAME: passthrough = ["noinline"]
llvm.func @f_loop0(%n: i64, %a0: !llvm.ptr, %a1: !llvm.ptr, %a2: i64, %a3: i64, %a4: i64,
                   %b0: !llvm.ptr, %b1: !llvm.ptr, %b2: i64, %b3: i64, %b4: i64)
    attributes {iqc.noalias_slots = array<i64: 2>, passthrough = ["noinline"]} {
  llvm.return
}

// -----

// A position that is not a pointer means the record does not match the
// function: an error, not a wrong attribute.
// expected-error @+1 {{iqc-cpu-mark-noalias: argument 1 is not a lowered memref's aligned pointer}}
llvm.func @g_loop0(%n: i64, %m: i64) attributes {iqc.noalias_slots = array<i64: 1>} {
  llvm.return
}
