#include "text/asr_text.h"

#include "text/sentence_postprocess.h"

namespace funasr::text {

AsrText DecodeAsrText(const TokenList& vocabulary, const std::vector<int64_t>& token_ids) {
  AsrText out;
  out.tokens = vocabulary.IdsToTokens(token_ids);
  PostprocessedText post = SentencePostprocess(out.tokens);
  out.text = std::move(post.text);
  out.words = std::move(post.words);
  return out;
}

AsrText DecodeAsrText(const TokenList& vocabulary, const std::vector<int64_t>& token_ids,
                      const float* us_alphas, const float* us_peaks, size_t num_upsampled_frames,
                      const TokenTimestampOptions& options) {
  AsrText out;
  out.tokens = vocabulary.IdsToTokens(token_ids);
  out.has_timestamps = true;
  out.token_timestamps =
      PredictTokenTimestamps(us_alphas, us_peaks, num_upsampled_frames, out.tokens, options)
          .token_spans;
  PostprocessedText post = SentencePostprocess(out.tokens, out.token_timestamps);
  out.text = std::move(post.text);
  out.words = std::move(post.words);
  out.timestamps = std::move(post.timestamps);
  return out;
}

}  // namespace funasr::text
