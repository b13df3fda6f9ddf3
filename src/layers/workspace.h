// Workspace: reusable scratch memory for one request's forward passes.
//
// Layers need large temporaries (q/k/v projections, attention scores, FFN hidden rows).
// Allocating them per call would page-fault fresh memory on every layer, so each request
// owns a Workspace that hands out aligned float buffers from a few big blocks (a bump
// allocator) and takes them back when the enclosing Scope ends. After the first request of
// a given size the blocks fit and no further allocation happens.
//
// Not thread-safe: one Workspace per thread. A layer's ParallelFor body must use buffers
// carved out before the call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace funasr::layers {

class Workspace {
 public:
  Workspace() = default;
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  // `n` floats, 64-byte aligned, uninitialised; valid until the innermost enclosing Scope
  // (or the Workspace) ends.
  float* Floats(int64_t n);
  // Same, zero-filled.
  float* Zeros(int64_t n);

  // Everything handed out after the Scope was opened is released when it ends.
  class Scope {
   public:
    explicit Scope(Workspace& ws);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    Workspace& ws_;
    size_t block_;
    size_t offset_;
    bool outermost_;
  };

  // Bytes currently reserved (for memory reports).
  size_t capacity_bytes() const;

 private:
  struct Block {
    std::unique_ptr<float, void (*)(void*)> data{nullptr, nullptr};
    size_t size = 0;  // floats
  };
  void Consolidate();

  std::vector<Block> blocks_;
  size_t block_ = 0;   // block the next allocation tries first
  size_t offset_ = 0;  // floats used in blocks_[block_]
  int depth_ = 0;      // open scopes
  bool overflowed_ = false;
};

}  // namespace funasr::layers
