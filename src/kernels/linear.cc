// Dense layer y = x · Wᵀ + b (PyTorch nn.Linear layout), f32 and int8.
//
// Backends, chosen by measurement (benchmarks/gemm_bench.cc, table in benchmarks/README.md;
// 2-vCPU Xeon with AVX-512 + AMX, one thread, GFLOP/s resp. GOP/s, M×K·K×N):
//
//   shape               Eigen f32   oneDNN f32 matmul   this Linear f32   oneDNN s8·s8   this Linear int8
//   300×512·512×2048      132           172                 157               1704            951
//   300×2048·2048×512     144           175                 172               2073            955
//   30×512·512×8404        83           112                 101               1015            610
//   1×512·512×2048         14.1          12.6                13.7              225             59
//
// f32, prepared: oneDNN matmul with the weights reordered once (PrepareLinear) into the
//   layout oneDNN picks, bias fused. Each chunk writes straight into y (row stride = out),
//   for which oneDNN 2.6 picks its gemm:jit kernel (plain weight layout); a dense
//   per-chunk output would get brgemm with blocked weights, but the copy into y made
//   fp32 paraformer-large ~10% slower on one thread (measured 2026-11-28). That layout is
//   each chunk transposed, [in, width] row-major, so the packed copy replaces the plain
//   weights (released by PrepareLinear: one copy of every weight, not two): one row
//   (GEMV, where oneDNN is slower) runs Eigen's vector-matrix product on the chunks, and a
//   row count without a oneDNN kernel runs Gemm on them. Keeping the plain "ba" weights
//   instead and packing nothing was 5-29 % slower for K = 2048 and the 8404-wide output
//   layer at 16-333 rows (weights streamed from memory), and rounds rows below 16
//   differently from larger row counts.
// Packed weights live in huge-page-backed memory (weight_arena.h: fewer TLB misses while
//   a GEMM streams them).
// f32, not prepared: Gemm (oneDNN sgemm / Eigen GEMV) plus a bias add.
// int8: weights are symmetric per-output-channel int8 (QuantizeLinearInt8); activations are
//   quantised per row (symmetric: scale = max|x_row| / 127, q = round_half_even(x · (1/scale))),
//   products accumulate exactly in int32 (oneDNN s8·s8 matmul, AMX/VNNI where available)
//   and are rescaled as y = acc · (x_scale[row] · w_scale[out]) + b.
//   Where oneDNN packed the weights for AMX and a call has 17-192 rows of at most 1024
//   inputs (the per-core calls of a two-thread row split, the decoder's token rows), our
//   own AMX kernel (amx_int8_gemm.h) runs on that packing instead: it prefetches the weight
//   stream that oneDNN's kernel waits for, and its exact int32 sums are the same.
//   Without PrepareLinear a plain C++ loop is used (correct, slow). oneDNN is handed zero
//   rows beyond the real ones where its speed asks for it (KernelRows: one row as two,
//   more than 16 rows rounded up to a multiple of 8).
//
// Epilogue (LinearEpilogue: ReLU, then up to two residual adds): applied to each column
//   chunk, or each thread's row block, right after it is computed (int8: inside the
//   rescale loop), so the output is not read back from memory by separate passes. A
//   residual that is the output itself stays intact until its row is finished: int8
//   finishes each row in a stack buffer; f32 has oneDNN write the product to a separate
//   buffer first.
// Threading and determinism: the output columns are split into fixed 256-wide chunks
// (independent of the thread count), each computed by one single-threaded oneDNN primitive.
// With several threads (ParallelFor), each thread either takes a block of rows through all
// chunks (quantising and rescaling its own rows in int8), or a share of the chunks when the
// weights dwarf the activations (SplitRows). Results are bit-identical for any thread
// count. The prepacked weights and the primitive cache (keyed by the row count M;
// oneDNN primitives are immutable and may execute concurrently) are shared read-only by
// all threads; the cache is guarded by a mutex. Every execution gets its own scratchpad
// (scratchpad_mode::user): with oneDNN 2.6's default shared scratchpad, primitives executed
// concurrently by two threads produced wrong int8 results.
// GCC 12 reports false "maybe-uninitialized" positives inside Eigen's AVX-512 packet code.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#define EIGEN_DONT_PARALLELIZE
#include "kernels/linear.h"

#include <Eigen/Core>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/check.h"
#include "core/threading.h"
#include "kernels/amx_int8_gemm.h"
#include "kernels/dnnl_context.h"
#include "kernels/elementwise.h"
#include "kernels/gemm.h"
#include "kernels/weight_arena.h"

namespace funasr::kernels {

namespace {

using dnnl::memory;
using dt = dnnl::memory::data_type;

constexpr int64_t kChunk = 256;            // output columns per primitive call
constexpr int64_t kReferenceRows = 128;    // M used to let oneDNN pick the weight layout
constexpr size_t kMaxCachedShapes = 64;    // primitive cache entries (row counts) per layer
constexpr double kMinParallelOps = 8e6;    // below this a second thread does not pay
constexpr int64_t kMinRowsPerThread = 16;  // row split: one AMX tile of rows at least
constexpr size_t kMaxKeptScratch = 8 << 20;  // per-thread buffer bytes kept between calls
// Calls that run on detail::AmxInt8Gemm (measured per 256-column chunk against oneDNN's
// kernel, weights streamed from memory: faster from 112 to 176 rows at K = 512, equal at
// 336 rows, slower at K = 2048; benchmarks/README.md, "Seventh day").
constexpr int64_t kAmxMinRows = 17;    // fewer: oneDNN's kernels for a few rows
constexpr int64_t kAmxMaxRows = 192;   // AmxRows(m) at most this
constexpr int64_t kAmxMaxInputs = 1024;

void CheckWeights(const LinearWeights& w) {
  if (!w.weight.defined() && w.packed != nullptr) {  // moved into the packed copy
    FUNASR_CHECK(w.packed_out > 0 && w.packed_in > 0, ErrorCode::kInternal,
                 "Linear: released weights without a shape");
    FUNASR_CHECK(!w.packed_int8 || (w.scales.defined() && w.scales.numel() == w.packed_out),
                 ErrorCode::kInternal, "Linear: int8 weight needs ", w.packed_out,
                 " f32 scales");
    return;
  }
  FUNASR_CHECK(w.weight.defined() && w.weight.rank() == 2, ErrorCode::kInternal,
               "Linear: weight must be a 2-D tensor");
  const int64_t out = w.weight.dim(0);
  if (w.quantized()) {
    FUNASR_CHECK(w.scales.defined() && w.scales.dtype() == DType::kF32 &&
                     w.scales.numel() == out,
                 ErrorCode::kInternal, "Linear: int8 weight needs ", out, " f32 scales");
  } else {
    FUNASR_CHECK(w.weight.dtype() == DType::kF32, ErrorCode::kInternal,
                 "Linear: weight must be f32 or i8, got ", DTypeName(w.weight.dtype()));
  }
  if (w.bias.defined()) {
    FUNASR_CHECK(w.bias.dtype() == DType::kF32 && w.bias.numel() == out, ErrorCode::kInternal,
                 "Linear: bias must be f32 [", out, "]");
  }
}

// Symmetric per-row int8 quantisation of x[m, k]; scales[r] = max|x_r| / 127 (1 for a zero
// row). Rounding is half-to-even of x · (1 / scale): std::rint in the default rounding mode
// (the same values as nearbyint, which GCC does not inline; rint compiles to a vector
// round instruction).
void QuantizeRows(const float* x, int64_t m, int64_t k, int8_t* q, float* scales) {
  for (int64_t r = 0; r < m; ++r) {
    const float* row = x + r * k;
    const float amax = k > 0 ? Eigen::Map<const Eigen::ArrayXf>(row, k).abs().maxCoeff() : 0.f;
    const float scale = amax > 0.f ? amax / 127.f : 1.f;
    const float inv = 1.f / scale;
    int8_t* qr = q + r * k;
    for (int64_t i = 0; i < k; ++i) {
      // |row[i] * inv| <= 127 up to rounding of inv; the clamp keeps that exact.
      const float v = std::min(127.f, std::max(-127.f, std::rint(row[i] * inv)));
      qr[i] = static_cast<int8_t>(static_cast<int32_t>(v));
    }
    scales[r] = scale;
  }
}

// QuantizeRows over row blocks on `threads` threads (rows are independent: same result).
void QuantizeRowsParallel(const float* x, int64_t m, int64_t k, int8_t* q, float* scales,
                          int threads) {
  constexpr int64_t kMinElements = 1 << 15;  // below this a second thread does not pay
  if (threads <= 1 || m < 2 || m * k < kMinElements) {
    QuantizeRows(x, m, k, q, scales);
    return;
  }
  const int blocks = static_cast<int>(std::min<int64_t>(threads, m));
  ParallelFor(blocks, blocks, [&](int64_t b) {
    const int64_t r0 = m * b / blocks, r1 = m * (b + 1) / blocks;
    QuantizeRows(x + r0 * k, r1 - r0, k, q + r0 * k, scales + r0);
  });
}

// The epilogue over an [m, nb] block of y (row stride ldy) that already holds x·Wᵀ + b;
// `residual` and `outer` (the epilogue's residuals, or null) point at the block's first
// element, with the same row stride. Same expressions as kernels::Relu and kernels::Add,
// so the values are identical.
void ApplyEpilogue(const LinearEpilogue& e, const float* residual, const float* outer,
                   int64_t m, int64_t nb, float* y, int64_t ldy) {
  if (!e.relu && residual == nullptr && outer == nullptr) return;
  for (int64_t r = 0; r < m; ++r) {
    Eigen::Map<Eigen::ArrayXf> yr(y + r * ldy, nb);
    if (e.relu) yr = yr.max(0.f);
    if (residual) yr = Eigen::Map<const Eigen::ArrayXf>(residual + r * ldy, nb) + yr;
    if (outer) yr = Eigen::Map<const Eigen::ArrayXf>(outer + r * ldy, nb) + yr;
  }
}

// Whether the epilogue reads the output buffer itself (then f32, whose GEMM writes the
// output directly, needs the product in a separate buffer first).
bool ReadsOutput(const LinearEpilogue& e, const float* y) {
  return e.residual == y || e.outer_residual == y;
}

// y[r, o] = acc[r, o] * (x_scale[r] * w_scale[o]) + bias[o] for a chunk of nb <= kChunk
// columns, then the epilogue (`residual` and `outer` as in ApplyEpilogue; either may be y
// itself: a row is finished in a stack buffer, in L1, before it is stored).
void Dequantize(const int32_t* acc, int64_t ld_acc, int64_t m, int64_t nb, const float* xs,
                const float* ws, const float* bias, const LinearEpilogue& e,
                const float* residual, const float* outer, float* y, int64_t ldy) {
  using Ints = Eigen::Map<const Eigen::Array<int32_t, Eigen::Dynamic, 1>>;
  using ConstRow = Eigen::Map<const Eigen::ArrayXf>;
  Eigen::Map<const Eigen::ArrayXf> wsa(ws, nb);
  const bool epilogue = e.relu || residual != nullptr || outer != nullptr;
  alignas(64) float row[kChunk];
  for (int64_t r = 0; r < m; ++r) {
    Ints a(acc + r * ld_acc, nb);
    Eigen::Map<Eigen::ArrayXf> v(epilogue ? row : y + r * ldy, nb);
    if (bias) {
      v = a.cast<float>() * (xs[r] * wsa) + ConstRow(bias, nb);
    } else {
      v = a.cast<float>() * (xs[r] * wsa);
    }
    if (!epilogue) continue;
    if (e.relu) v = v.max(0.f);
    if (residual) v = ConstRow(residual + r * ldy, nb) + v;
    if (outer) v = ConstRow(outer + r * ldy, nb) + v;
    Eigen::Map<Eigen::ArrayXf>(y + r * ldy, nb) = v;
  }
}

// ---- plain int8 fallback (no PrepareLinear) -------------------------------------------

int32_t DotI8(const int8_t* a, const int8_t* b, int64_t k) {
  int32_t acc = 0;
  for (int64_t i = 0; i < k; ++i) acc += static_cast<int32_t>(a[i]) * static_cast<int32_t>(b[i]);
  return acc;
}

// `wq`: the plain int8 weights [out, in] (w.weight, or rebuilt from a packing whose plain
// copy was released: PackedLinear::PlainWeights).
void LinearInt8Plain(const float* x, int64_t m, const LinearWeights& w, const int8_t* wq,
                     float* y, const LinearEpilogue& e) {
  const int64_t out = w.out_features(), in = w.in_features();
  std::vector<int8_t> xq(static_cast<size_t>(m * in));
  std::vector<float> xs(static_cast<size_t>(m));
  QuantizeRows(x, m, in, xq.data(), xs.data());
  const float* ws = w.scales.data<float>();
  const float* bias = w.bias.defined() ? w.bias.data<float>() : nullptr;
  const int threads = (2.0 * m * out * in < kMinParallelOps) ? 1 : detail::KernelThreads();
  constexpr int64_t kBlock = 64;  // output channels per task
  ParallelFor((out + kBlock - 1) / kBlock, threads, [&](int64_t blk) {
    for (int64_t o = blk * kBlock; o < std::min(out, (blk + 1) * kBlock); ++o) {
      const int8_t* wr = wq + o * in;
      for (int64_t r = 0; r < m; ++r) {
        const float v = static_cast<float>(DotI8(xq.data() + r * in, wr, in)) * (xs[r] * ws[o]);
        float t = bias ? v + bias[o] : v;
        if (e.relu) t = std::max(t, 0.f);
        if (e.residual) t = e.residual[r * out + o] + t;
        if (e.outer_residual) t = e.outer_residual[r * out + o] + t;
        y[r * out + o] = t;
      }
    }
  });
}

// ---- prepacked oneDNN path --------------------------------------------------------------

// The weights reordered into one oneDNN layout: every full-width chunk in `full_md`, the
// narrower last chunk in `tail_md`.
struct Packing {
  memory::desc full_md, tail_md;
  bool amx_tiles = false;  // every chunk in the layout detail::AmxInt8Gemm reads
  std::vector<memory> chunks;                // views into `storage`
  std::vector<std::shared_ptr<void>> storage;  // one block per chunk (AllocateWeightMemory)
};

// Everything needed to run one row count M: the packing used and the primitives for full
// chunks and for the narrower last chunk. Scratchpads are user-provided
// (scratchpad_mode::user) so that concurrent executions on different threads never share
// oneDNN's internal scratch buffer. `plain` means no efficient oneDNN kernel takes this M
// with the packings kept (f32 only, to avoid a second copy of the weights): use Gemm.
struct ChunkPrimitives {
  bool plain = false;
  std::shared_ptr<const Packing> packing;
  dnnl::matmul full, tail;
  memory::desc src, full_dst, tail_dst, full_bias, tail_bias, full_scratch, tail_scratch;
};

class PackedLinear {
 public:
  explicit PackedLinear(const LinearWeights& w)
      : int8_(w.quantized()), out_(w.out_features()), in_(w.in_features()),
        has_bias_(w.bias.defined()), weight_(w.weight) {
    const int64_t nchunks = (out_ + kChunk - 1) / kChunk;
    chunks_ = nchunks;
    tail_width_ = out_ - (nchunks - 1) * kChunk;
    has_full_ = nchunks > 1 || tail_width_ == kChunk;
    // Pack for a typical row count now. int8 runs one row as two (KernelRows), so M = 2
    // is prepared too: usually on the same packing, but a narrow or odd-sized layer may
    // need its own, and that is better made at load than by the first one-row request.
    Get(kReferenceRows);
    // Then the plain weights go, so that a prepared layer holds one copy of them:
    //  - f32 packs once (other row counts fall back to Gemm). When that packing keeps each
    //    chunk as a dense row-major [in, width] matrix, the fallbacks read it (ChunkData).
    //  - int8 may need another packing for another row count (oneDNN's VNNI kernel for a
    //    few rows of a narrow layer). It is rebuilt from the first packing, whose reorder
    //    back to the plain layout is checked here to give the weights exactly.
    if (packings_.size() == 1 &&
        (int8_ ? ReordersBackExactly(*packings_[0]) : DenseRowMajor(*packings_[0]))) {
      first_ = packings_[0];
      weight_ = Tensor();
    }
    if (int8_) Get(2);
  }

  // Whether the plain weights were let go: f32 fallbacks read ChunkData; int8 rebuilds
  // them (PlainWeights) for a new packing or the plain fallback.
  bool released_plain() const { return !weight_.defined(); }
  // The plain weights [out, in]: kept, or rebuilt from the first packing.
  Tensor PlainWeights() const { return weight_.defined() ? weight_ : Unpack(*first_); }
  // Chunk c of a released f32 layer: W[c*kChunk .. +width(c), :] transposed, [in, width]
  // row-major.
  const float* ChunkData(int64_t c) const {
    return static_cast<const float*>(first_->chunks[static_cast<size_t>(c)].get_data_handle());
  }

  bool int8() const { return int8_; }
  int64_t chunks() const { return chunks_; }
  int64_t width(int64_t c) const { return c + 1 < chunks_ ? kChunk : tail_width_; }

  // Primitives for M rows (created once per M, then shared).
  std::shared_ptr<const ChunkPrimitives> Get(int64_t m) const {
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = cache_.find(m);
      if (it != cache_.end()) return it->second;
    }
    std::lock_guard<std::mutex> create_lock(create_mu_);  // one creator at a time
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = cache_.find(m);
      if (it != cache_.end()) return it->second;
    }
    std::shared_ptr<const ChunkPrimitives> p = Create(m);
    std::lock_guard<std::mutex> lock(mu_);
    if (cache_.size() >= kMaxCachedShapes) cache_.clear();
    cache_.emplace(m, p);
    return p;
  }

 private:
  dt WeightType() const { return int8_ ? dt::s8 : dt::f32; }
  // Whether reordering `pack` back to the plain layout gives weight_ exactly (checked once,
  // before weight_ is let go).
  bool ReordersBackExactly(const Packing& pack) const {
    try {
      return std::memcmp(Unpack(pack).raw_data(), weight_.raw_data(), weight_.nbytes()) == 0;
    } catch (const dnnl::error&) {
      return false;
    }
  }
  // The weights [out, in] reordered back out of `pack` (chunk c gives rows
  // [c*kChunk, +width), the [in, width] matrix in "ba" layout).
  Tensor Unpack(const Packing& pack) const {
    Tensor plain = Tensor::Zeros(int8_ ? DType::kI8 : DType::kF32, {out_, in_});
    const auto& eng = detail::CpuEngine();
    auto& strm = detail::ThreadStream();
    char* dst = static_cast<char*>(const_cast<void*>(plain.raw_data()));
    const size_t elem = int8_ ? 1 : 4;
    for (int64_t c = 0; c < chunks_; ++c) {
      memory user({{in_, width(c)}, WeightType(), memory::format_tag::ba}, eng,
                  dst + c * kChunk * in_ * elem);
      memory packed = pack.chunks[static_cast<size_t>(c)];
      dnnl::reorder(packed, user).execute(strm, packed, user);
    }
    strm.wait();
    return plain;
  }
  // Every chunk [in, width] plain row-major (strides {width, 1}, no inner blocks)?
  bool DenseRowMajor(const Packing& pack) const {
    for (int64_t c = 0; c < chunks_; ++c) {
      const dnnl_memory_desc_t& d = pack.chunks[static_cast<size_t>(c)].get_desc().data;
      if (d.format_kind != dnnl_blocked || d.format_desc.blocking.inner_nblks != 0 ||
          d.format_desc.blocking.strides[0] != width(c) ||
          d.format_desc.blocking.strides[1] != 1 || d.offset0 != 0) {
        return false;
      }
    }
    return true;
  }
  memory::desc AnyLayout(int64_t width) const {
    return memory::desc({in_, width}, WeightType(), memory::format_tag::any);
  }

  // Called with create_mu_ held.
  std::shared_ptr<const ChunkPrimitives> Create(int64_t m) const {
    detail::ScopedOmpThreads serial(1);
    auto p = std::make_shared<ChunkPrimitives>();
    try {
      // A layout already packed, if an optimised (non-reference) kernel accepts it for M.
      for (const auto& pack : packings_) {
        if (Build(m, pack, /*allow_reference=*/false, *p)) return p;
      }
      if (!int8_ && !packings_.empty()) {
        p->plain = true;
        return p;
      }
      // The layout oneDNN prefers for M.
      auto pack = std::make_shared<Packing>();
      if (has_full_) pack->full_md = MakePd(m, kChunk, AnyLayout(kChunk)).weights_desc();
      pack->tail_md = tail_width_ == kChunk
                          ? pack->full_md
                          : MakePd(m, tail_width_, AnyLayout(tail_width_)).weights_desc();
      Pack(*pack);
      packings_.push_back(pack);
      if (Build(m, pack, /*allow_reference=*/true, *p)) return p;
    } catch (const dnnl::error&) {
    }
    p = std::make_shared<ChunkPrimitives>();
    p->plain = true;  // oneDNN cannot do it at all: the plain paths stay correct
    return p;
  }

  // Reorders every chunk of W [out, in] (rows [c*kChunk, +width) are the [in, width]
  // matrix in "ba" layout) into the packing's layout.
  void Pack(Packing& pack) const {
    const auto& eng = detail::CpuEngine();
    auto& strm = detail::ThreadStream();
    const Tensor plain = PlainWeights();
    const char* src = static_cast<const char*>(plain.raw_data());
    const size_t elem = int8_ ? 1 : 4;
    for (int64_t c = 0; c < chunks_; ++c) {
      const int64_t w = width(c);
      memory user({{in_, w}, WeightType(), memory::format_tag::ba}, eng,
                  const_cast<char*>(src + c * kChunk * in_ * elem));
      const memory::desc& md = c + 1 < chunks_ ? pack.full_md : pack.tail_md;
      pack.storage.push_back(detail::AllocateWeightMemory(md.get_size()));
      memory packed(md, eng, pack.storage.back().get());
      dnnl::reorder(user, packed).execute(strm, user, packed);
      pack.chunks.push_back(packed);
    }
    strm.wait();
    pack.amx_tiles = int8_;
    for (int64_t c = 0; c < chunks_; ++c) {
      pack.amx_tiles = pack.amx_tiles && IsAmxTileLayout(pack.chunks[static_cast<size_t>(c)]);
    }
  }

  // oneDNN's "BA16a64b4a" packing of an s8 [in, width] chunk, without compensation (AMX):
  // what detail::AmxInt8Gemm reads.
  bool IsAmxTileLayout(const memory& chunk) const {
    const dnnl_memory_desc_t& d = chunk.get_desc().data;
    if (d.data_type != dnnl_s8 || d.format_kind != dnnl_blocked || d.extra.flags != 0 ||
        d.offset0 != 0 || d.ndims != 2) {
      return false;
    }
    const auto& b = d.format_desc.blocking;
    const int64_t k_padded = (in_ + 63) / 64 * 64;
    return b.inner_nblks == 3 && b.inner_blks[0] == 16 && b.inner_idxs[0] == 0 &&
           b.inner_blks[1] == 64 && b.inner_idxs[1] == 1 && b.inner_blks[2] == 4 &&
           b.inner_idxs[2] == 0 && b.strides[0] == 64 * 64 && b.strides[1] == k_padded * 64 &&
           d.padded_dims[0] == k_padded && d.padded_dims[1] % 64 == 0;
  }

  static bool IsReference(const dnnl::matmul::primitive_desc& pd) {
    return std::string(pd.impl_info_str()).rfind("ref", 0) == 0;
  }

  bool Build(int64_t m, const std::shared_ptr<const Packing>& pack, bool allow_reference,
             ChunkPrimitives& p) const {
    dnnl::matmul::primitive_desc full, tail;
    try {
      if (has_full_) full = MakePd(m, kChunk, pack->full_md);
      tail = MakePd(m, tail_width_, pack->tail_md);
    } catch (const dnnl::error&) {
      return false;
    }
    if (!allow_reference && ((has_full_ && IsReference(full)) || IsReference(tail))) {
      return false;
    }
    if (has_full_) {
      p.full = dnnl::matmul(full);
      p.full_dst = full.dst_desc();
      p.full_scratch = full.scratchpad_desc();
      if (has_bias_) p.full_bias = full.bias_desc();
    }
    p.tail = dnnl::matmul(tail);
    p.src = tail.src_desc();
    p.tail_dst = tail.dst_desc();
    p.tail_scratch = tail.scratchpad_desc();
    if (has_bias_) p.tail_bias = tail.bias_desc();
    p.packing = pack;
    return true;
  }

  // matmul [m, in] x [in, width] -> [m, width]. f32: dst rows are strided by `out` (the
  // chunk is written in place into y) and the bias is fused. int8: dst is a dense s32
  // scratch block; scales and bias are applied afterwards (Dequantize).
  dnnl::matmul::primitive_desc MakePd(int64_t m, int64_t width, const memory::desc& wmd) const {
    memory::desc src({m, in_}, int8_ ? dt::s8 : dt::f32, memory::dims{in_, 1});
    memory::desc dst = int8_ ? memory::desc({m, width}, dt::s32, memory::dims{width, 1})
                             : memory::desc({m, width}, dt::f32, memory::dims{out_, 1});
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    if (!int8_ && has_bias_) {
      memory::desc bias({1, width}, dt::f32, memory::format_tag::ab);
      return dnnl::matmul::primitive_desc(dnnl::matmul::desc(src, wmd, bias, dst), attr,
                                          detail::CpuEngine());
    }
    return dnnl::matmul::primitive_desc(dnnl::matmul::desc(src, wmd, dst), attr,
                                        detail::CpuEngine());
  }

  bool int8_;
  int64_t out_, in_;
  bool has_bias_;
  Tensor weight_;          // the plain weights, until the first packing replaces them
  // That packing once weight_ is let go (set in the constructor, then read-only: unlike
  // packings_, readable without a lock).
  std::shared_ptr<const Packing> first_;
  int64_t chunks_ = 0;
  bool has_full_ = false;  // some chunk is kChunk wide (else the only chunk is the tail)
  int64_t tail_width_ = 0;
  mutable std::mutex create_mu_;  // guards packings_ and serialises primitive creation
  mutable std::vector<std::shared_ptr<const Packing>> packings_;
  mutable std::mutex mu_;         // guards cache_
  mutable std::unordered_map<int64_t, std::shared_ptr<const ChunkPrimitives>> cache_;
};

// Whether to give each thread a block of rows (all columns) instead of a share of the
// column chunks. Rows keep a thread's inputs and outputs in its own core's cache from one
// layer to the next (row-wise steps such as LayerNorm split the same way); columns read
// each weight once in total, which wins in f32 when the weights dwarf the activations
// (the 8404-wide output layer over a hundred tokens). The result must not depend on the
// split: int8 sums are exact integers; f32 row blocks run the same packed kernel, whose
// sum order does not depend on the row count (checked bit for bit against one call in
// kernels_linear_test), so rows are only used when every block size and the whole row
// count run on packed primitives, never on the plain fallback.
// Whether m rows and both sizes of `blocks` row blocks of them run on packed primitives
// (f32: the kernel whose sum order does not depend on the row count).
bool PackedKernelForRowBlocks(const PackedLinear& pk, int64_t m, int64_t blocks) {
  const int64_t small = m / blocks, large = (m + blocks - 1) / blocks;
  return !pk.Get(m)->plain && !pk.Get(small)->plain && !pk.Get(large)->plain;
}

bool SplitRows(const PackedLinear& pk, int64_t m, int64_t out, int64_t in) {
  const int threads = detail::KernelThreads();
  const int64_t blocks = std::min<int64_t>(threads, m / kMinRowsPerThread);
  if (blocks < 2 || 2.0 * m * out * in < kMinParallelOps) return false;
  // int8: always rows (measured faster on every Paraformer layer, the 8404-wide output
  // layer included: int8 weights are a quarter of the f32 bytes, and rows need no separate
  // parallel quantisation step).
  if (pk.int8()) return true;
  if (4 * m < out) return false;  // f32 weights dominate: split the columns
  return PackedKernelForRowBlocks(pk, m, blocks);
}

// Dense f32 layer on the packed chunks of a layer whose plain weights were released
// (PackedLinear::ChunkData): per chunk, the product into a buffer of the thread (one row:
// Eigen's vector-matrix product; more: Gemm), then bias and epilogue row by row into y.
// The chunks are fixed, so the result does not depend on the thread count.
void LinearF32OnChunks(const float* x, int64_t m, const LinearWeights& w,
                       const PackedLinear& pk, float* y, const LinearEpilogue& e) {
  const int64_t out = w.out_features(), in = w.in_features();
  const float* bias = w.bias.defined() ? w.bias.data<float>() : nullptr;
  const int64_t chunks = pk.chunks();
  const int threads = 2.0 * m * out * in < kMinParallelOps
                          ? 1
                          : static_cast<int>(std::min<int64_t>(detail::KernelThreads(), chunks));
  ParallelFor(chunks, threads, [&](int64_t c) {
    thread_local std::vector<float> product;
    const int64_t n0 = c * kChunk, nb = pk.width(c);
    product.resize(static_cast<size_t>(m * nb));
    using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    if (m == 1) {
      Eigen::Map<Eigen::RowVectorXf> p(product.data(), nb);
      p.noalias() = Eigen::Map<const Eigen::RowVectorXf>(x, in) *
                    Eigen::Map<const RowMajor>(pk.ChunkData(c), in, nb);
    } else {
      Gemm(/*trans_b=*/false, m, nb, in, 1.f, x, in, pk.ChunkData(c), nb, 0.f, product.data(),
           nb);
    }
    using Row = Eigen::Map<const Eigen::ArrayXf>;
    for (int64_t r = 0; r < m; ++r) {
      Eigen::Map<Eigen::ArrayXf> v(product.data() + r * nb, nb);
      if (bias) v += Row(bias + n0, nb);
      if (e.relu) v = v.max(0.f);
      if (e.residual) v = Row(e.residual + r * out + n0, nb) + v;
      if (e.outer_residual) v = Row(e.outer_residual + r * out + n0, nb) + v;
      Eigen::Map<Eigen::ArrayXf>(y + r * out + n0, nb) = v;
    }
    if (product.capacity() > kMaxKeptScratch / sizeof(float)) std::vector<float>().swap(product);
  });
}

// Dense f32 layer on the plain weights (Gemm), then the epilogue. A residual that is y
// itself needs the product in a separate buffer first. Prepared layers whose plain
// weights were released run on their packed chunks instead.
void LinearF32Plain(const float* x, int64_t m, const LinearWeights& w, float* y,
                    const LinearEpilogue& e) {
  if (!w.weight.defined()) {
    LinearF32OnChunks(x, m, w, *static_cast<const PackedLinear*>(w.packed.get()), y, e);
    return;
  }
  const int64_t out = w.out_features(), in = w.in_features();
  std::vector<float> product;
  float* dst = y;
  if (ReadsOutput(e, y)) {
    product.resize(static_cast<size_t>(m * out));
    dst = product.data();
  }
  Gemm(/*trans_b=*/true, m, out, in, 1.f, x, in, w.weight.data<float>(), in, 0.f, dst, out);
  if (w.bias.defined()) AddBias(dst, m, out, w.bias.data<float>());
  ApplyEpilogue(e, e.residual, e.outer_residual, m, out, dst, out);
  if (dst != y) std::copy(dst, dst + m * out, y);
}

// The row count oneDNN computes for a call with m rows (rows [m, kernel rows) of the
// quantised input are zero and their outputs are dropped). f32: m (oneDNN's gemm:jit runs
// every m at the same rate per row). int8, for oneDNN 2.6's AMX kernel:
//  - One row runs as two. For M = 1 oneDNN picks its VNNI kernel, whose weights need
//    another packing (with s8 compensation): a third copy of every weight, 216 MB for int8
//    paraformer-large. The AMX kernel at two rows reuses the one packing, at ~15-25 % more
//    time per one-row call.
//  - Above 16 rows, M is rounded up to a multiple of 8. The kernel's M blocking (the
//    largest divisor of M in [32, 64], else 64 with a tail) makes many row counts 1.5-4x
//    slower than their neighbours (53, 59, 61, 117, 123, 125, 181, 187, 189, 309, 315,
//    317, ...; gemm_bench's BM_Int8RowCounts), while every multiple of 8 runs at the rate
//    of its neighbours. The at most 7 extra rows cost ~1-3 % of a call.
// A row's integer sums do not depend on the other rows, so the results are unchanged.
int64_t KernelRows(const PackedLinear& pk, int64_t m) {
  if (!pk.int8()) return m;
  return m <= 16 ? std::max<int64_t>(m, 2) : (m + 7) / 8 * 8;
}

void LinearPacked(const float* x, int64_t m, const LinearWeights& w, const PackedLinear& pk,
                  float* y, const LinearEpilogue& e) {
  const int64_t out = w.out_features(), in = w.in_features();
  if (SplitRows(pk, m, out, in)) {
    const int64_t blocks = std::min<int64_t>(detail::KernelThreads(), m / kMinRowsPerThread);
    ParallelFor(blocks, static_cast<int>(blocks), [&](int64_t b) {
      const int64_t r0 = m * b / blocks, r1 = m * (b + 1) / blocks;
      LinearEpilogue block = e;
      if (e.residual) block.residual = e.residual + r0 * out;
      if (e.outer_residual) block.outer_residual = e.outer_residual + r0 * out;
      LinearPacked(x + r0 * in, r1 - r0, w, pk, y + r0 * out, block);
    });
    return;
  }
  const int64_t km = KernelRows(pk, m);
  auto prims = pk.Get(km);
  if (prims->plain) {
    if (pk.int8()) {
      const Tensor plain = pk.PlainWeights();
      LinearInt8Plain(x, m, w, plain.data<int8_t>(), y, e);
    } else {
      LinearF32Plain(x, m, w, y, e);
    }
    return;
  }
  const int64_t chunks = pk.chunks();
  const int kernel_threads = detail::KernelThreads();
  int threads = static_cast<int>(std::min<int64_t>(kernel_threads, chunks));
  if (2.0 * m * out * in < kMinParallelOps) threads = 1;
  // Quantised activations, in buffers of the calling thread reused across calls (a fresh
  // vector per call was a page-faulting, zero-filled allocation for every layer). Rows
  // [m, km) are zero (KernelRows).
  thread_local std::vector<int8_t> xq_buffer;
  thread_local std::vector<float> xs_buffer;
  int8_t* xq = nullptr;
  float* xs = nullptr;
  if (pk.int8()) {
    const size_t padded = static_cast<size_t>(km * in);
    if (xq_buffer.size() < padded) xq_buffer.resize(padded);
    if (xs_buffer.size() < static_cast<size_t>(m)) xs_buffer.resize(static_cast<size_t>(m));
    xq = xq_buffer.data();
    xs = xs_buffer.data();
    QuantizeRowsParallel(x, m, in, xq, xs, threads > 1 ? kernel_threads : 1);
    std::fill(xq + m * in, xq + padded, int8_t{0});
  }
  // Our AMX kernel instead of oneDNN's, on the same packing (see the top of this file). It
  // reads the quantised rows in tile order.
  const bool amx = pk.int8() && prims->packing->amx_tiles && m >= kAmxMinRows &&
                   detail::AmxRows(m) <= kAmxMaxRows && in <= kAmxMaxInputs &&
                   detail::AmxInt8GemmEnabled() && detail::AmxInt8Available();
  thread_local std::vector<int8_t> tiles_buffer;
  if (amx) {
    tiles_buffer.resize(static_cast<size_t>(detail::AmxPackedABytes(m, in)));
    detail::AmxPackA(xq, in, m, in, tiles_buffer.data());
  }
  const int8_t* tiles = tiles_buffer.data();
  const float* bias = w.bias.defined() ? w.bias.data<float>() : nullptr;
  const float* ws = pk.int8() ? w.scales.data<float>() : nullptr;
  // f32 writes the product straight into y, so a residual that is y itself needs the
  // product in a buffer of the calling thread first (chunks write disjoint columns of it).
  thread_local std::vector<float> product_buffer;
  float* dst = y;
  if (!pk.int8() && ReadsOutput(e, y)) {
    if (product_buffer.size() < static_cast<size_t>(m * out)) {
      product_buffer.resize(static_cast<size_t>(m * out));
    }
    dst = product_buffer.data();
  }
  std::atomic<bool> ok{true};
  auto run_chunk = [&](int64_t c) {
    // Per-thread buffers, reused across calls (released when unusually large).
    thread_local std::vector<int32_t> acc;
    thread_local std::vector<char> scratch;
    const auto& eng = detail::CpuEngine();
    auto& strm = detail::ThreadStream();
    const bool tail = c + 1 == chunks;
    const int64_t n0 = c * kChunk, nb = pk.width(c);
    const dnnl::matmul& prim = tail ? prims->tail : prims->full;
    int64_t ld_acc = nb;  // row stride of the int8 sums
    if (amx) {
      const auto chunk_data = [&](int64_t i) {
        return static_cast<const int8_t*>(
            prims->packing->chunks[static_cast<size_t>(i)].get_data_handle());
      };
      ld_acc = detail::AmxColumns(nb);
      acc.resize(static_cast<size_t>(detail::AmxRows(m) * ld_acc));
      // The next chunk's first panel is prefetched during this one's last: this thread
      // usually runs it next (row blocks run every chunk in order).
      detail::AmxInt8Gemm(tiles, m, {chunk_data(c), in, nb}, acc.data(), ld_acc,
                          c + 1 < chunks ? chunk_data(c + 1) : nullptr);
    } else {
      try {
        memory src(prims->src, eng,
                   pk.int8() ? static_cast<void*>(xq) : const_cast<float*>(x));
        std::unordered_map<int, memory> args{{DNNL_ARG_SRC, src},
                                             {DNNL_ARG_WEIGHTS, prims->packing->chunks[static_cast<size_t>(c)]}};
        const memory::desc& scratch_md = tail ? prims->tail_scratch : prims->full_scratch;
        if (scratch_md.get_size() > 0) {
          scratch.resize(scratch_md.get_size() + 64);
          void* p = scratch.data();
          size_t space = scratch.size();
          args.emplace(DNNL_ARG_SCRATCHPAD,
                       memory(scratch_md, eng, std::align(64, scratch_md.get_size(), p, space)));
        }
        if (pk.int8()) {
          acc.resize(static_cast<size_t>(km * nb));
          args.emplace(DNNL_ARG_DST, memory(tail ? prims->tail_dst : prims->full_dst, eng,
                                            acc.data()));
        } else {
          args.emplace(DNNL_ARG_DST,
                       memory(tail ? prims->tail_dst : prims->full_dst, eng, dst + n0));
          if (bias) {
            args.emplace(DNNL_ARG_BIAS, memory(tail ? prims->tail_bias : prims->full_bias, eng,
                                               const_cast<float*>(bias + n0)));
          }
        }
        prim.execute(strm, args);
        strm.wait();
      } catch (const dnnl::error&) {
        ok = false;
        return;
      }
    }
    const float* residual = e.residual ? e.residual + n0 : nullptr;
    const float* outer = e.outer_residual ? e.outer_residual + n0 : nullptr;
    if (pk.int8()) {
      Dequantize(acc.data(), ld_acc, m, nb, xs, ws + n0, bias ? bias + n0 : nullptr, e,
                 residual, outer, y + n0, out);
    } else {
      // On the product (in y, or in the buffer when the epilogue reads y), then into y.
      ApplyEpilogue(e, residual, outer, m, nb, dst + n0, out);
      if (dst != y) {
        for (int64_t r = 0; r < m; ++r) {
          std::copy(dst + r * out + n0, dst + r * out + n0 + nb, y + r * out + n0);
        }
      }
    }
    if (acc.capacity() > kMaxKeptScratch / sizeof(int32_t)) std::vector<int32_t>().swap(acc);
    if (scratch.capacity() > kMaxKeptScratch) std::vector<char>().swap(scratch);
  };
  detail::ScopedOmpThreads serial(1);  // each chunk is one single-threaded primitive
  ParallelFor(chunks, threads, run_chunk);
  if (xq_buffer.capacity() > kMaxKeptScratch) std::vector<int8_t>().swap(xq_buffer);
  if (tiles_buffer.capacity() > kMaxKeptScratch) std::vector<int8_t>().swap(tiles_buffer);
  if (product_buffer.capacity() > kMaxKeptScratch / sizeof(float)) {
    std::vector<float>().swap(product_buffer);
  }
  FUNASR_CHECK(ok.load(), ErrorCode::kInternal, "Linear: oneDNN matmul failed for ", m, "x",
               in, " -> ", out);
}

}  // namespace

void Linear(const float* x, int64_t m, const LinearWeights& w, float* y,
            const LinearEpilogue& epilogue) {
  CheckWeights(w);
  FUNASR_CHECK(m >= 0, ErrorCode::kInternal, "Linear: negative row count");
  if (m == 0) return;
  const auto* packed = static_cast<const PackedLinear*>(w.packed.get());
  if (packed && (packed->int8() || m > 1)) {
    LinearPacked(x, m, w, *packed, y, epilogue);
    return;
  }
  if (w.quantized()) {
    LinearInt8Plain(x, m, w, w.weight.data<int8_t>(), y, epilogue);
    return;
  }
  LinearF32Plain(x, m, w, y, epilogue);
}

bool LinearRowBlocksExact(const LinearWeights& w, int64_t m, int64_t blocks) {
  if (w.quantized()) return true;
  if (w.packed == nullptr || blocks < 1 || m / blocks < 2) return false;  // 1 row: GEMV
  return PackedKernelForRowBlocks(*static_cast<const PackedLinear*>(w.packed.get()), m, blocks);
}

LinearWeights QuantizeLinearInt8(const LinearWeights& w) {
  CheckWeights(w);
  FUNASR_CHECK(w.weight.defined(), ErrorCode::kInternal,
               "QuantizeLinearInt8: the weights were released by PrepareLinear");
  FUNASR_CHECK(!w.quantized(), ErrorCode::kInternal, "QuantizeLinearInt8: already int8");
  const int64_t out = w.out_features(), in = w.in_features();
  LinearWeights q;
  q.weight = Tensor::Zeros(DType::kI8, {out, in});
  q.scales = Tensor::Zeros(DType::kF32, {out});
  q.bias = w.bias;
  const float* src = w.weight.data<float>();
  int8_t* dst = q.weight.mutable_data<int8_t>();
  float* scales = q.scales.mutable_data<float>();
  for (int64_t o = 0; o < out; ++o) {
    const float* row = src + o * in;
    float amax = 0.f;
    for (int64_t i = 0; i < in; ++i) amax = std::max(amax, std::fabs(row[i]));
    const float scale = amax > 0.f ? amax / 127.f : 1.f;
    const float inv = 1.f / scale;
    for (int64_t i = 0; i < in; ++i) {
      dst[o * in + i] = static_cast<int8_t>(std::clamp(std::lrintf(row[i] * inv), -127L, 127L));
    }
    scales[o] = scale;
  }
  return q;
}

void PrepareLinear(LinearWeights& w) {
  CheckWeights(w);
  if (w.packed || w.out_features() == 0 || w.in_features() == 0) return;
  std::shared_ptr<const PackedLinear> pk;
  try {
    pk = std::make_shared<const PackedLinear>(w);
  } catch (const dnnl::error&) {
    return;  // no oneDNN implementation here: the plain paths stay correct
  }
  w.packed = pk;
  if (pk->released_plain()) {
    w.packed_out = w.out_features();
    w.packed_in = w.in_features();
    w.packed_int8 = w.quantized();
    w.weight = Tensor();
  }
}

}  // namespace funasr::kernels
