// am.mvn: global CMVN in Kaldi nnet1 text format (specs/frontend-vad-punc.md §1.3).
//
//   <Nnet>
//   <Splice> D D
//   [ 0 ]
//   <AddShift> D D
//   <LearnRateCoef> 0 [ s_0 ... s_{D-1} ]      <- shift = -mean
//   <Rescale> D D
//   <LearnRateCoef> 0 [ r_0 ... r_{D-1} ]      <- scale = 1/stddev
//   </Nnet>
#pragma once

#include <string>
#include <string_view>

#include "io/model_files.h"

namespace funasr::io {

// Parses am.mvn text. Throws FormatError "<file>: ..." when <AddShift> or <Rescale> is
// missing, a value is not a number, the bracket list is malformed or the two vectors (or
// the declared dimension) disagree.
Cmvn ParseCmvn(std::string_view text, const std::string& file);
Cmvn LoadCmvn(const std::string& path);

}  // namespace funasr::io
