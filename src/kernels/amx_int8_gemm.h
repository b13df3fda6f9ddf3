// An int8 GEMM on AMX tiles that reads oneDNN's packed AMX weights and hides the stream of
// those weights from memory behind its own products.
//
// Why it exists: oneDNN 2.6's AMX matmul loads each weight panel only when it needs it, so
// a call costs a + b·M, where `a` is the weight stream at one core's memory rate (~10 GB/s
// here, ~110 µs per MB). A model whose weights do not fit in cache pays `a` on every layer,
// and a two-thread row split pays it on each core. This kernel prefetches the next
// 32-column panel of weights into L2, a few lines per k-step, while it multiplies the
// current panel over all rows. Where its own products keep up (k up to ~1024, up to ~200
// rows: the per-core calls of paraformer-large on two threads) that hides most of `a`
// (benchmarks/README.md, "Seventh day"). The sums are exact int32 either way, so results
// are bit-identical to oneDNN's.
#pragma once

#include <cstdint>

namespace funasr::kernels::detail {

// Whether the CPU has AMX-INT8 and the OS lets this process use the tile registers
// (Linux: arch_prctl(ARCH_REQ_XCOMP_PERM), requested once). Cached.
bool AmxInt8Available();

// Whether Linear uses AmxInt8Gemm where it applies: yes unless the environment sets
// FUNASR_AMX_GEMM=0 (tests switch it to compare with oneDNN's kernel).
bool AmxInt8GemmEnabled();
void SetAmxInt8GemmEnabled(bool enabled);

// Rows the kernel computes for m rows: m rounded up to a multiple of 16.
int64_t AmxRows(int64_t m);
// Columns of C it writes for n columns: n rounded up to a multiple of 32 (past n: zeros).
int64_t AmxColumns(int64_t n);

// A in tile order: for each block of 16 rows, for each 64-wide slice of k, the 16×64 tile
// (1 KB, rows of 64 bytes). Rows past m and k past its end are zero.
int64_t AmxPackedABytes(int64_t m, int64_t k);
void AmxPackA(const int8_t* a, int64_t lda, int64_t m, int64_t k, int8_t* packed);

// oneDNN's AMX packing of an s8 [k, n] weight matrix: format "BA16a64b4a", i.e. 64×64
// blocks of 4096 bytes, N-blocks outermost; inside a block 16 groups of 4 k-values, each a
// 256-byte row of 64 columns × 4 k-values. k and n are zero-padded to multiples of 64.
struct AmxPackedB {
  const int8_t* data = nullptr;
  int64_t k = 0;  // logical rows (the layer's in_features)
  int64_t n = 0;  // logical columns (the chunk width)
};

// c[AmxRows(m), AmxColumns(b.n)] (s32, row stride ldc) = A · B, with A packed by AmxPackA
// for (m, b.k). While the last panel runs, the first panel of `next` (packed weights with
// the same k that the caller runs next, or null) is prefetched. Requires
// AmxInt8Available(); runs on the calling thread.
void AmxInt8Gemm(const int8_t* packed_a, int64_t m, const AmxPackedB& b, int32_t* c,
                 int64_t ldc, const int8_t* next);

// Calls of AmxInt8Gemm so far in this process (tests check that a path takes it).
uint64_t AmxInt8GemmCalls();

}  // namespace funasr::kernels::detail
