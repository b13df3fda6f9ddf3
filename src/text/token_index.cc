#include "text/token_index.h"

#include <limits>

#include "core/check.h"

namespace funasr::text {

uint64_t TokenIndex::Hash(std::string_view s) {
  // FNV-1a over the bytes, then a 64-bit finaliser (murmur3 fmix64) so that the low bits
  // used for the slot are well mixed.
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

TokenIndex TokenIndex::Build(const std::vector<std::string>& tokens, const std::string& source) {
  TokenIndex index;
  size_t total = 0;
  for (const std::string& t : tokens) total += t.size();
  FUNASR_CHECK(tokens.size() < std::numeric_limits<uint32_t>::max() - 1 &&
                   total < std::numeric_limits<uint32_t>::max(),
               ErrorCode::kUnsupported, source, ": vocabulary too large (", tokens.size(),
               " tokens, ", total, " bytes)");
  index.arena_.reserve(total);
  index.offsets_.reserve(tokens.size() + 1);
  index.offsets_.push_back(0);
  for (const std::string& t : tokens) {
    index.arena_.append(t);
    index.offsets_.push_back(static_cast<uint32_t>(index.arena_.size()));
  }

  size_t capacity = 16;
  while (capacity * 2 < tokens.size() * 3) capacity *= 2;  // load factor <= 2/3
  index.slots_.assign(capacity, 0);
  const size_t mask = capacity - 1;
  for (size_t id = 0; id < tokens.size(); ++id) {
    std::string_view tok = index.Token(static_cast<int64_t>(id));
    size_t slot = Hash(tok) & mask;
    while (index.slots_[slot] != 0) {
      if (index.Token(index.slots_[slot] - 1) == tok)
        Fail(ErrorCode::kFormatError, source, ": token \"", tok, "\" is listed twice (ids ",
             index.slots_[slot] - 1, " and ", id, ")");
      slot = (slot + 1) & mask;
    }
    index.slots_[slot] = static_cast<uint32_t>(id + 1);
  }
  return index;
}

int64_t TokenIndex::Find(std::string_view token) const {
  if (slots_.empty()) return -1;
  const size_t mask = slots_.size() - 1;
  size_t slot = Hash(token) & mask;
  while (slots_[slot] != 0) {
    const uint32_t id = slots_[slot] - 1;
    if (Token(id) == token) return id;
    slot = (slot + 1) & mask;
  }
  return -1;
}

std::string_view TokenIndex::Token(int64_t id) const {
  FUNASR_ASSERT(id >= 0 && id < size());
  const uint32_t begin = offsets_[id];
  return std::string_view(arena_.data() + begin, offsets_[id + 1] - begin);
}

size_t TokenIndex::MemoryBytes() const {
  return arena_.capacity() + offsets_.capacity() * sizeof(uint32_t) +
         slots_.capacity() * sizeof(uint32_t);
}

}  // namespace funasr::text
