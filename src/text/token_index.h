// TokenIndex: an immutable token-string -> id lookup for large vocabularies.
//
// The punctuation vocabularies hold 272,727 (zh) or 471,067 (large cn-en) entries, so a
// std::unordered_map<std::string, int> would cost ~40 bytes of node overhead per entry plus
// one allocation each. Here every token is copied once into a single character arena and
// found through an open-addressing table of 32-bit ids (linear probing, load <= 2/3):
// about 13 bytes per entry and three allocations in total.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace funasr::text {

class TokenIndex {
 public:
  TokenIndex() = default;

  // Indexes `tokens` (id = position). A token listed twice is rejected with a FormatError
  // naming it and `source`, as FunASR's tokenizer rejects duplicated symbols.
  static TokenIndex Build(const std::vector<std::string>& tokens, const std::string& source);

  // The id of `token`, or -1 when it is not in the vocabulary.
  int64_t Find(std::string_view token) const;
  // The token with id `id` (0 <= id < size()).
  std::string_view Token(int64_t id) const;

  int64_t size() const { return static_cast<int64_t>(offsets_.empty() ? 0 : offsets_.size() - 1); }
  // Heap bytes held by the index (arena, offsets and hash slots).
  size_t MemoryBytes() const;

 private:
  static uint64_t Hash(std::string_view s);

  std::string arena_;              // all tokens back to back
  std::vector<uint32_t> offsets_;  // token i = arena_[offsets_[i], offsets_[i + 1])
  std::vector<uint32_t> slots_;    // id + 1 per slot, 0 = empty; size is a power of two
};

}  // namespace funasr::text
