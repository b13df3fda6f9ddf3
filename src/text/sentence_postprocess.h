// SentencePostprocess: FunASR's `sentence_postprocess` (funasr/utils/postprocess_utils.py),
// the step that turns decoded Paraformer tokens into the text users see (spec §7.3).
//
// What it does, exactly as the Python reference (including its quirks):
//  - drops the tokens <s>, </s>, <unk>, <OOV>; the timestamp list is NOT pruned with them,
//    timestamps are indexed by position in the pruned token list;
//  - all tokens "Chinese" (CJK U+4E00..U+9FFF, digits, '@'; judged by Python string
//    comparison on the first code point): words = tokens;
//  - otherwise English BPE pieces "xx@@" are glued to the following piece into one word
//    (timestamp = [start of first piece, end of last piece]), English words are separated
//    by spaces, no space between English and Chinese; tokens that are neither (punctuation,
//    "a1", ...) are appended as they are without a timestamp, which shifts later timestamps.
//    A pending "@@" piece followed by a Chinese token is not flushed: it is prepended to the
//    next English word, and the Chinese token takes the pending piece's start/end;
//  - runs of single ASCII letters separated by spaces become one upper-case word ("a b c" ->
//    "ABC") with the span of the first to the last letter;
//  - without timestamps: text = concatenation (Chinese contiguous, English space-separated);
//    with timestamps: text = all words joined by single spaces (every Chinese character
//    separated), plus one timestamp per word.
//
// Deviation from Python (documented): where the Python code would raise IndexError because
// fewer timestamps than tokens were given, the missing entries read as an empty span at the
// end of the last given timestamp ([e, e], or [0, 0] with no timestamps at all).
#pragma once

#include <string>
#include <vector>

#include "funasr/result.h"

namespace funasr::text {

struct PostprocessedText {
  std::string text;                    // the sentence (see above for its spacing)
  std::vector<std::string> words;      // FunASR's `real_word_lists` (words without separators)
  std::vector<TimeSpanMs> timestamps;  // per word; empty when no timestamps were given
};

// Without timestamps (Paraformer, Contextual): Chinese characters are concatenated.
PostprocessedText SentencePostprocess(const std::vector<std::string>& tokens);

// With per-token timestamps (BiCif, SeACo): every word separated by a space.
PostprocessedText SentencePostprocess(const std::vector<std::string>& tokens,
                                      const std::vector<TimeSpanMs>& token_timestamps);

}  // namespace funasr::text
