//===- LowerIntegerContractions.cpp - int8 GEMM micro-kernel (VNNI) -------===//
//
// LLVM never forms vpdpbusd from plain IR, so the int8 contractions of an
// integer-only model (the contraction generics convert-iq-to-linalg builds:
// i8 or u8 lhs, s8 rhs, i32 accumulator) are emitted here as a register-
// blocked AVX-512 VNNI kernel:
//
//  * the rhs is packed as [N/NR][K/4][NR][4] bytes, so one 64-byte load
//    holds four consecutive k of 16 columns; constant weights are packed
//    at compile time (a new global replaces the row-major one), run-time
//    operands (attention's K^T and V) by a packing routine per call;
//  * vpdpbusd multiplies unsigned by signed bytes: a signed lhs is copied
//    with its sign bit flipped (a + 128) and the accumulators start from
//    C - 128 * colsum(B) (exact: every product and sum stays in i32); an
//    unsigned lhs (softmax probabilities) is used as it is;
//  * each block of `rows` x NR accumulators lives in vector registers for
//    the whole k loop; the lhs contributes one 4-byte broadcast per row.
//
// Everything runs on memrefs after bufferization, before
// convert-linalg-to-loops; contractions the kernel does not cover stay
// generics (and become plain loops).
//
//===----------------------------------------------------------------------===//

#include "iqc/Target/CPU/Passes.h"
#include "iqc/Target/CPU/LoopBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/SymbolTable.h"

namespace iqc {
#define GEN_PASS_DEF_CPULOWERINTEGERCONTRACTIONS
#include "iqc/Target/CPU/Passes.h.inc"
} // namespace iqc

using namespace mlir;

namespace {

constexpr int64_t kLanes = 16; // i32 lanes of a zmm register
constexpr int64_t kDyn = ShapedType::kDynamic;

struct Int8Contraction {
  linalg::GenericOp op;
  bool batched;
  bool lhsUnsigned;
};

bool hasElement(Value v, unsigned width) {
  auto t = dyn_cast<MemRefType>(v.getType());
  return t && t.getElementType().isInteger(width);
}

/// `ext(arg)` of block argument `arg` to i32, or null.
Operation *extensionOf(Value v, BlockArgument arg) {
  Operation *def = v.getDefiningOp();
  if (def && isa<arith::ExtSIOp, arith::ExtUIOp>(def) &&
      def->getOperand(0) == arg)
    return def;
  return nullptr;
}

/// Matches convert-iq-to-linalg's integer contraction generics on memrefs:
/// (b,) m, n, k with maps (b,) m k / (b,) k n / (b,) m n and the body
/// `c + ext(a) * extsi(b)` on i8 operands and an i32 accumulator.
std::optional<Int8Contraction> matchInt8Contraction(linalg::GenericOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1)
    return std::nullopt;
  Value a = op.getDpsInputs()[0], b = op.getDpsInputs()[1],
        c = op.getDpsInits()[0];
  if (!hasElement(a, 8) || !hasElement(b, 8) || !hasElement(c, 32))
    return std::nullopt;
  unsigned loops = op.getNumLoops();
  if (loops != 3 && loops != 4)
    return std::nullopt;
  bool batched = loops == 4;
  MLIRContext *ctx = op.getContext();
  // The maps of linalg.matmul / batch_matmul (convert-iq-to-linalg's).
  SmallVector<AffineMap> expected =
      batched ? linalg::BatchMatmulOp::getDefaultIndexingMaps(ctx)
              : linalg::MatmulOp::getDefaultIndexingMaps(ctx);
  if (op.getIndexingMapsArray() != expected)
    return std::nullopt;
  if (op.getIteratorTypesArray().back() != utils::IteratorType::reduction)
    return std::nullopt;
  Block &body = op.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getOperand(0).getDefiningOp<arith::AddIOp>();
  if (!add)
    return std::nullopt;
  Value product = add.getLhs() == body.getArgument(2) ? add.getRhs()
                  : add.getRhs() == body.getArgument(2)
                      ? add.getLhs()
                      : Value();
  auto mul = product ? product.getDefiningOp<arith::MulIOp>() : nullptr;
  if (!mul)
    return std::nullopt;
  Operation *ea = extensionOf(mul.getLhs(), body.getArgument(0));
  Operation *eb = extensionOf(mul.getRhs(), body.getArgument(1));
  if (!ea || !eb || !isa<arith::ExtSIOp>(eb))
    return std::nullopt; // the kernel needs a signed rhs
  // The C rows are vector loads and stores.
  if (!iqc::innermostContiguous(c))
    return std::nullopt;
  return Int8Contraction{op, batched, isa<arith::ExtUIOp>(ea)};
}

/// Small builder helpers for index arithmetic and loops.
struct Emit {
  OpBuilder &b;
  Location loc;

  Value idx(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value mul(Value x, int64_t y) { return mul(x, idx(y)); }
  Value div(Value x, int64_t y) {
    return arith::DivUIOp::create(b, loc, x, idx(y));
  }
  Value rem(Value x, int64_t y) {
    return arith::RemUIOp::create(b, loc, x, idx(y));
  }
  Value ceilDiv(Value x, int64_t y) { return div(add(x, idx(y - 1)), y); }
  Value dim(Value m, int64_t d) { return memref::DimOp::create(b, loc, m, d); }

  void loop(Value lb, Value ub, Value step, function_ref<void(Value)> body) {
    iqc::buildLoop(b, loc, lb, ub, step, body);
  }
  void loop(Value lb, Value ub, function_ref<void(Value)> body) {
    loop(lb, ub, idx(1), body);
  }
};

struct CPULowerIntegerContractionsPass
    : iqc::impl::CPULowerIntegerContractionsBase<
          CPULowerIntegerContractionsPass> {
  using Base::Base;

  ModuleOp module;
  llvm::StringMap<std::pair<memref::GlobalOp, memref::GlobalOp>> packed;

  Type i8() { return IntegerType::get(&getContext(), 8); }
  Type i32() { return IntegerType::get(&getContext(), 32); }
  MemRefType bytes() { return MemRefType::get({kDyn}, i8()); }
  MemRefType words() { return MemRefType::get({kDyn}, i32()); }

  func::FuncOp newFunction(StringRef name, ArrayRef<Type> args,
                           function_ref<void(Emit &, Block *)> body) {
    if (auto f = module.lookupSymbol<func::FuncOp>(name))
      return f;
    OpBuilder b(module.getContext());
    Location loc = module.getLoc();
    auto f = iqc::createKernelFunction(module, name, args, b);
    Emit e{b, loc};
    body(e, &f.getBody().front());
    func::ReturnOp::create(b, loc);
    return f;
  }

  /// out[i][k] = A[i][k] ^ flip for k < K, 0 for K <= k < Kp.
  func::FuncOp packLhs() {
    MLIRContext *ctx = &getContext();
    return newFunction(
        "__iqc_i8_pack_lhs",
        {iqc::stridedType(ctx, 2, i8(), false),
         MemRefType::get({kDyn, kDyn}, i8()), i8()},
        [&](Emit &e, Block *entry) {
          Value A = entry->getArgument(0), out = entry->getArgument(1),
                flip = entry->getArgument(2);
          Value M = e.dim(A, 0), K = e.dim(A, 1), Kp = e.dim(out, 1);
          Value zero = arith::ConstantIntOp::create(e.b, e.loc, 0, 8);
          e.loop(e.idx(0), M, [&](Value i) {
            e.loop(e.idx(0), K, [&](Value k) {
              Value a = memref::LoadOp::create(e.b, e.loc, A, ValueRange{i, k});
              memref::StoreOp::create(e.b, e.loc,
                                      arith::XOrIOp::create(e.b, e.loc, a, flip),
                                      out, ValueRange{i, k});
            });
            e.loop(K, Kp, [&](Value k) {
              memref::StoreOp::create(e.b, e.loc, zero, out, ValueRange{i, k});
            });
          });
        });
  }

  /// The packed rhs: bytes [N/NR][Kp/4][NR][4] (zero padded) and
  /// corr[n] = 128 * sum_k B[k][n].
  func::FuncOp packRhs() {
    MLIRContext *ctx = &getContext();
    int64_t NR = columns;
    return newFunction(
        "__iqc_i8_pack_rhs" + std::to_string(NR),
        {iqc::stridedType(ctx, 2, i8(), false), bytes(), words()},
        [&](Emit &e, Block *entry) {
          Value B = entry->getArgument(0), out = entry->getArgument(1),
                corr = entry->getArgument(2);
          Value K = e.dim(B, 0), N = e.dim(B, 1);
          Value Q = e.ceilDiv(K, 4);
          Value zero8 = arith::ConstantIntOp::create(e.b, e.loc, 0, 8);
          Value zero32 = arith::ConstantIntOp::create(e.b, e.loc, 0, 32);
          e.loop(e.idx(0), e.dim(out, 0), [&](Value p) {
            memref::StoreOp::create(e.b, e.loc, zero8, out, ValueRange{p});
          });
          e.loop(e.idx(0), e.dim(corr, 0), [&](Value n) {
            memref::StoreOp::create(e.b, e.loc, zero32, corr, ValueRange{n});
          });
          Value c7 = arith::ConstantIntOp::create(e.b, e.loc, 7, 32);
          e.loop(e.idx(0), K, [&](Value k) {
            e.loop(e.idx(0), N, [&](Value n) {
              Value v = memref::LoadOp::create(e.b, e.loc, B, ValueRange{k, n});
              // ((n / NR * Q + k / 4) * NR + n % NR) * 4 + k % 4
              Value pos = e.add(
                  e.mul(e.add(e.mul(e.add(e.mul(e.div(n, NR), Q), e.div(k, 4)),
                                    NR),
                              e.rem(n, NR)),
                        4),
                  e.rem(k, 4));
              memref::StoreOp::create(e.b, e.loc, v, out, ValueRange{pos});
              Value w = arith::ExtSIOp::create(e.b, e.loc, i32(), v);
              Value s = memref::LoadOp::create(e.b, e.loc, corr, ValueRange{n});
              s = arith::AddIOp::create(
                  e.b, e.loc, s, arith::ShLIOp::create(e.b, e.loc, w, c7));
              memref::StoreOp::create(e.b, e.loc, s, corr, ValueRange{n});
            });
          });
        });
  }

  /// C[M, N] += A'[M, Q] (4 u8 per i32) x packed B, minus corr when the
  /// lhs was sign-flipped.
  func::FuncOp gemm(bool correct) {
    MLIRContext *ctx = &getContext();
    int64_t NR = columns, MR = rows, nv = columns / kLanes;
    std::string name = (Twine("__iqc_i8_gemm_") + (correct ? "s8" : "u8") +
                        "_" + Twine(MR) + "x" + Twine(NR))
                           .str();
    return newFunction(
        name,
        {MemRefType::get({kDyn, kDyn}, i32()), words(), words(),
         iqc::stridedType(ctx, 2, i32(), true)},
        [&](Emit &e, Block *entry) {
          Value A = entry->getArgument(0), Bp = entry->getArgument(1),
                corr = entry->getArgument(2), C = entry->getArgument(3);
          OpBuilder &b = e.b;
          Location loc = e.loc;
          Value M = e.dim(C, 0), N = e.dim(C, 1), Q = e.dim(A, 1);
          auto vec = VectorType::get({kLanes}, i32());
          auto bytesVec = VectorType::get({kLanes * 4}, i8());
          auto maskType = VectorType::get({kLanes}, b.getI1Type());
          Value zero = arith::ConstantOp::create(
              b, loc, DenseElementsAttr::get(vec, b.getI32IntegerAttr(0)));
          StringAttr dot = b.getStringAttr("llvm.x86.avx512.vpdpbusd.512");
          Value mFull = e.sub(M, e.rem(M, MR));
          e.loop(e.idx(0), e.ceilDiv(N, NR), [&](Value nb) {
            Value j0 = e.mul(nb, NR);
            SmallVector<Value> cols, masks;
            for (int64_t v = 0; v < nv; ++v) {
              cols.push_back(e.add(j0, e.idx(v * kLanes)));
              masks.push_back(vector::CreateMaskOp::create(
                  b, loc, maskType, ValueRange{e.sub(N, cols.back())}));
            }
            Value panel = e.mul(e.mul(nb, Q), NR);
            auto block = [&](Value i, int64_t nr) {
              SmallVector<Value> rowIdx;
              for (int64_t r = 0; r < nr; ++r)
                rowIdx.push_back(r ? e.add(i, e.idx(r)) : i);
              SmallVector<Value> acc;
              for (int64_t r = 0; r < nr; ++r)
                for (int64_t v = 0; v < nv; ++v)
                  acc.push_back(vector::MaskedLoadOp::create(
                      b, loc, vec, C, ValueRange{rowIdx[r], cols[v]}, masks[v],
                      zero));
              if (correct)
                for (int64_t v = 0; v < nv; ++v) {
                  Value cv = vector::LoadOp::create(b, loc, vec, corr,
                                                    ValueRange{cols[v]});
                  for (int64_t r = 0; r < nr; ++r)
                    acc[r * nv + v] =
                        arith::SubIOp::create(b, loc, acc[r * nv + v], cv);
                }
              auto kLoop = scf::ForOp::create(
                  b, loc, e.idx(0), Q, e.idx(1), acc,
                  [&](OpBuilder &nb, Location nloc, Value q, ValueRange iter) {
                    Emit ne{nb, nloc};
                    Value base = ne.add(panel, ne.mul(q, NR));
                    SmallVector<Value> bv;
                    for (int64_t v = 0; v < nv; ++v)
                      bv.push_back(vector::BitCastOp::create(
                          nb, nloc, bytesVec,
                          vector::LoadOp::create(
                              nb, nloc, vec, Bp,
                              ValueRange{ne.add(base, ne.idx(v * kLanes))})));
                    SmallVector<Value> next(iter);
                    for (int64_t r = 0; r < nr; ++r) {
                      Value a = memref::LoadOp::create(
                          nb, nloc, A, ValueRange{rowIdx[r], q});
                      Value av = vector::BitCastOp::create(
                          nb, nloc, bytesVec,
                          vector::BroadcastOp::create(nb, nloc, vec, a));
                      for (int64_t v = 0; v < nv; ++v)
                        next[r * nv + v] =
                            LLVM::CallIntrinsicOp::create(
                                nb, nloc, vec, dot,
                                ValueRange{next[r * nv + v], av, bv[v]})
                                .getResult(0);
                    }
                    scf::YieldOp::create(nb, nloc, next);
                  });
              for (int64_t r = 0; r < nr; ++r)
                for (int64_t v = 0; v < nv; ++v)
                  vector::MaskedStoreOp::create(
                      b, loc, C, ValueRange{rowIdx[r], cols[v]}, masks[v],
                      kLoop.getResult(r * nv + v));
            };
            e.loop(e.idx(0), mFull, e.idx(MR), [&](Value i) { block(i, MR); });
            e.loop(mFull, M, [&](Value i) { block(i, 1); });
          });
        });
  }

  /// The rhs global packed at compile time (and its corr), or null when
  /// `B` is not a constant global.
  std::optional<std::pair<memref::GlobalOp, memref::GlobalOp>>
  packedConstant(Value B) {
    while (auto cast = B.getDefiningOp<memref::CastOp>())
      B = cast.getSource();
    auto get = B.getDefiningOp<memref::GetGlobalOp>();
    if (!get)
      return std::nullopt;
    auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
        get, get.getNameAttr());
    if (!global || !global.getConstant() || !global.getInitialValue())
      return std::nullopt;
    auto it = packed.find(global.getSymName());
    if (it != packed.end())
      return it->second;
    MemRefType type = global.getType();
    if (!type.hasStaticShape() || type.getRank() != 2)
      return std::nullopt;
    int64_t K = type.getDimSize(0), N = type.getDimSize(1);
    // Row-major bytes of the weight.
    std::vector<int8_t> w(K * N);
    Attribute init = *global.getInitialValue();
    if (auto dense = dyn_cast<DenseElementsAttr>(init)) {
      int64_t i = 0;
      for (APInt v : dense.getValues<APInt>())
        w[i++] = (int8_t)v.getSExtValue();
    } else if (auto res = dyn_cast<DenseResourceElementsAttr>(init)) {
      AsmResourceBlob *blob = res.getRawHandle().getBlob();
      if (!blob || (int64_t)blob->getData().size() != K * N)
        return std::nullopt;
      std::memcpy(w.data(), blob->getData().data(), K * N);
    } else {
      return std::nullopt;
    }
    int64_t NR = columns, Q = (K + 3) / 4, NB = (N + NR - 1) / NR;
    std::vector<int32_t> packedWords(NB * Q * NR, 0);
    std::vector<int32_t> corr(NB * NR, 0);
    auto *bytesOut = reinterpret_cast<uint8_t *>(packedWords.data());
    for (int64_t k = 0; k < K; ++k)
      for (int64_t n = 0; n < N; ++n) {
        int8_t v = w[k * N + n];
        bytesOut[(((n / NR) * Q + k / 4) * NR + n % NR) * 4 + k % 4] =
            (uint8_t)v;
        corr[n] += 128 * (int32_t)v;
      }
    OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
    auto makeGlobal = [&](StringRef suffix, const std::vector<int32_t> &data,
                          bool blob) {
      auto t = RankedTensorType::get({(int64_t)data.size()}, i32());
      Attribute attr =
          blob ? (Attribute)DenseResourceElementsAttr::get(
                     t, (global.getSymName() + suffix).str(),
                     HeapAsmResourceBlob::allocateAndCopyInferAlign(
                         ArrayRef(data)))
               : (Attribute)DenseElementsAttr::get(t, ArrayRef(data));
      auto g = memref::GlobalOp::create(
          b, global.getLoc(), (global.getSymName() + suffix).str(),
          b.getStringAttr("private"),
          MemRefType::get({(int64_t)data.size()}, i32()), attr,
          /*constant=*/true, b.getI64IntegerAttr(64));
      return g;
    };
    auto result = std::pair(
        makeGlobal("_vnni" + std::to_string(NR), packedWords, /*blob=*/true),
        makeGlobal("_corr" + std::to_string(NR), corr, /*blob=*/false));
    packed[global.getSymName()] = result;
    return result;
  }

  void lower(const Int8Contraction &c) {
    linalg::GenericOp op = c.op;
    OpBuilder b(op);
    Location loc = op.getLoc();
    Emit e{b, loc};
    MLIRContext *ctx = &getContext();
    Value A = op.getDpsInputs()[0], B = op.getDpsInputs()[1],
          C = op.getDpsInits()[0];
    int64_t off = c.batched ? 1 : 0;
    Value M = e.dim(A, off), K = e.dim(A, off + 1), N = e.dim(B, off + 1);
    Value Q = e.ceilDiv(K, 4), Kp = e.mul(Q, 4);
    int64_t NR = columns;

    Value abuf = memref::AllocOp::create(b, loc, bytes(),
                                         ValueRange{e.mul(M, Kp)},
                                         b.getI64IntegerAttr(64));
    Value a8 = memref::ViewOp::create(b, loc,
                                      MemRefType::get({kDyn, kDyn}, i8()),
                                      abuf, e.idx(0), ValueRange{M, Kp});
    Value a32 = memref::ViewOp::create(b, loc,
                                       MemRefType::get({kDyn, kDyn}, i32()),
                                       abuf, e.idx(0), ValueRange{M, Q});
    Value flip = arith::ConstantIntOp::create(b, loc, c.lhsUnsigned ? 0 : -128,
                                              8);
    std::optional<std::pair<memref::GlobalOp, memref::GlobalOp>> constant;
    if (!c.batched)
      constant = packedConstant(B);
    Value bp, corr, bbuf;
    if (constant) {
      auto use = [&](memref::GlobalOp g) -> Value {
        Value v = memref::GetGlobalOp::create(b, loc, g.getType(), g.getSymName());
        return memref::CastOp::create(b, loc, words(), v);
      };
      bp = use(constant->first);
      corr = use(constant->second);
    } else {
      Value np = e.mul(e.ceilDiv(N, NR), NR);
      bbuf = memref::AllocOp::create(b, loc, bytes(),
                                     ValueRange{e.mul(e.mul(np, Q), 4)},
                                     b.getI64IntegerAttr(64));
      bp = memref::ViewOp::create(b, loc, words(), bbuf, e.idx(0),
                                  ValueRange{e.mul(np, Q)});
      corr = memref::AllocOp::create(b, loc, words(), ValueRange{np},
                                     b.getI64IntegerAttr(64));
    }
    func::FuncOp packA = packLhs(), kernel = gemm(!c.lhsUnsigned);
    func::FuncOp packB = constant ? func::FuncOp() : packRhs();

    auto slice = [&](Value m, Value bi, Type el, bool unit) -> Value {
      auto t = cast<MemRefType>(m.getType());
      if (!c.batched)
        return memref::CastOp::create(b, loc,
                                      iqc::stridedType(ctx, 2, el, unit), m);
      SmallVector<OpFoldResult> offsets{bi, b.getIndexAttr(0),
                                        b.getIndexAttr(0)};
      SmallVector<OpFoldResult> sizes{b.getIndexAttr(1),
                                      OpFoldResult(e.dim(m, 1)),
                                      OpFoldResult(e.dim(m, 2))};
      SmallVector<OpFoldResult> strides(3, b.getIndexAttr(1));
      auto rt = memref::SubViewOp::inferRankReducedResultType(
          {kDyn, kDyn}, t, offsets, sizes, strides);
      Value sv = memref::SubViewOp::create(b, loc, rt, m, offsets, sizes,
                                           strides);
      return memref::CastOp::create(b, loc, iqc::stridedType(ctx, 2, el, unit),
                                    sv);
    };
    auto body = [&](Value bi) {
      func::CallOp::create(b, loc, packA,
                           ValueRange{slice(A, bi, i8(), false), a8, flip});
      if (packB)
        func::CallOp::create(b, loc, packB,
                             ValueRange{slice(B, bi, i8(), false), bbuf, corr});
      func::CallOp::create(b, loc, kernel,
                           ValueRange{a32, bp, corr, slice(C, bi, i32(), true)});
    };
    if (c.batched)
      e.loop(e.idx(0), e.dim(A, 0), body);
    else
      body(Value());
    memref::DeallocOp::create(b, loc, abuf);
    if (!constant) {
      memref::DeallocOp::create(b, loc, bbuf);
      memref::DeallocOp::create(b, loc, corr);
    }
    op->erase();
  }

  void runOnOperation() override {
    module = getOperation();
    if (columns % kLanes || columns <= 0 || rows <= 0) {
      module.emitError() << "iqc-cpu-lower-int8-contractions: columns must be "
                            "a positive multiple of 16 and rows positive";
      return signalPassFailure();
    }
    SmallVector<Int8Contraction> todo;
    module.walk([&](linalg::GenericOp op) {
      if (auto c = matchInt8Contraction(op))
        todo.push_back(*c);
    });
    // The row-major weights the kernels replaced become dead; the pipeline's
    // symbol-dce drops them, so the library holds one copy of the weights.
    for (const Int8Contraction &c : todo)
      lower(c);
  }
};

} // namespace
