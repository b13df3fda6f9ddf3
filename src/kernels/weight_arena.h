// Memory for prepacked weights, backed by transparent huge pages where the OS offers them.
//
// Why: a GEMM streams every weight of a layer once per call, so paraformer-large touches
// ~880 MB (f32) or ~220 MB (int8) of weights per utterance, 4 KB page after 4 KB page.
// Each new page costs a TLB miss, and under virtualisation (nested paging) a TLB miss is a
// two-level page walk. With 2 MB pages the walks all but disappear: on the 2-vCPU VM of
// benchmarks/README.md, one-thread RTF on 20 s went from 0.066-0.075 to 0.054-0.059 (f32)
// and from 0.018-0.019 to 0.016-0.017 (int8) on a day with slow memory.
//
// Allocations are carved from 2 MB-aligned slabs advised with MADV_HUGEPAGE (a hint: with
// THP disabled they are ordinary pages). Small layers share a slab, so rounding costs at
// most one partly used slab per process. A slab is freed when the last block carved from
// it is released, so loading and unloading models does not accumulate memory.
#pragma once

#include <cstddef>
#include <memory>

namespace funasr::kernels::detail {

// A zero-initialised block of `bytes` bytes, 64-byte aligned, valid while the returned
// pointer (or a copy) lives. Thread-safe. Throws std::bad_alloc when out of memory.
std::shared_ptr<void> AllocateWeightMemory(size_t bytes);

// Bytes handed out by AllocateWeightMemory since the process started (released blocks
// included), so tests can check that a call packs no further copy of the weights.
size_t AllocatedWeightBytes();

}  // namespace funasr::kernels::detail
