// Hotword lists for SeACo / Contextual Paraformer: FunASR's `generate_hotwords_list`
// (funasr/models/seaco_paraformer/model.py, identical in contextual_paraformer; spec §8.1).
//
// Input forms (as FunASR):
//  - a string: every whitespace-separated word is its own hotword
//    ("阿里巴巴 达摩院" -> two hotwords);
//  - a .txt file: one hotword per line; the words of a line (split on whitespace) are
//    tokenised one after another into ONE hotword.
// Tokenisation of each word with the model's seg_dict: the word is lower-cased (Python
// str.lower); a seg_dict entry gives its pieces (English words -> "@@" BPE pieces); else a
// word made only of CJK U+4E00..U+9FA5 and ASCII digits is looked up character by
// character (missing -> <unk>); anything else becomes one <unk>. Without a seg_dict the
// words themselves are the tokens. Tokens map to ids with unknown -> <unk> id. The no-bias
// entry [<s>] (id 1) is always appended last, so the list has (user hotwords + 1) entries.
//
// Limits and deviations (documented behaviour):
//  - invalid UTF-8 in a hotword string or file: Error(kInvalidArgument) naming the source
//    and byte offset;
//  - blank lines of a file are skipped (Python would produce an empty hotword, which its
//    LSTM packing rejects); a UTF-8 byte-order mark at the start of a file is ignored;
//  - a ".txt" argument that is not an existing file is an Error(kIoError) (Python silently
//    uses no hotwords); an "http..." argument is Error(kUnsupported) (Python downloads it);
//  - hotwords made only of unknown tokens are kept as [<unk>, ...] exactly like Python
//    (the C++ ONNX runtime drops them); `HotwordList::num_all_unknown` counts them;
//  - a hotword whose seg_dict entry has no pieces has no tokens: it is dropped and counted in
//    `HotwordList::num_without_tokens` (Python keeps an empty id list, which makes its bias
//    encoder's sequence packing fail);
//  - duplicates are kept (Python keeps them; each is a separate bias entry);
//  - no truncation of long hotwords (Python has none; the ONNX runtime truncates to 10
//    tokens). HotwordLimits bound the list size instead: more hotwords or longer hotwords
//    than the limits are an Error(kInvalidArgument) naming the offending hotword.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "text/token_list.h"

namespace funasr::text {

// word -> pieces, as io::ModelFiles::seg_dict() returns it.
using SegDict = std::map<std::string, std::vector<std::string>>;

// One user hotword before tokenisation: its words (one word for the string form).
struct HotwordSpec {
  std::vector<std::string> words;
};

struct HotwordLimits {
  size_t max_hotwords = 100000;          // user hotwords (excluding the <s> entry)
  size_t max_tokens_per_hotword = 1024;  // tokens of one hotword after tokenisation
};

struct HotwordList {
  // Token ids per hotword, the no-bias entry {sos} last (FunASR's hotword_list).
  std::vector<std::vector<int64_t>> ids;
  // Display text per user hotword (words joined by a space), same order, no <s> entry.
  std::vector<std::string> texts;
  // Number of user hotwords whose tokens are all <unk> (kept, see above).
  size_t num_all_unknown = 0;
  // Number of user hotwords dropped because they have no tokens at all (see above).
  size_t num_without_tokens = 0;
};

// The string form: each whitespace-separated word is a hotword.
std::vector<HotwordSpec> ParseHotwordString(std::string_view hotwords);
// The file form from its contents: one hotword per non-blank line. `source` names the file
// in error messages.
std::vector<HotwordSpec> ParseHotwordLines(std::string_view content,
                                           std::string_view source = "hotword file");
// Reads and parses a hotword file; Error(kIoError) when it cannot be read.
std::vector<HotwordSpec> ReadHotwordFile(const std::string& path);
// FunASR's dispatch on the `hotword` argument: a path ending in ".txt" is a file, anything
// else the string form (see the header comment for the error cases).
std::vector<HotwordSpec> ParseHotwordArgument(const std::string& argument);

// The seg_dict tokenisation of one hotword's words (`seg_tokenize` of
// generate_hotwords_list). With seg_dict == nullptr the words are returned unchanged.
std::vector<std::string> TokenizeHotword(const std::vector<std::string>& words,
                                         const SegDict* seg_dict);

// Builds the id lists. `seg_dict` is nullptr when the model has no seg_dict file.
HotwordList BuildHotwordList(const std::vector<HotwordSpec>& hotwords, const TokenList& tokens,
                             const SegDict* seg_dict, const SpecialTokenIds& special = {},
                             const HotwordLimits& limits = {});

}  // namespace funasr::text
