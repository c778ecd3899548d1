//===- LowerContractions.cpp - f32 matmul micro-kernel on memrefs ---------===//
//
// LLVM does not turn the scalar loops of linalg.matmul into a register-
// blocked kernel, and upstream tile+vectorize flows leave the accumulators
// in memory. This pass emits the kernel directly: for each block of `rows`
// rows of C and `vectorWidth` columns, the accumulators are loop-carried
// vectors of the k loop, B's row segment is one vector load and each A
// element a broadcast feeding an FMA.
//
//===----------------------------------------------------------------------===//

#include "iqc/Target/CPU/Passes.h"
#include "iqc/Target/CPU/LoopBuilder.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"

namespace iqc {
#define GEN_PASS_DEF_CPULOWERCONTRACTIONS
#include "iqc/Target/CPU/Passes.h.inc"
} // namespace iqc

using namespace mlir;

namespace {

struct KernelEmitter {
  OpBuilder &b;
  Location loc;
  Value A, B, C; // memrefs; batch dim first when `batch` is set
  Value batch;   // batch index or null
  int64_t rows, width;
  VectorType vecType;
  int64_t kBlock = 0; // 0: the whole k range at once
  Value kLo;          // start of the current k block (null: 0)
  /// memref<kBlock x rows x f32> on the stack: the current row block of A
  /// for the current k block, k-major, so the kernel reads A through one
  /// pointer (six row pointers would not fit in registers next to B's).
  Value packA;

  SmallVector<Value> idx(Value i, Value j) {
    if (batch)
      return {batch, i, j};
    return {i, j};
  }
  Value cst(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }

  void loop(Value lb, Value ub, Value step, function_ref<void(Value)> body) {
    iqc::buildLoop(b, loc, lb, ub, step, body);
  }

  /// One block of `nr` rows starting at row i and `width` columns starting
  /// at column j; `mask` (vector<width x i1>) is set for a column tail.
  void emitBlock(Value i, Value j, Value K, int64_t nr, Value mask) {
    Value zero = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(vecType, b.getF32FloatAttr(0)));
    SmallVector<Value> rowIdx;
    for (int64_t r = 0; r < nr; ++r)
      rowIdx.push_back(
          r == 0 ? i : (Value)arith::AddIOp::create(b, loc, i, cst(r)));
    SmallVector<Value> acc;
    for (int64_t r = 0; r < nr; ++r) {
      if (mask)
        acc.push_back(vector::MaskedLoadOp::create(
            b, loc, vecType, C, idx(rowIdx[r], j), mask, zero));
      else
        acc.push_back(
            vector::LoadOp::create(b, loc, vecType, C, idx(rowIdx[r], j)));
    }
    auto kLoop = scf::ForOp::create(
        b, loc, kLo ? kLo : cst(0), K, cst(1), acc,
        [&](OpBuilder &nb, Location nloc, Value k, ValueRange iter) {
          Value bv = mask ? (Value)vector::MaskedLoadOp::create(
                                nb, nloc, vecType, B, idx(k, j), mask, zero)
                          : (Value)vector::LoadOp::create(nb, nloc, vecType, B,
                                                          idx(k, j));
          SmallVector<Value> next;
          for (int64_t r = 0; r < nr; ++r) {
            Value a =
                packA ? (Value)memref::LoadOp::create(
                            nb, nloc, packA,
                            ValueRange{arith::SubIOp::create(nb, nloc, k, kLo),
                                       arith::ConstantIndexOp::create(nb, nloc,
                                                                      r)})
                      : (Value)memref::LoadOp::create(nb, nloc, A,
                                                      idx(rowIdx[r], k));
            Value av = vector::BroadcastOp::create(nb, nloc, vecType, a);
            next.push_back(vector::FMAOp::create(nb, nloc, av, bv, iter[r]));
          }
          scf::YieldOp::create(nb, nloc, next);
        });
    for (int64_t r = 0; r < nr; ++r) {
      if (mask)
        vector::MaskedStoreOp::create(b, loc, C, idx(rowIdx[r], j), mask,
                                      kLoop.getResult(r));
      else
        vector::StoreOp::create(b, loc, kLoop.getResult(r), C,
                                idx(rowIdx[r], j));
    }
  }

  /// All column blocks for rows [i, i + nr).
  void emitRowBlock(Value i, Value N, Value K, int64_t nr) {
    Value w = cst(width);
    // Full vectors: j in [0, N - N % width).
    Value nFull =
        arith::SubIOp::create(b, loc, N, arith::RemUIOp::create(b, loc, N, w));
    if (packA) {
      // Copy A[i .. i+nr, kLo .. K) into packA[k - kLo][r] once; every
      // column block below reuses it.
      loop(kLo, K, cst(1), [&](Value k) {
        Value kk = arith::SubIOp::create(b, loc, k, kLo);
        for (int64_t r = 0; r < nr; ++r) {
          Value row = r == 0 ? i : (Value)arith::AddIOp::create(b, loc, i, cst(r));
          Value a = memref::LoadOp::create(b, loc, A, idx(row, k));
          memref::StoreOp::create(b, loc, a, packA, ValueRange{kk, cst(r)});
        }
      });
    }
    loop(cst(0), nFull, w, [&](Value j) { emitBlock(i, j, K, nr, Value()); });
    // Column tail with masks.
    Value hasTail =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, nFull, N);
    scf::IfOp::create(b, loc, hasTail, [&](OpBuilder &nb, Location nloc) {
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
      Value rest = arith::SubIOp::create(b, loc, N, nFull);
      Value mask = vector::CreateMaskOp::create(
          b, loc, VectorType::get({width}, b.getI1Type()), ValueRange{rest});
      emitBlock(i, nFull, K, nr, mask);
      scf::YieldOp::create(b, loc);
    });
  }

  void emitRows(Value M, Value N, Value K) {
    Value r = cst(rows);
    Value mFull =
        arith::SubIOp::create(b, loc, M, arith::RemUIOp::create(b, loc, M, r));
    loop(cst(0), mFull, r, [&](Value i) { emitRowBlock(i, N, K, rows); });
    loop(mFull, M, cst(1), [&](Value i) { emitRowBlock(i, N, K, 1); });
  }

  /// With k blocking, the rows are swept once per block of `kBlock` k's,
  /// so a kBlock x width panel of B stays in cache across row blocks.
  void emit(Value M, Value N, Value K) {
    if (kBlock <= 0) {
      emitRows(M, N, K);
      return;
    }
    Value kb = cst(kBlock);
    loop(cst(0), K, kb, [&](Value k0) {
      Value k1 = arith::MinUIOp::create(
          b, loc, arith::AddIOp::create(b, loc, k0, kb), K);
      kLo = k0;
      emitRows(M, N, k1);
      kLo = Value();
    });
  }
};

struct CPULowerContractionsPass
    : iqc::impl::CPULowerContractionsBase<CPULowerContractionsPass> {
  using Base::Base;

  bool suitable(linalg::LinalgOp op) {
    if (!op.hasPureBufferSemantics())
      return false;
    for (Value v : op->getOperands()) {
      auto t = dyn_cast<MemRefType>(v.getType());
      if (!t || !t.getElementType().isF32() || !iqc::innermostContiguous(v))
        return false;
    }
    return true;
  }

  /// The shared kernel function for (batched) f32 matmuls on memrefs with
  /// any strides but a contiguous innermost dim; created once per module so
  /// each matmul costs a call, not a copy of the kernel's code.
  func::FuncOp kernelFunction(ModuleOp module, bool batched) {
    std::string name = batched ? "__iqc_batch_matmul_f32" : "__iqc_matmul_f32";
    if (auto f = module.lookupSymbol<func::FuncOp>(name))
      return f;
    MLIRContext *ctx = module.getContext();
    auto type = iqc::stridedType(ctx, batched ? 3 : 2, Float32Type::get(ctx),
                                 /*unitInnerStride=*/true);
    OpBuilder b(ctx);
    Location loc = module.getLoc();
    auto f = iqc::createKernelFunction(module, name, {type, type, type}, b);
    Block *entry = &f.getBody().front();
    Value A = entry->getArgument(0), B = entry->getArgument(1),
          C = entry->getArgument(2);
    auto vecType = VectorType::get({vectorWidth}, b.getF32Type());
    KernelEmitter e{b, loc, A, B, C, Value(), rows, vectorWidth, vecType};
    e.kBlock = kBlock;
    if (kBlock > 0)
      e.packA = memref::AllocaOp::create(
          b, loc, MemRefType::get({kBlock, rows}, b.getF32Type()));
    int64_t off = batched ? 1 : 0;
    Value M = memref::DimOp::create(b, loc, A, off);
    Value K = memref::DimOp::create(b, loc, A, off + 1);
    Value N = memref::DimOp::create(b, loc, B, off + 1);
    if (!batched) {
      e.emit(M, N, K);
    } else {
      Value nb = memref::DimOp::create(b, loc, A, 0);
      e.loop(e.cst(0), nb, e.cst(1), [&](Value bi) {
        e.batch = bi;
        e.emit(M, N, K);
      });
    }
    func::ReturnOp::create(b, loc);
    return f;
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<linalg::LinalgOp> todo;
    module.walk([&](linalg::LinalgOp op) {
      // Only the default (non-transposed, no broadcast) indexing maps.
      if (auto mm = dyn_cast<linalg::MatmulOp>(op.getOperation()))
        if (!mm.hasUserDefinedMaps() && suitable(op))
          todo.push_back(op);
      if (auto bmm = dyn_cast<linalg::BatchMatmulOp>(op.getOperation()))
        if (!bmm.hasUserDefinedMaps() && suitable(op))
          todo.push_back(op);
    });
    for (linalg::LinalgOp op : todo) {
      bool batched = isa<linalg::BatchMatmulOp>(op.getOperation());
      func::FuncOp kernel = kernelFunction(module, batched);
      OpBuilder b(op);
      SmallVector<Value> args;
      for (auto [v, t] :
           llvm::zip(op->getOperands(), kernel.getFunctionType().getInputs()))
        args.push_back(v.getType() == t ? v
                                        : (Value)memref::CastOp::create(
                                              b, op.getLoc(), t, v));
      func::CallOp::create(b, op.getLoc(), kernel, args);
      op->erase();
    }
  }
};

} // namespace
