#include "text/token_list.h"

#include "core/check.h"
#include "text/utf8.h"

namespace funasr::text {

TokenList::TokenList(std::vector<std::string> tokens, std::string source,
                     const std::string& unk_symbol)
    : tokens_(std::move(tokens)), source_(std::move(source)) {
  FUNASR_CHECK(!tokens_.empty(), ErrorCode::kFormatError, source_, ": the token list is empty");
  index_.reserve(tokens_.size());
  for (size_t i = 0; i < tokens_.size(); ++i) {
    const std::string& t = tokens_[i];
    if (!IsValidUtf8(t)) CheckUtf8(t, source_ + ": token " + std::to_string(i));
    const bool inserted = index_.emplace(t, static_cast<int64_t>(i)).second;
    FUNASR_CHECK(inserted, ErrorCode::kFormatError, source_, ": token \"", t, "\" (id ", i,
                 ") is duplicated (first at id ", index_.at(t), ")");
  }
  auto it = index_.find(unk_symbol);
  FUNASR_CHECK(it != index_.end(), ErrorCode::kFormatError, source_, ": the unknown symbol \"",
               unk_symbol, "\" is not in the token list");
  unk_id_ = it->second;
}

const std::string& TokenList::Token(int64_t id) const {
  FUNASR_CHECK(id >= 0 && id < static_cast<int64_t>(tokens_.size()), ErrorCode::kInvalidArgument,
               source_, ": token id ", id, " is out of range [0, ", tokens_.size(), ")");
  return tokens_[static_cast<size_t>(id)];
}

int64_t TokenList::Id(std::string_view token) const {
  auto it = index_.find(std::string(token));
  return it == index_.end() ? unk_id_ : it->second;
}

bool TokenList::Contains(std::string_view token) const {
  return index_.count(std::string(token)) != 0;
}

std::vector<std::string> TokenList::IdsToTokens(const std::vector<int64_t>& ids) const {
  std::vector<std::string> out;
  out.reserve(ids.size());
  for (int64_t id : ids) out.push_back(Token(id));
  return out;
}

std::vector<int64_t> TokenList::TokensToIds(const std::vector<std::string>& tokens) const {
  std::vector<int64_t> out;
  out.reserve(tokens.size());
  for (const auto& t : tokens) out.push_back(Id(t));
  return out;
}

std::vector<int64_t> DropSpecialIds(const std::vector<int64_t>& ids,
                                    const SpecialTokenIds& special) {
  std::vector<int64_t> out;
  out.reserve(ids.size());
  for (int64_t id : ids)
    if (id != special.blank && id != special.sos && id != special.eos) out.push_back(id);
  return out;
}

}  // namespace funasr::text
