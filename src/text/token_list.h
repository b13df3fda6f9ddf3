// TokenList: the ASR vocabulary (tokens.json / tokens.txt contents) with FunASR's lookups.
//
// Token id = index in the list. FunASR's BaseTokenizer rejects duplicated symbols and a
// list without the unk symbol; so does this class. Conversions follow CharTokenizer:
// ids2tokens indexes the list, tokens2ids maps unknown strings to the unk id.
// Immutable after construction; safe to share between threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace funasr::text {

// Ids of the special symbols in every Paraformer vocabulary (model_conf defaults).
struct SpecialTokenIds {
  int64_t blank = 0;  // <blank>
  int64_t sos = 1;    // <s>, also the no-bias hotword entry
  int64_t eos = 2;    // </s>
};

class TokenList {
 public:
  // `source` names the list in error messages (e.g. the tokens.json path). Throws
  // Error(kFormatError) on an empty list, a duplicated token, a token that is not valid
  // UTF-8, or when `unk_symbol` is missing.
  explicit TokenList(std::vector<std::string> tokens, std::string source = "token list",
                     const std::string& unk_symbol = "<unk>");

  size_t size() const { return tokens_.size(); }
  const std::vector<std::string>& tokens() const { return tokens_; }
  const std::string& source() const { return source_; }
  int64_t unk_id() const { return unk_id_; }

  // The token of `id`; throws Error(kInvalidArgument) when id is outside [0, size()).
  const std::string& Token(int64_t id) const;
  // The id of `token`, or unk_id() when the list does not contain it.
  int64_t Id(std::string_view token) const;
  // True when the list contains `token`.
  bool Contains(std::string_view token) const;

  std::vector<std::string> IdsToTokens(const std::vector<int64_t>& ids) const;
  std::vector<int64_t> TokensToIds(const std::vector<std::string>& tokens) const;

 private:
  std::vector<std::string> tokens_;
  std::string source_;
  std::unordered_map<std::string, int64_t> index_;
  int64_t unk_id_ = -1;
};

// Paraformer greedy-decoding output filter (spec §5 step 5): removes every blank, sos and
// eos id, keeps the order of the rest (<unk> stays; sentence post-processing drops it).
std::vector<int64_t> DropSpecialIds(const std::vector<int64_t>& ids,
                                    const SpecialTokenIds& special = {});

}  // namespace funasr::text
