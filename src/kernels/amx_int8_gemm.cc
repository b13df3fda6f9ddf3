#include "kernels/amx_int8_gemm.h"

#include <cpuid.h>
#include <immintrin.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>

namespace funasr::kernels::detail {

namespace {

// The packing's geometry (oneDNN "BA16a64b4a" for an s8 [k, n] matrix): 64×64 blocks of
// 4096 bytes, N-blocks outermost; inside a block, 16 groups of 4 k-values, each group a
// 256-byte row of 64 columns × 4 k-values. A B tile (16 rows of 64 bytes: 16 columns × 4
// k-values, TDPBSSD's layout) is therefore one 64-byte line of each of the 16 group rows.
constexpr int64_t kBlock = 64;
constexpr int64_t kBlockBytes = kBlock * kBlock;
constexpr int64_t kGroupBytes = 256;
constexpr int64_t kPanel = 32;  // columns per panel: two B tiles

// Tile register use: C 0-3 (2×2 tiles of 16×16 s32), A 4-5 (16 rows × 64 k), B 6-7.
struct alignas(64) TileConfig {
  uint8_t palette = 1;
  uint8_t start_row = 0;
  uint8_t reserved[14] = {};
  uint16_t colsb[16] = {};
  uint8_t rows[16] = {};
};

int64_t RoundUp(int64_t x, int64_t to) { return (x + to - 1) / to * to; }

bool DetectAmxInt8() {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid(1, &a, &b, &c, &d) || (c & (1u << 27)) == 0) return false;  // OSXSAVE
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
  if ((d & (1u << 24)) == 0 || (d & (1u << 25)) == 0) return false;  // AMX-TILE, AMX-INT8
  uint32_t lo = 0, hi = 0;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  if ((lo & (3u << 17)) != (3u << 17)) return false;  // XTILECFG, XTILEDATA enabled
  // Linux hands out the 8 KB tile state only on request (once per process).
  constexpr long kArchReqXcompPerm = 0x1023;
  constexpr long kXfeatureXtiledata = 18;
  return syscall(SYS_arch_prctl, kArchReqXcompPerm, kXfeatureXtiledata) == 0;
}

std::atomic<uint64_t> gemm_calls{0};

std::atomic<bool>& EnabledFlag() {
  static std::atomic<bool> enabled{[] {
    const char* env = std::getenv("FUNASR_AMX_GEMM");
    return env == nullptr || std::strcmp(env, "0") != 0;
  }()};
  return enabled;
}

// Address of the i-th cache line of the panel starting at `panel` (two lines per group row,
// 16 group rows per k-block).
inline const int8_t* PanelLine(const int8_t* panel, int64_t i) {
  return panel + (i >> 5) * kBlockBytes + ((i >> 1) & 15) * kGroupBytes + (i & 1) * 64;
}

}  // namespace

bool AmxInt8Available() {
  static const bool available = DetectAmxInt8();
  return available;
}

bool AmxInt8GemmEnabled() { return EnabledFlag().load(std::memory_order_relaxed); }
void SetAmxInt8GemmEnabled(bool enabled) { EnabledFlag().store(enabled); }

uint64_t AmxInt8GemmCalls() { return gemm_calls.load(std::memory_order_relaxed); }

int64_t AmxRows(int64_t m) { return RoundUp(m, 16); }
int64_t AmxColumns(int64_t n) { return RoundUp(n, kPanel); }

int64_t AmxPackedABytes(int64_t m, int64_t k) {
  return AmxRows(m) / 16 * (RoundUp(k, kBlock) / kBlock) * 1024;
}

void AmxPackA(const int8_t* a, int64_t lda, int64_t m, int64_t k, int8_t* out) {
  const int64_t rows = AmxRows(m), kb_count = RoundUp(k, kBlock) / kBlock;
  for (int64_t mb = 0; mb < rows / 16; ++mb) {
    for (int64_t kb = 0; kb < kb_count; ++kb) {
      int8_t* tile = out + (mb * kb_count + kb) * 1024;
      const int64_t k0 = kb * kBlock, kn = std::min<int64_t>(kBlock, k - k0);
      for (int64_t r = 0; r < 16; ++r) {
        const int64_t row = mb * 16 + r;
        int8_t* dst = tile + r * 64;
        if (row < m) {
          std::memcpy(dst, a + row * lda + k0, static_cast<size_t>(kn));
          if (kn < 64) std::memset(dst + kn, 0, static_cast<size_t>(64 - kn));
        } else {
          std::memset(dst, 0, 64);
        }
      }
    }
  }
}

__attribute__((target("amx-tile,amx-int8"))) void AmxInt8Gemm(const int8_t* ap, int64_t m,
                                                              const AmxPackedB& b, int32_t* c,
                                                              int64_t ldc, const int8_t* next) {
  gemm_calls.fetch_add(1, std::memory_order_relaxed);
  const int64_t rows = AmxRows(m);
  const int64_t k_blocks = RoundUp(b.k, kBlock) / kBlock;
  const int64_t n_block_bytes = k_blocks * kBlockBytes;
  const int64_t panels = AmxColumns(b.n) / kPanel;
  const int64_t panel_lines = k_blocks * 32;
  // k is taken in slices of kSliceBlocks blocks so that a panel's slice of B (32 columns
  // × 512 k = 16 KB) stays in L1 while every row block passes over it; the sums of later
  // slices are added onto the stored ones.
  constexpr int64_t kSliceBlocks = 8;
  const int64_t m_steps = (rows + 31) / 32;
  const int64_t k_steps_per_panel = m_steps * k_blocks;
  const int64_t per_k = (panel_lines + k_steps_per_panel - 1) / k_steps_per_panel;
  const long s64 = 64;
  const long sb = static_cast<long>(kGroupBytes);
  const long sc = static_cast<long>(ldc * sizeof(int32_t));
  const int64_t a_block = k_blocks * 1024;
  auto panel_start = [&](const int8_t* data, int64_t p) {
    const int64_t n0 = p * kPanel;
    return data + (n0 / kBlock) * n_block_bytes + (n0 % kBlock) * 4;
  };
  TileConfig config;
  for (int t = 0; t < 8; ++t) {
    config.colsb[t] = 64;
    config.rows[t] = 16;
  }
  __asm__ volatile("" ::: "memory");
  _tile_loadconfig(&config);
  for (int64_t p = 0; p < panels; ++p) {
    const int8_t* panel = panel_start(b.data, p);
    const int8_t* ahead = p + 1 < panels ? panel_start(b.data, p + 1) : next;
    int64_t line = ahead != nullptr ? 0 : panel_lines;
    int32_t* cp = c + p * kPanel;
    for (int64_t kb0 = 0; kb0 < k_blocks; kb0 += kSliceBlocks) {
      const int64_t kb1 = std::min(k_blocks, kb0 + kSliceBlocks);
      const bool first = kb0 == 0;
      int64_t m0 = 0;
      for (; m0 + 32 <= rows; m0 += 32) {
        int32_t* cm = cp + m0 * ldc;
        if (first) {
          _tile_zero(0);
          _tile_zero(1);
          _tile_zero(2);
          _tile_zero(3);
        } else {
          _tile_loadd(0, cm, sc);
          _tile_loadd(1, cm + 16, sc);
          _tile_loadd(2, cm + 16 * ldc, sc);
          _tile_loadd(3, cm + 16 * ldc + 16, sc);
        }
        const int8_t* a0 = ap + (m0 / 16) * a_block + kb0 * 1024;
        const int8_t* a1 = a0 + a_block;
        const int8_t* bk = panel + kb0 * kBlockBytes;
        _tile_loadd(4, a0, s64);
        _tile_loadd(6, bk, sb);
        _tile_loadd(7, bk + 64, sb);
        _tile_loadd(5, a1, s64);
        for (int64_t kb = kb0 + 1; kb < kb1; ++kb) {
          a0 += 1024;
          a1 += 1024;
          bk += kBlockBytes;
          for (int64_t j = 0; j < per_k && line < panel_lines; ++j, ++line) {
            _mm_prefetch(reinterpret_cast<const char*>(PanelLine(ahead, line)), _MM_HINT_T1);
          }
          _tile_dpbssd(0, 4, 6);
          _tile_dpbssd(1, 4, 7);
          _tile_loadd(4, a0, s64);
          _tile_dpbssd(2, 5, 6);
          _tile_loadd(6, bk, sb);
          _tile_dpbssd(3, 5, 7);
          _tile_loadd(7, bk + 64, sb);
          _tile_loadd(5, a1, s64);
        }
        _tile_dpbssd(0, 4, 6);
        _tile_dpbssd(1, 4, 7);
        _tile_dpbssd(2, 5, 6);
        _tile_dpbssd(3, 5, 7);
        _tile_stored(0, cm, sc);
        _tile_stored(1, cm + 16, sc);
        _tile_stored(2, cm + 16 * ldc, sc);
        _tile_stored(3, cm + 16 * ldc + 16, sc);
      }
      if (m0 < rows) {  // a last block of 16 rows
        int32_t* cm = cp + m0 * ldc;
        if (first) {
          _tile_zero(0);
          _tile_zero(1);
        } else {
          _tile_loadd(0, cm, sc);
          _tile_loadd(1, cm + 16, sc);
        }
        const int8_t* a0 = ap + (m0 / 16) * a_block + kb0 * 1024;
        const int8_t* bk = panel + kb0 * kBlockBytes;
        for (int64_t kb = kb0; kb < kb1; ++kb, a0 += 1024, bk += kBlockBytes) {
          _tile_loadd(4, a0, s64);
          _tile_loadd(6, bk, sb);
          _tile_loadd(7, bk + 64, sb);
          _tile_dpbssd(0, 4, 6);
          _tile_dpbssd(1, 4, 7);
        }
        _tile_stored(0, cm, sc);
        _tile_stored(1, cm + 16, sc);
      }
    }
    for (; line < panel_lines; ++line) {
      _mm_prefetch(reinterpret_cast<const char*>(PanelLine(ahead, line)), _MM_HINT_T1);
    }
  }
  _tile_release();
  __asm__ volatile("" ::: "memory");
}

}  // namespace funasr::kernels::detail
